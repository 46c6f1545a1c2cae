package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CHAT;
import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;
import static dev.convene.conference.internal.Protocol.MAX_BATCH;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.util.List;

/**
 * Chat messages the receiver lacked, in one bounded batch; {@code more} says the sender holds more, and
 * the receiver pulls the next batch with a fresh digest (at most two being taken in per pair: {@link HistorySync}).
 */
record ChatBatch(ConferenceId conference, List<ChatMessage> messages, boolean more) {
    ChatBatch {
        messages = List.copyOf(messages);
    }

    static final WireCodec<ChatBatch> BATCH = new WireCodec<>() {
        public void write(WireWriter out, ChatBatch b) {
            out.write(b.conference(), CONFERENCE_ID).writeCollection(b.messages(), CHAT).writeBoolean(b.more());
        }

        public ChatBatch read(WireReader in) {
            return new ChatBatch(in.read(CONFERENCE_ID), in.readList(MAX_BATCH, CHAT), in.readBoolean());
        }
    };
}
