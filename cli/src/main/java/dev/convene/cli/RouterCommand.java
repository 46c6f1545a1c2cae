package dev.convene.cli;

import dev.convene.cli.output.Event;
import dev.convene.cli.output.EventWriter;
import dev.convene.cli.router.RelayRouter;
import dev.convene.overlay.OverlayConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code convene router}: a relay for {@code relay} mode (a JGroups GossipRouter), on 127.0.0.1:12001 unless
 * {@code --bind} / {@code --port} say otherwise. Runs until Ctrl-C (or, in tests, until interrupted).
 */
@Command(name = "router", description = {
    "Runs a relay for peers in relay mode (a JGroups GossipRouter).",
    "Listens on --bind (default 127.0.0.1) and --port (default 12001);",
    "peers connect with --network relay --router HOST:PORT. Ctrl-C stops it."})
final class RouterCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = main.global();
        EventWriter out = EventWriter.of(spec, g.json);
        String bind = g.bindAddress();
        int port = g.port != null ? g.port : OverlayConfig.DEFAULT_ROUTER_PORT;
        RelayRouter router = new RelayRouter(bind, port, out);
        try {
            router.start();
        } catch (Exception e) {
            router.stop();
            throw CliException.failed("cannot listen on " + bind + ":" + port + " (" + e.getMessage()
                    + "); choose another --port, or --bind an address of this machine");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            router.stop();
            out.note("router stopped");
            stopped.countDown();
        }, "convene-router-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.emit(new Event.Ready(null, "router", null, "relay", bind + ":" + port, null, null));
        out.note("peers join with: --network relay --router " + bind + ":" + port + "   (Ctrl-C stops the router)");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            router.stop();
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }
}
