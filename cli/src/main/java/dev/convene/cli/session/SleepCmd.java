package dev.convene.cli.session;

import dev.convene.cli.output.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code sleep D}: pauses the script; presence events keep arriving meanwhile. */
final class SleepCmd implements SessionCommand {
    /** The data of the {@code sleep} result. */
    record Slept(String slept, long millis) {
    }

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public String synopsis() {
        return "sleep D";
    }

    @Override
    public String summary() {
        return "pause for a duration such as 500ms, 2s or 1m";
    }

    @Override
    public Action parse(List<String> args) {
        Args a = Args.parse(args, synopsis(), Set.of(), Set.of()).expect(1, 1);
        Duration d = Durations.parse(a.positional(0), "sleep");
        return session -> {
            Thread.sleep(d.toMillis());
            session.result(name(), new Slept(Durations.format(d), d.toMillis()), "");
        };
    }
}
