package dev.convene.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A private network made of Linux network namespaces, for real partitions: a hub namespace holding two
 * bridges joined by a trunk (a veth pair), and one namespace per node with a veth into one of the bridges
 * and its own address in 10.77.0.0/24. {@link #split()} takes the trunk down (two halves that each still
 * work), {@link #isolate} takes one node's link down, {@link #impair} puts a {@code tc} qdisc on a node's
 * link.
 *
 * <p>Everything lives in namespaces this class creates, named {@code cvit-SUFFIX-…} with a random suffix:
 * the host's interfaces, addresses and routes are never touched, and two runs never meet.
 * {@link #close()} deletes every namespace (and with them every veth); a shutdown hook does the same if
 * the JVM ends first. Needs root, {@code ip} and {@code tc}; {@link #unsupported()} says why not where it
 * cannot work. Not thread-safe.
 */
public final class NetLab implements AutoCloseable {
    /** The side of the trunk a node is on. */
    public enum Side { LEFT, RIGHT }

    private final String prefix;
    private final String hub;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Thread hook;

    /** A node: its namespace, address, side, and its link's name in the hub. */
    public record Node(String name, String namespace, String address, Side side, String hubLink) {
    }

    private NetLab(String suffix) {
        this.prefix = "cvit-" + suffix;
        this.hub = prefix + "-hub";
        this.hook = new Thread(this::deleteNamespaces, "it-netlab-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Why namespaces cannot be used here, or empty when they can (tried by creating and deleting a probe). */
    public static Optional<String> unsupported() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return Optional.of("network namespaces need Linux");
        if (which("ip") == null) return Optional.of("the 'ip' command (iproute2) is missing");
        if (which("tc") == null) return Optional.of("the 'tc' command (iproute2) is missing");
        String ns = "cvit-probe-" + Long.toHexString(new Random().nextInt() & 0xffffffL);
        try {
            Result add = run("ip", "netns", "add", ns);
            if (add.code() != 0) return Optional.of("'ip netns add' is not allowed here (root and CAP_SYS_ADMIN needed): " + add.output());
            Result veth = run("ip", "-n", ns, "link", "add", "pa", "type", "veth", "peer", "name", "pb");
            if (veth.code() != 0) return Optional.of("veth pairs cannot be created here: " + veth.output());
            Result bridge = run("ip", "-n", ns, "link", "add", "br0", "type", "bridge");
            if (bridge.code() != 0) return Optional.of("bridges cannot be created here: " + bridge.output());
            Result exec = run("ip", "netns", "exec", ns, "true");
            if (exec.code() != 0) return Optional.of("'ip netns exec' fails here: " + exec.output());
            return Optional.empty();
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    /** Creates the hub (two bridges and the trunk between them). */
    public static NetLab create(Random random) {
        NetLab lab = new NetLab(Long.toHexString(random.nextInt() & 0xffffffL));
        try {
            lab.addNamespace(lab.hub);
            lab.must("ip", "-n", lab.hub, "link", "add", "br0", "type", "bridge");
            lab.must("ip", "-n", lab.hub, "link", "add", "br1", "type", "bridge");
            lab.must("ip", "-n", lab.hub, "link", "add", "trunk0", "type", "veth", "peer", "name", "trunk1");
            lab.must("ip", "-n", lab.hub, "link", "set", "trunk0", "master", "br0");
            lab.must("ip", "-n", lab.hub, "link", "set", "trunk1", "master", "br1");
            for (String link : List.of("br0", "br1", "trunk0", "trunk1")) lab.must("ip", "-n", lab.hub, "link", "set", link, "up");
            return lab;
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    private void addNamespace(String ns) {
        must("ip", "netns", "add", ns);
        namespaces.add(ns);
        must("ip", "-n", ns, "link", "set", "lo", "up");
    }

    /** Adds a node on {@code side} with address 10.77.0.{@code host}; returns it. */
    public Node add(String name, int host, Side side) {
        if (host < 2 || host > 254) throw new IllegalArgumentException("host: " + host + " (expected: 2-254)");
        String ns = prefix + "-" + name;
        String hubLink = "n" + host;
        addNamespace(ns);
        must("ip", "-n", hub, "link", "add", hubLink, "type", "veth", "peer", "name", "eth0", "netns", ns);
        must("ip", "-n", hub, "link", "set", hubLink, "master", side == Side.LEFT ? "br0" : "br1");
        must("ip", "-n", hub, "link", "set", hubLink, "up");
        String address = "10.77.0." + host;
        must("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        must("ip", "-n", ns, "link", "set", "eth0", "up");
        Node node = new Node(name, ns, address, side, hubLink);
        nodes.put(name, node);
        return node;
    }

    public Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) throw new IllegalArgumentException("no node " + name);
        return n;
    }

    /** The words that run a command inside {@code node}'s namespace. */
    public List<String> launcher(String node) {
        Path ip = which("ip");
        return List.of(ip == null ? "ip" : ip.toString(), "netns", "exec", node(node).namespace());
    }

    /** Cuts the trunk: LEFT and RIGHT nodes no longer reach each other; each side still works. */
    public void split() {
        must("ip", "-n", hub, "link", "set", "trunk0", "down");
    }

    /** Restores the trunk. */
    public void join() {
        must("ip", "-n", hub, "link", "set", "trunk0", "up");
    }

    /** Cuts one node off (its link in the hub goes down). */
    public void isolate(String node) {
        must("ip", "-n", hub, "link", "set", node(node).hubLink(), "down");
    }

    /** Reconnects a node cut off by {@link #isolate}. */
    public void reconnect(String node) {
        must("ip", "-n", hub, "link", "set", node(node).hubLink(), "up");
    }

    /** Puts a root qdisc on {@code node}'s link, e.g. {@code netem loss 5% delay 20ms} (egress of that node). */
    public void impair(String node, String... qdisc) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", node(node).namespace(), "tc", "qdisc", "replace", "dev", "eth0", "root"));
        cmd.addAll(List.of(qdisc));
        must(cmd.toArray(String[]::new));
    }

    /** Removes what {@link #impair} added. */
    public void repair(String node) {
        run("ip", "netns", "exec", node(node).namespace(), "tc", "qdisc", "del", "dev", "eth0", "root");
    }

    /**
     * Whether the kernel accepts {@code tc qdisc add … root QDISC} (e.g. {@code netem delay 1ms}), tried on a
     * veth in a probe namespace that is deleted again.
     */
    public static boolean supportsQdisc(String... qdisc) {
        String ns = "cvit-probe-" + Long.toHexString(new Random().nextInt() & 0xffffffL);
        try {
            if (run("ip", "netns", "add", ns).code() != 0) return false;
            if (run("ip", "-n", ns, "link", "add", "pa", "type", "veth", "peer", "name", "pb").code() != 0) return false;
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "pa", "root"));
            cmd.addAll(List.of(qdisc));
            return run(cmd.toArray(String[]::new)).code() == 0;
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    /** Deletes every namespace this lab made, and so every link in them. */
    @Override
    public void close() {
        deleteNamespaces();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran
        }
    }

    private synchronized void deleteNamespaces() {
        for (int i = namespaces.size() - 1; i >= 0; i--) run("ip", "netns", "del", namespaces.get(i));
        namespaces.clear();
    }

    private void must(String... cmd) {
        Result r = run(cmd);
        if (r.code() != 0) throw new AssertionError("'" + String.join(" ", cmd) + "' failed (" + r.code() + "): " + r.output());
    }

    private record Result(int code, String output) {
    }

    private static Result run(String... cmd) {
        String[] resolved = cmd.clone();
        for (int i = 0; i < resolved.length; i++) {
            // ip and tc by full path: Maven's PATH may lack /usr/sbin, and 'ip netns exec' runs tc through PATH too
            if ((resolved[i].equals("ip") && i == 0) || resolved[i].equals("tc")) {
                Path p = which(resolved[i]);
                if (p != null) resolved[i] = p.toString();
            }
        }
        try {
            Process p = new ProcessBuilder(resolved).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static Path which(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) return p;
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    @Override
    public String toString() {
        return "netlab " + prefix + " " + nodes.values();
    }
}
