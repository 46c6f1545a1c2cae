package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CHAT;
import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireFormatException;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.util.List;

/**
 * Own posts sent live in one frame (type 114): the messages an author signed together ({@link ChatSigner},
 * {@link BatchSignature}), at least 2 and at most {@link BatchSignature#MAX_MESSAGES}. Taken in as that many chat
 * frames would be; each message carries its own path, so it is also relayed and stored alone.
 */
record ChatPosts(ConferenceId conference, List<ChatMessage> messages) {
    ChatPosts {
        if (conference == null || messages == null) throw new IllegalArgumentException("chat posts: missing part");
        messages = List.copyOf(messages);
        if (messages.isEmpty() || messages.size() > BatchSignature.MAX_MESSAGES) {
            throw new IllegalArgumentException("chat posts: " + messages.size() + " messages");
        }
    }

    static final WireCodec<ChatPosts> CODEC = new WireCodec<>() {
        public void write(WireWriter out, ChatPosts p) {
            out.write(p.conference(), CONFERENCE_ID).writeCollection(p.messages(), CHAT);
        }

        public ChatPosts read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            List<ChatMessage> messages = in.readList(BatchSignature.MAX_MESSAGES, CHAT);
            if (messages.isEmpty()) throw new WireFormatException("chat posts without a message");
            return new ChatPosts(id, messages);
        }
    };

    static final MessageType<ChatPosts> TYPE = new MessageType<>(114, ChatPosts.class, CODEC);
}
