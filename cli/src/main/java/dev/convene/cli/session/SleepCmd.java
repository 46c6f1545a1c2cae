package dev.convene.cli.session;

import dev.convene.cli.output.Durations;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sleep D}: pauses the script; presence events keep arriving meanwhile. */
@Command(name = "sleep", customSynopsis = "sleep D", description = "pause for a duration such as 500ms, 2s or 1m")
final class SleepCmd extends PicocliCommand {
    @Override
    SleepCmd fresh() {
        return new SleepCmd();
    }

    /** The data of the {@code sleep} result. */
    record Slept(String slept, long millis) {
    }

    @Parameters(index = "0", arity = "1", paramLabel = "D", description = "how long")
    private String duration;

    @Override
    Action action() {
        Duration d = Durations.parse(duration, "sleep");
        return session -> {
            Thread.sleep(d.toMillis());
            session.result(name(), new Slept(Durations.format(d), d.toMillis()), "");
        };
    }
}
