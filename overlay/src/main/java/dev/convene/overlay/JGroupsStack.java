package dev.convene.overlay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JGroups protocol stack being prepared, as protocol names (as in JGroups' XML, e.g. {@code pbcast.GMS}) with
 * their properties, bottom (the transport) first. Handed to a {@link StackCustomizer}; not thread-safe.
 */
public final class JGroupsStack {
    /** Longest protocol or property name accepted. */
    private static final int MAX_NAME = 200;
    private final List<String> names = new ArrayList<>();
    private final List<Map<String, String>> properties = new ArrayList<>();

    /**
     * A stack of the given protocols.
     *
     * @param protocols each protocol's name and properties, bottom first (copied)
     */
    public JGroupsStack(List<Map.Entry<String, Map<String, String>>> protocols) {
        for (Map.Entry<String, Map<String, String>> p : protocols) {
            names.add(checkName(p.getKey()));
            properties.add(new LinkedHashMap<>(p.getValue()));
        }
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("protocol or property name: '" + name + "' (expected: 1-" + MAX_NAME + " characters)");
        }
        return name;
    }

    /**
     * The protocols' names, bottom first.
     *
     * @return a copy of the names
     */
    public List<String> protocols() {
        return List.copyOf(names);
    }

    /**
     * One property of a protocol, as set in the stack (JGroups' default applies when it is absent).
     *
     * @param protocol the protocol's name
     * @param property the property's name
     * @return its value, if set
     * @throws IllegalArgumentException if the stack has no such protocol
     */
    public Optional<String> property(String protocol, String property) {
        return Optional.ofNullable(properties.get(indexOf(protocol)).get(property));
    }

    /**
     * Sets a property of a protocol.
     *
     * @param protocol the protocol's name
     * @param property the property's name
     * @param value its value, as it would be written in JGroups' XML
     * @return this stack
     * @throws IllegalArgumentException if the stack has no such protocol
     */
    public JGroupsStack set(String protocol, String property, String value) {
        if (value == null) throw new IllegalArgumentException("value of " + protocol + "." + property + ": null");
        properties.get(indexOf(protocol)).put(checkName(property), value);
        return this;
    }

    /**
     * Replaces a protocol by another one in the same place, for instance the discovery protocol.
     *
     * @param protocol the protocol to replace
     * @param replacement the new protocol's name
     * @param props its properties
     * @return this stack
     * @throws IllegalArgumentException if the stack has no such protocol
     */
    public JGroupsStack replace(String protocol, String replacement, Map<String, String> props) {
        int i = indexOf(protocol);
        names.set(i, checkName(replacement));
        properties.set(i, new LinkedHashMap<>(props));
        return this;
    }

    /**
     * Inserts a protocol directly above another one.
     *
     * @param below the protocol it goes above
     * @param protocol the new protocol's name
     * @param props its properties
     * @return this stack
     * @throws IllegalArgumentException if the stack has no protocol {@code below}
     */
    public JGroupsStack insertAbove(String below, String protocol, Map<String, String> props) {
        int i = indexOf(below);
        names.add(i + 1, checkName(protocol));
        properties.add(i + 1, new LinkedHashMap<>(props));
        return this;
    }

    /**
     * Removes a protocol.
     *
     * @param protocol the protocol's name
     * @return this stack
     * @throws IllegalArgumentException if the stack has no such protocol, or it is the transport
     */
    public JGroupsStack remove(String protocol) {
        int i = indexOf(protocol);
        if (i == 0) throw new IllegalArgumentException("protocol " + protocol + " is the transport; replace it instead");
        names.remove(i);
        properties.remove(i);
        return this;
    }

    /**
     * The protocols with their properties, bottom first.
     *
     * @return a copy, each entry a protocol's name and its properties
     */
    public List<Map.Entry<String, Map<String, String>>> entries() {
        List<Map.Entry<String, Map<String, String>>> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) out.add(Map.entry(names.get(i), Map.copyOf(properties.get(i))));
        return out;
    }

    private int indexOf(String protocol) {
        int i = names.indexOf(protocol);
        if (i < 0) throw new IllegalArgumentException("no protocol " + protocol + " in the stack (it has: " + names + ")");
        return i;
    }

    @Override
    public String toString() {
        return "JGroupsStack" + names;
    }
}
