package dev.convene.it.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random churn for a paced chat ({@link Chat#paced}): every {@code every}, one peer that is up is killed
 * with SIGKILL and started again on its home after a random downtime. In {@code mixed} mode (the soak) a
 * fault is sometimes two peers killed at once or a peer frozen with SIGSTOP instead. At most
 * {@code maxDown} peers are down or frozen at a time, so the conference always has most of its members.
 * Every choice comes from the fleet's seeded random. Not thread-safe: called from the chat loop.
 */
public final class Churn {
    private final Fleet fleet;
    private final List<String> names;
    private final Random random;
    private final Duration every;
    private final Duration minDown;
    private final Duration maxDown;
    private final int maxDownCount;
    private final boolean mixed;
    /** Peer → when (since the start) it comes back; frozen peers are in {@link #frozen}. */
    private final Map<String, Duration> down = new LinkedHashMap<>();
    private final Map<String, Duration> frozen = new LinkedHashMap<>();
    private Duration next;
    private int kills;
    private int doubleKills;
    private int freezes;

    public Churn(Fleet fleet, List<String> names, Duration every, Duration minDown, Duration maxDown, int maxDownCount, boolean mixed) {
        this.fleet = fleet;
        this.names = List.copyOf(names);
        this.random = fleet.random();
        this.every = every;
        this.minDown = minDown;
        this.maxDown = maxDown;
        this.maxDownCount = maxDownCount;
        this.mixed = mixed;
        this.next = every;
    }

    /** For {@link Chat#paced}: brings back whoever is due, injects the next fault when it is time; always true. */
    public boolean tick(Duration elapsed) {
        fleet.retryRefusedStarts();
        down.entrySet().removeIf(e -> {
            if (elapsed.compareTo(e.getValue()) < 0) return false;
            fleet.restart(fleet.get(e.getKey()));
            return true;
        });
        frozen.entrySet().removeIf(e -> {
            if (elapsed.compareTo(e.getValue()) < 0) return false;
            fleet.get(e.getKey()).thaw();
            return true;
        });
        if (elapsed.compareTo(next) >= 0) {
            next = next.plus(every);
            inject(elapsed);
        }
        return true;
    }

    /**
     * For {@link Chat#paced}: {@link #tick} until {@code faults} faults have been injected, then {@code tail} more;
     * false after that, ending the chat.
     */
    public java.util.function.Predicate<Duration> until(int faults, Duration tail) {
        Duration[] last = {null};
        return elapsed -> {
            tick(elapsed);
            if (last[0] == null && faults() >= faults) last[0] = elapsed;
            return last[0] == null || elapsed.minus(last[0]).compareTo(tail) < 0;
        };
    }

    /** Faults injected so far: kills, double kills and freezes, each counted once. */
    public int faults() {
        return kills + doubleKills + freezes;
    }

    private void inject(Duration elapsed) {
        List<String> up = new ArrayList<>(names.stream().filter(n -> fleet.get(n).usable()).toList());
        int room = maxDownCount - down.size() - frozen.size();
        if (room <= 0 || up.isEmpty()) return;
        double dice = mixed ? random.nextDouble() : 1;
        if (dice < 0.15) {
            String victim = up.get(random.nextInt(up.size()));
            fleet.get(victim).freeze();
            frozen.put(victim, elapsed.plus(downtime()));
            freezes++;
        } else if (dice < 0.35 && room >= 2 && up.size() >= 2) {
            String a = up.remove(random.nextInt(up.size()));
            String b = up.get(random.nextInt(up.size()));
            // Both at once: SIGKILL both before waiting for either to go.
            ConveneProcess pa = fleet.get(a);
            ConveneProcess pb = fleet.get(b);
            pa.killNoWait();
            pb.killNoWait();
            pa.kill();
            pb.kill();
            Duration back = elapsed.plus(downtime());
            down.put(a, back);
            down.put(b, back);
            doubleKills++;
        } else {
            String victim = up.get(random.nextInt(up.size()));
            fleet.get(victim).kill();
            down.put(victim, elapsed.plus(downtime()));
            kills++;
        }
    }

    private Duration downtime() {
        long span = maxDown.toMillis() - minDown.toMillis();
        return minDown.plusMillis(span <= 0 ? 0 : random.nextLong(span));
    }

    /** Brings everyone back: restarts the killed, thaws the frozen, and waits until all are ready. */
    public void finish(Duration timeout) {
        down.keySet().forEach(n -> fleet.restart(fleet.get(n)));
        frozen.keySet().forEach(n -> fleet.get(n).thaw());
        down.clear();
        frozen.clear();
        names.forEach(n -> fleet.ready(n, timeout));
    }

    /** {@code kills=… double-kills=… freezes=…}, for the figures. */
    public String figures() {
        return "kills=" + kills + " double-kills=" + doubleKills + " freezes=" + freezes;
    }
}
