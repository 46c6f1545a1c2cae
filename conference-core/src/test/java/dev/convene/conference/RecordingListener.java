package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every conference event as a line, plus the threads callbacks ran on. Thread-safe. */
public final class RecordingListener implements ConferenceListener {
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<ChatEntry> messages = new CopyOnWriteArrayList<>();
    public final List<String> threads = new CopyOnWriteArrayList<>();
    /** Own messages reported delivered (acknowledged), in order. */
    public final List<ChatEntry> delivered = new CopyOnWriteArrayList<>();
    /** Own messages reported stored by every other participant, in order. */
    public final List<ChatEntry> deliveredToAll = new CopyOnWriteArrayList<>();
    /** Messages taken out of a history after they were shown, in order. */
    public final List<ChatEntry> retracted = new CopyOnWriteArrayList<>();

    private void add(String e) {
        threads.add(Thread.currentThread().getName());
        events.add(e);
    }

    @Override
    public void invitation(ConferenceView conference, PeerId inviter) {
        add("invitation " + conference.title());
    }

    @Override
    public void reply(ConferenceView conference, PeerId from, Answer answer, String reason) {
        add("reply " + conference.title() + " " + from.shortId() + " " + answer.label() + (reason.isEmpty() ? "" : " " + reason));
    }

    @Override
    public void started(ConferenceView conference) {
        add("started " + conference.title());
    }

    @Override
    public void ended(ConferenceView conference) {
        add("ended " + conference.title());
    }

    @Override
    public void message(ChatEntry message) {
        threads.add(Thread.currentThread().getName());
        messages.add(message);
    }

    @Override
    public void delivered(ChatEntry message) {
        threads.add(Thread.currentThread().getName());
        delivered.add(message);
    }

    @Override
    public void deliveredToAll(ChatEntry message) {
        threads.add(Thread.currentThread().getName());
        deliveredToAll.add(message);
    }

    @Override
    public void retracted(ChatEntry message, String reason) {
        threads.add(Thread.currentThread().getName());
        retracted.add(message);
    }

    @Override
    public void participantJoined(ConferenceView conference, PeerId peer, String reason) {
        add("joined " + conference.title() + " " + peer.shortId() + " " + reason);
    }

    @Override
    public void participantLeft(ConferenceView conference, PeerId peer, String reason) {
        add("left " + conference.title() + " " + peer.shortId() + " " + reason);
    }

    @Override
    public void rescheduled(ConferenceView before, ConferenceView after) {
        add("rescheduled " + after.title() + " " + after.context().start() + " " + after.context().duration());
    }

    public boolean has(String event) {
        return events.contains(event);
    }
}
