package dev.convene.cli.session;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code quit}: leaves the group and ends the session or script (later lines do not run). */
final class QuitCmd implements SessionCommand {
    @Override
    public String name() {
        return "quit";
    }

    @Override
    public String synopsis() {
        return "quit";
    }

    @Override
    public String summary() {
        return "leave the group and end the session (or the script)";
    }

    @Override
    public Action parse(List<String> args) {
        Args.parse(args, synopsis(), Set.of(), Set.of()).expect(0, 0);
        return session -> {
            session.result(name(), Map.of(), "");
            session.quit();
        };
    }
}
