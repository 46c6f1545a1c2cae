package dev.convene.cli.router;

import dev.convene.cli.output.Event;
import dev.convene.cli.output.EventWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import org.jgroups.Address;
import org.jgroups.PhysicalAddress;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.stack.GossipRouter;

/**
 * A JGroups {@link GossipRouter} that reports who registers and who leaves, as events. JGroups 5.5.7 has
 * no listener for this, only debug logging, so this overrides its protected bookkeeping methods
 * ({@code addAddressMapping}, {@code removeAddressMapping}, {@code removeFromAddressMappings}); re-check
 * them when upgrading JGroups.
 *
 * <p>Also turns off the router's diagnostics handler, which JGroups enables by default and which would join
 * a multicast group on every interface. Methods are called on the router's connection threads.
 */
public final class RelayRouter extends GossipRouter {
    private final EventWriter out;

    public RelayRouter(String bindAddress, int port, EventWriter out) throws Exception {
        super(bindAddress, port);
        this.out = out;
        jmx(false).useNio(false);
        diagHandler().setEnabled(false);
    }

    /** Starts it; connections accepted from then on send without Nagle's delay, as the peers' own transports do. */
    @Override
    public GossipRouter start() throws Exception {
        super.start();
        server.tcpNodelay(true);
        return this;
    }

    @Override
    protected void addAddressMapping(Address sender, String group, Address addr, PhysicalAddress physAddr, String logicalName) {
        Map<Address, Entry> members = address_mappings.get(group);
        boolean known = members != null && members.containsKey(addr);
        super.addAddressMapping(sender, group, addr, physAddr, logicalName);
        if (!known) {
            out.emit(new Event.RouterClientJoined(group, String.valueOf(logicalName), String.valueOf(physAddr), String.valueOf(sender)));
        }
    }

    @Override
    protected void removeAddressMapping(String group, Address addr) {
        Map<Address, Entry> members = address_mappings.get(group);
        Entry gone = members == null ? null : members.get(addr);
        super.removeAddressMapping(group, addr);
        if (gone != null) out.emit(left(group, gone));
    }

    @Override
    protected void removeFromAddressMappings(Address client) {
        List<Event> gone = new ArrayList<>();
        for (Map.Entry<String, ConcurrentMap<Address, Entry>> group : address_mappings.entrySet()) {
            group.getValue().values().stream().filter(e -> client.equals(e.client_addr()))
                    .forEach(e -> gone.add(left(group.getKey(), e)));
        }
        super.removeFromAddressMappings(client);
        gone.forEach(out::emit);
    }

    @Override
    public void connectionEstablished(Connection conn) {
        super.connectionEstablished(conn);
        log.debug("connection from %s", conn.peerAddress());
    }

    private static Event left(String group, Entry e) {
        return new Event.RouterClientLeft(group, String.valueOf(e.logical_name()), String.valueOf(e.phys_addr()));
    }
}
