package dev.convene.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.convene.cli.CliRun;
import dev.convene.cli.output.EventWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(90)
class DemoTest {
    @Test
    void fourPeersDiscoverEachOtherAndTheDemoSaysSo() {
        CliRun r = CliRun.run("--json", "demo");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.events("demo-step")).extracting(e -> e.path("passed").asBoolean()).containsOnly(true).hasSize(7);
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
    void aWholeConferenceIsActedOutAndCheckedAtEveryPeer() {
        CliRun r = CliRun.run("--json", "demo");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> titles = r.events("demo-step").stream().map(e -> e.path("title").asText()).toList();
        assertThat(titles.subList(2, 7)).containsExactly(
                "alice creates 'Design review' with an agenda and invites bob, carol, dave",
                "bob, carol accept; dave declines ('busy with the release')",
                "the participants chat; each message is verified at every participant",
                "alice, the organiser, closes its peer and leaves",
                "the others chat on without the organiser");
        assertThat(details(r, 3)).allSatisfy(d -> assertThat(d).contains("bob accepted, carol accepted, dave declined ('busy with the release')"));
        assertThat(details(r, 4)).contains("dave (declined) received 0 messages")
                .anySatisfy(d -> assertThat(d).startsWith("bob has 3 messages, 3 as live events: ")
                        .contains("hello from alice", "hello from bob", "hello from carol"));
        assertThat(details(r, 5)).containsExactly("bob sees alice go offline; 'Design review' is live",
                "carol sees alice go offline; 'Design review' is live");
        assertThat(details(r, 6)).contains("dave (declined) received 0 messages")
                .anySatisfy(d -> assertThat(d).startsWith("carol has 5 messages"));
        assertThat(r.out()).doesNotContain("<-");
    }

    private static List<String> details(CliRun r, int step) {
        List<String> out = new java.util.ArrayList<>();
        r.events("demo-step").get(step).path("details").forEach(d -> out.add(d.asText()));
        return out;
    }

    @Test
    void humanOutputShowsWhatEachPeerSees() {
        CliRun r = CliRun.run("demo", "--peers", "5");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("step 1/7: start alice, bob, carol, dave, erin", "step 2/7:", "alice sees bob (", "carol sees alice (",
                "step 4/7: bob, carol, dave accept; erin declines", "erin (declined) received 0 messages",
                "verified: all 7 steps checked out for 5 peers");
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
        assertThat(CliRun.run("demo", "--peers", "3").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("demo", "--peers", "3").err()).contains("--peers 3 (expected: 4-8)");
        assertThat(CliRun.run("demo", "--peers", "9").err()).contains("--peers 9 (expected: 4-8)");
    }
}
