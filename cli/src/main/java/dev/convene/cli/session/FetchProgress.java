package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.Event;
import dev.convene.cli.output.EventWriter;
import dev.convene.cli.output.FileInfo;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.FileOffer;
import dev.convene.conference.FileProgress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What {@code fetch} shows while a file moves: with {@code --json}, {@code file-progress} events (the first, then at
 * most {@link Event.FileProgress#PER_SECOND} a second, and the last); on a terminal, a progress bar redrawn at most
 * {@link #BAR_PER_SECOND} times a second and cleared at the end; nothing otherwise. The library calls it on a file
 * thread, one call at a time; it only writes through the session's {@link EventWriter}, which never blocks for long.
 * Its monitor keeps a call that is under way from drawing the bar after {@link #done}.
 */
final class FetchProgress implements Consumer<FileProgress> {
    /** The most redraws of the progress bar per second. */
    static final int BAR_PER_SECOND = 10;

    private final EventWriter out;
    private final ConferenceView conference;
    private final FileOffer offer;
    private final String id;
    private final AtomicLong bytesDone = new AtomicLong();
    private long lastEvent = Long.MIN_VALUE;
    private long lastBar = Long.MIN_VALUE;
    private long lastEventBytes = -1;
    private boolean done;

    FetchProgress(EventWriter out, ConferenceView conference, FileOffer offer) {
        this.out = out;
        this.conference = conference;
        this.offer = offer;
        this.id = ConferenceEvents.messageId(offer.id());
    }

    @Override
    public synchronized void accept(FileProgress p) {
        if (done) return;
        bytesDone.set(p.bytesDone());
        long now = System.nanoTime();
        boolean last = p.bytesDone() == p.bytesTotal();
        if (out.json()) {
            boolean first = lastEvent == Long.MIN_VALUE;
            if ((first || last || now - lastEvent >= 1_000_000_000L / Event.FileProgress.PER_SECOND) && p.bytesDone() != lastEventBytes) {
                lastEvent = now;
                lastEventBytes = p.bytesDone();
                out.emit(new Event.FileProgress(conference.id().value(), conference.title(), id, offer.name(), p.bytesDone(), p.bytesTotal(),
                        p.sources()));
            }
        } else if (out.showsProgress() && (lastBar == Long.MIN_VALUE || last || now - lastBar >= 1_000_000_000L / BAR_PER_SECOND)) {
            lastBar = now;
            out.progress(FileInfo.progressBar(offer.name(), p.bytesDone(), p.bytesTotal(), p.sources(), out.width()));
        }
    }

    /** Bytes verified and written so far, as last told. */
    long bytesDone() {
        return bytesDone.get();
    }

    /** The fetch is over: the bar goes, and later calls show nothing. */
    synchronized void done() {
        done = true;
        out.progress(null);
    }
}
