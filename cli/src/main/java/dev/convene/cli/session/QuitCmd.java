package dev.convene.cli.session;

import java.util.Map;
import picocli.CommandLine.Command;

/** {@code quit}: leaves the group and ends the session or script (later lines do not run). */
@Command(name = "quit", customSynopsis = "quit", description = "leave the group and end the session (or the script)")
final class QuitCmd extends PicocliCommand {
    @Override
    QuitCmd fresh() {
        return new QuitCmd();
    }

    @Override
    Action action() {
        return session -> {
            session.result(name(), Map.of(), "");
            session.quit();
        };
    }
}
