package dev.convene.cli;

import dev.convene.cli.demo.ConferenceDemo;
import dev.convene.cli.demo.Demo;
import dev.convene.cli.demo.DemoSteps;
import dev.convene.cli.output.Durations;
import dev.convene.cli.output.EventWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code convene demo}: see {@link Demo}. Always on the in-JVM {@code memory} network; --network is ignored. */
@Command(name = "demo", description = {
    "Shows real peers in this JVM discovering each other and holding a conference.",
    "Starts several peers on the memory network in a group of their own: the first organises a conference",
    "and invites the others, all but the last accept, the last declines, the participants chat, the",
    "organiser leaves and the others chat on. Prints what each peer sees and exits 0 only if every check passed."})
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--peers", paramLabel = "N", defaultValue = "4", description = "How many peers, 4-8 (default: ${DEFAULT-VALUE}).")
    int peers;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long each step may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        if (peers < ConferenceDemo.MIN_PEERS || peers > Demo.NAMES.size()) {
            throw CliException.usage("--peers " + peers + " (expected: " + ConferenceDemo.MIN_PEERS + "-" + Demo.NAMES.size() + ")");
        }
        return new Demo(peers, timeout, EventWriter.of(spec, main.global().json)).run(DemoSteps.standard());
    }

    /** Parses {@code 500ms}, {@code 2s}, {@code 1m} for options. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value, "duration");
            } catch (CliException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
