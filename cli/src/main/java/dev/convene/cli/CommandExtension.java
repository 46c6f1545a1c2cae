package dev.convene.cli;

/**
 * A subcommand of {@code convene} that lives in another module (today {@code convene bench}, in the
 * {@code bench} module, which depends on this one). Implementations are picocli {@code @Command} classes with a
 * public no-argument constructor, listed in {@code META-INF/services/dev.convene.cli.CommandExtension};
 * {@link Main} adds every one found on the class path, after its own commands. Without the module on the class
 * path the command is simply absent.
 */
public interface CommandExtension {
}
