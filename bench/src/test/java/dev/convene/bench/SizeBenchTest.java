package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size part at the tiny profile's 4 peers, and the bench stopping on SIGTERM in the middle of forming a
 * group. Speed is never asserted; the exit bound is an outcome (it stopped at all), far above the exit grace.
 */
@Timeout(300)
class SizeBenchTest {
    @Test
    void theSizePartMeasuresFormationAndTheCostOfOneJoinOnBothNetworks() throws Exception {
        List<String> progress = new CopyOnWriteArrayList<>();
        Report report = new Bench(Profile.TINY, Bench.childJvm("64m"), progress::add, EnumSet.of(Bench.Part.SIZE)).run();

        assertThat(report.failures()).isEmpty();
        for (String where : List.of("memory", "tcp")) {
            Figure form = report.figure("size.directory." + where + ".4");
            assertThat(form.complete()).as(form.toString()).isTrue();
            assertThat(form.convene()).isPositive();
            Figure join = report.figure("size.join." + where + ".4");
            assertThat(join.complete()).as(join.toString()).isTrue();
            // A join is at least the advertisements: the joiner's to each member and each member's to it.
            assertThat(join.convene()).as(join.note()).isGreaterThanOrEqualTo(2 * 4);
            assertThat(join.note()).contains("signature checks");
            Figure perPeer = report.figure("size.joinpeer." + where + ".4");
            assertThat(perPeer.complete()).as(perPeer.toString()).isTrue();
            assertThat(perPeer.convene()).isEqualTo(join.convene() / 5);
            assertThat(perPeer.note()).contains("the joiner received");
            Figure checks = report.figure("size.joinchecks." + where + ".4");
            assertThat(checks.complete()).as(checks.toString()).isTrue();
            // Each member checks at least the joiner's Hello, the joiner each member's: 2 x 4 checks over 5 peers.
            assertThat(checks.convene()).as(checks.note()).isGreaterThanOrEqualTo(8 / 5.0);
            assertThat(checks.raw()).isNaN();
            Figure cpu = report.figure("size.cpu." + where + ".4");
            assertThat(cpu.complete()).as(cpu.toString()).isTrue();
            assertThat(cpu.convene()).as("some CPU was spent forming").isPositive();
            assertThat(cpu.note()).contains("Idle, formed");
        }
        assertThat(report.figures()).as("one size: no growth judged").extracting(Figure::key).noneMatch(k -> k.contains("growth"));
        assertThat(report.figures()).extracting(Figure::key).doesNotContain("throughput", "latency.p50.3");
    }

    @Test
    void theGrowthOfOneJoinsCostIsJudgedFromTwoSizes() throws Exception {
        Report report = new Bench(Profile.TINY.withSize(List.of(3, 6)), Bench.childJvm("64m"), line -> { }, EnumSet.of(Bench.Part.SIZE))
                .sizeNetworks(List.of(dev.convene.overlay.NetworkMode.MEMORY)).run();

        assertThat(report.failures()).isEmpty();
        Figure frames = report.figure("size.joingrowth.memory");
        assertThat(frames.complete()).as(frames.toString()).isTrue();
        // Frames in all for one join rise with the group; whether linearly is the figure's judgement, not the test's.
        assertThat(frames.convene()).as(frames.note()).isPositive();
        assertThat(frames.note()).contains("n = [3, 6]", "frames in all:");
        Figure checks = report.figure("size.checksgrowth.memory");
        assertThat(checks.complete()).as(checks.toString()).isTrue();
        assertThat(checks.met()).isEqualTo(checks.convene() <= SizeBench.LINEAR);
    }

