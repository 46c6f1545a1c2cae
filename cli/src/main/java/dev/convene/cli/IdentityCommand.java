package dev.convene.cli;

import dev.convene.cli.output.Event;
import dev.convene.cli.output.EventWriter;
import dev.convene.overlay.Identity;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code convene identity}: this peer's id, name and key fingerprint, creating the identity on first use. */
@Command(name = "identity", description = "Prints this peer's id, name and key fingerprint (creating them on first use).")
public final class IdentityCommand implements Callable<Integer> {
    /** The data of the {@code identity} result. */
    public record Data(String id, String shortId, String name, String fingerprint, String home) {
    }

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GlobalOptions g = main.global();
        Identity identity = main.identity();
        String name = NameStore.resolve(g.home(), g.name);
        Data d = new Data(identity.id().value(), identity.id().shortId(), name, identity.fingerprint(),
                g.home().toAbsolutePath().toString());
        String text = String.format("id           %s%nname         %s%nfingerprint  %s%nhome         %s",
                d.id(), d.name(), d.fingerprint(), d.home());
        EventWriter.of(spec, g.json).emit(new Event.Result("identity", null, d, text));
        return ExitCodes.OK;
    }
}
