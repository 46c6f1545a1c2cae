package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import dev.convene.overlay.MessageHandler;
import dev.convene.overlay.OverlayException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A handler that fails is counted and logged; one that cannot answer because its peer is stopping (a frame queued
 * before close, handled after) is counted too, but is not a warning: leaving is not a fault.
 */
class DispatcherTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(Dispatcher.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level before;

    @BeforeEach
    void capture() {
        before = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
        logger.setLevel(before);
    }

    @Test
    void aHandlerThatCannotAnswerWhileItsPeerStopsIsCountedButNotAWarning() {
        AtomicBoolean stopping = new AtomicBoolean();
        Counters counters = new Counters();
        MessageHandler<Object> answers = (from, body) -> {
            throw new OverlayException("this peer has stopped; start it again to send");
        };
        Dispatcher d = new Dispatcher("test", Map.of(7, answers), List.of(), counters, stopping::get);
        var from = Identity.generate().id();

        d.deliver(from, 7, "a frame");
        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN);

        stopping.set(true);
        d.deliver(from, 7, "a frame queued before close");
        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.DEBUG);
        assertThat(counters.snapshot(1, 0, 0).drops(DropReason.HANDLER_FAILED)).isEqualTo(2);

        // Any other failure while stopping is still a warning.
        Dispatcher other = new Dispatcher("test", Map.of(7, (f, b) -> {
            throw new IllegalStateException("a bug");
        }), List.of(), counters, stopping::get);
        other.deliver(from, 7, "a frame");
        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.DEBUG, Level.WARN);
    }
}
