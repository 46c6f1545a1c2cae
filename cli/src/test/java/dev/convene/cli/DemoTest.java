package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(90)
class DemoTest {
    @Test
    void fourPeersDiscoverEachOtherAndTheDemoSaysSo() {
        CliRun r = CliRun.run("--json", "demo");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.events("demo-step")).extracting(e -> e.path("passed").asBoolean()).containsExactly(true, true);
        JsonNode discovery = r.events("demo-step").get(1);
        assertThat(discovery.path("details")).hasSize(4);
        for (JsonNode line : discovery.path("details")) {
            assertThat(line.asText()).matches("\\w+ sees .*").doesNotContain("<-");
        }
        assertThat(discovery.path("details").get(0).asText()).startsWith("alice sees bob (").contains("carol (", "dave (");
        assertThat(r.results("demo").get(0).at("/data/verified").asBoolean()).isTrue();
        assertThat(r.results("demo").get(0).at("/data/peers").asInt()).isEqualTo(4);
    }

    @Test
    void humanOutputShowsWhatEachPeerSees() {
        CliRun r = CliRun.run("demo", "--peers", "3");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("step 1/2: start alice, bob, carol", "step 2/2:", "alice sees bob (", "carol sees alice (",
                "verified: all 2 steps checked out for 3 peers");
    }

    @Test
    void aFailingStepFailsTheDemo() throws InterruptedException {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        EventWriter w = new EventWriter(new java.io.PrintWriter(out), new java.io.PrintWriter(err), false, java.time.Clock.systemUTC());
        Demo.Step neverHappens = new Demo.Step() {
            @Override
            public String title(Demo.Cast cast) {
                return "something that never happens";
            }

            @Override
            public java.util.List<String> run(Demo.Cast cast) throws Demo.StepFailed {
                throw new Demo.StepFailed("it did not happen", java.util.List.of("alice saw nothing"));
            }
        };
        int code = new Demo(2, java.time.Duration.ofSeconds(5), w).run(java.util.List.of(new DemoSteps.StartPeers(), neverHappens));
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("step 2/2: something that never happens  FAILED", "alice saw nothing").doesNotContain("verified");
        assertThat(err.toString()).isEqualTo("convene: demo step 2 failed: it did not happen" + System.lineSeparator());
    }

    @Test
    void tooFewOrTooManyPeersIsAUsageError() {
        assertThat(CliRun.run("demo", "--peers", "1").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("demo", "--peers", "9").err()).contains("--peers 9 (expected: 2-8)");
    }
}