    @Test
    void theGrowthExponentIsTheSlopeOnLogs() {
        double[] n = {10, 30, 100};
        assertThat(SizeBench.exponent(n, new double[] {40, 120, 400})).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SizeBench.exponent(n, new double[] {100, 900, 10_000})).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SizeBench.exponent(n, new double[] {40, 0, 400})).isNaN();
        assertThat(SizeBench.exponent(new double[] {10, 10}, new double[] {4, 5})).isNaN();
    }

    @Test
    void growthIsJudgedFromTheSizesMeasuredAndNamesTheOthers() {
        dev.convene.overlay.NetworkMode tcp = dev.convene.overlay.NetworkMode.LOCAL;
        SizeBench linear = new SizeBench(null, line -> { });
        linear.recordJoin(tcp, 10, new double[] {40, 98, 20});
        linear.recordJoin(tcp, 30, new double[] {120, 325, 60});
        linear.recordJoin(tcp, 100, null);
        List<Figure> g = linear.growth(tcp);
        assertThat(g).extracting(Figure::key).containsExactly("size.joingrowth.tcp", "size.checksgrowth.tcp");
        assertThat(g.get(0).convene()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(g.get(0).met()).isTrue();
        assertThat(g.get(0).note()).contains("n = [10, 30]", "not measured at [100], judged without");
        assertThat(g.get(1).complete()).isTrue();

        SizeBench quadratic = new SizeBench(null, line -> { });
        quadratic.recordJoin(tcp, 10, new double[] {100, 98, 100});
        quadratic.recordJoin(tcp, 30, new double[] {900, 325, 900});
        assertThat(quadratic.growth(tcp)).allSatisfy(f -> assertThat(f.met()).as(f.toString()).isFalse());

        SizeBench one = new SizeBench(null, line -> { });
        one.recordJoin(tcp, 10, new double[] {40, 98, 20});
        one.recordJoin(tcp, 30, null);
        assertThat(one.growth(tcp)).allSatisfy(f -> {
            assertThat(f.complete()).isFalse();
            assertThat(f.note()).contains("fewer than two of [10, 30] were measured");
        });
        assertThat(new SizeBench(null, line -> { }).growth(tcp)).isEmpty();
    }

    @Test
    void aTcpGroupTooLargeForTheHeapIsReportedNotAttempted() {
        long gib = 1L << 30;
        String why = SizeBench.tooLittleHeap(100, dev.convene.overlay.NetworkMode.LOCAL, gib);
        assertThat(why).contains("100 TCP peers in one JVM need about 1.4 GiB").contains("-Xmx2g");
        assertThat(SizeBench.tooLittleHeap(100, dev.convene.overlay.NetworkMode.LOCAL, 2 * gib)).isNull();
        assertThat(SizeBench.tooLittleHeap(100, dev.convene.overlay.NetworkMode.MEMORY, gib / 4)).isNull();
        assertThat(SizeBench.tooLittleHeap(30, dev.convene.overlay.NetworkMode.LOCAL, gib / 4)).isNull();
    }

    @Test
    void aBenchStoppedWithSigtermExits(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("stderr");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-Djava.net.preferIPv4Stack=true", "-cp", System.getProperty("java.class.path"), "dev.convene.cli.Main",
                "bench", "--only", "size", "--size-peers", "30"));
        Process bench = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(dir.resolve("stdout").toFile()).start();
        try {
            // Stopped while the group forms: peers are running in it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!stderr(err).contains("bench: size: 30 Convene peers") && bench.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(stderr(err)).contains("bench: size: 30 Convene peers");
            Thread.sleep(1000);
            bench.destroy(); // SIGTERM
            assertThat(bench.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM; stderr:%n%s", stderr(err)).isTrue();
            assertThat(bench.exitValue()).isNotZero();
            assertThat(leftovers(bench)).as("no peer process left behind").isEmpty();
        } finally {
            bench.destroyForcibly();
        }
    }

    private static List<ProcessHandle> leftovers(Process p) {
        return p.descendants().filter(ProcessHandle::isAlive).toList();
    }

    private static String stderr(Path err) throws java.io.IOException {
        return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
    }

}
