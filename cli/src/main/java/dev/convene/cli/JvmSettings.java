package dev.convene.cli;

/**
 * JVM-wide settings that must be in place before any networking class loads: IPv4 only, and JGroups
 * bound to the address the user chose (JGroups reads {@code jgroups.bind_addr} in preference to any
 * stack configuration, and picks another interface without it).
 */
final class JvmSettings {
    static final String PREFER_IPV4 = "java.net.preferIPv4Stack";
    static final String JGROUPS_BIND = "jgroups.bind_addr";

    private JvmSettings() {
    }

    /**
     * Refuses Java deserialization JVM-wide (the {@code convene} process owns its JVM; nothing in Convene or
     * JGroups' wire format uses it). Left alone if the JVM was started with a filter. The library never does
     * this: an embedding application's own deserialization is its business.
     */
    static void refuseJavaDeserialization() {
        if (java.io.ObjectInputFilter.Config.getSerialFilter() == null) {
            try {
                java.io.ObjectInputFilter.Config.setSerialFilter(
                        java.io.ObjectInputFilter.Config.createFilter("maxdepth=20;maxbytes=1048576;!*"));
            } catch (IllegalStateException alreadySet) {
                // set concurrently or by the launcher: keep it
            }
        }
    }

    /** Sets {@code java.net.preferIPv4Stack=true} unless the JVM was started with a value. */
    static void preferIPv4() {
        if (System.getProperty(PREFER_IPV4) == null) {
            System.setProperty(PREFER_IPV4, "true");
        }
    }

    /**
     * Sets {@code jgroups.bind_addr} to {@code address} unless already set. An explicit {@code --bind}
     * that disagrees with a preset property is a usage error: JGroups would silently use the property.
     */
    static void bindAddress(String address, boolean explicit) {
        String preset = System.getProperty(JGROUPS_BIND);
        if (preset == null) {
            System.setProperty(JGROUPS_BIND, address);
        } else if (explicit && !preset.equals(address)) {
            throw CliException.usage("--bind " + address + " disagrees with -D" + JGROUPS_BIND + "=" + preset
                    + " set for this JVM; drop one of them (CONVENE_JAVA_OPTS?)");
        }
    }
}
