package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.END;
import static dev.convene.conference.internal.Protocol.GRANT;
import static dev.convene.conference.internal.Protocol.INVITATION;
import static dev.convene.conference.internal.Protocol.MAX_REMOVALS;
import static dev.convene.conference.internal.Protocol.MAX_REMOVAL_RECORDS;
import static dev.convene.conference.internal.Protocol.MAX_REVISIONS;
import static dev.convene.conference.internal.Protocol.MAX_ROLE_CHANGES;
import static dev.convene.conference.internal.Protocol.REMOVAL;
import static dev.convene.conference.internal.Protocol.MAX_RESCHEDULES;
import static dev.convene.conference.internal.Protocol.REPLY;
import static dev.convene.conference.internal.Protocol.RESCHEDULE;
import static dev.convene.conference.internal.Protocol.ROLE;
import static dev.convene.conference.internal.Protocol.SIGNED_CONTEXT;

import dev.convene.conference.ConferenceContext;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireFormatException;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.util.List;

/** Everything about a conference but its chat: sent to members when it changes, and in full on (re)join. */
record Meta(SignedContext context, List<Invitation> invitations, List<Reply> replies, EndNotice end,
            List<Removal> removals, List<KeyGrant> grants, List<RoleChange> roles, List<Reschedule> schedules) {
    Meta {
        schedules = List.copyOf(schedules);
        invitations = List.copyOf(invitations);
        replies = List.copyOf(replies);
        removals = List.copyOf(removals);
        grants = List.copyOf(grants);
        roles = List.copyOf(roles);
    }

    Meta(SignedContext context, List<Invitation> invitations, List<Reply> replies, EndNotice end,
         List<Removal> removals, List<KeyGrant> grants, List<RoleChange> roles) {
        this(context, invitations, replies, end, removals, grants, roles, List.of());
    }

    Meta(SignedContext context, List<Invitation> invitations, List<Reply> replies, EndNotice end,
         List<Removal> removals, List<KeyGrant> grants) {
        this(context, invitations, replies, end, removals, grants, List.of());
    }

    Meta(SignedContext context, List<Invitation> invitations, List<Reply> replies, EndNotice end) {
        this(context, invitations, replies, end, List.of(), List.of());
    }

    /**
     * The frame format: the signed context once, and each invitation as a flag byte (0: its context is the frame's,
     * byte for byte; 1: its own context follows) and its other fields ({@link Invitation#writeAfterContext}). Before,
     * every invitation carried its copy of the context (with the invitee list, about 3.7 KiB at 100 invitees).
     */
    static final WireCodec<Meta> META = codec(false, true);

    /**
     * As the frame format before invitations shared the context (each invitation whole, with its context), and a body
     * that ends after the role changes reads as having no schedule changes: how a head is stored and read (heads
     * stored before schedule changes existed have none). Never for frames.
     */
    static final WireCodec<Meta> STORED_META = codec(true, false);

    /** Flag before an invitation in a frame: its context is the frame's. */
    static final int SAME_CONTEXT = 0;
    /** Flag before an invitation in a frame: its own context follows. */
    static final int OWN_CONTEXT = 1;

    /** An invitation in a frame whose context is {@code ctx} (encoded as {@code ctxBytes}). */
    private static WireCodec<Invitation> invitationIn(SignedContext ctx, byte[] ctxBytes) {
        return new WireCodec<>() {
            public void write(WireWriter out, Invitation i) {
                boolean same = i.context() == ctx || java.util.Arrays.equals(Protocol.bytes(SIGNED_CONTEXT, i.context()), ctxBytes);
                out.writeByte(same ? SAME_CONTEXT : OWN_CONTEXT);
                if (!same) out.write(i.context(), SIGNED_CONTEXT);
                Invitation.writeAfterContext(out, i);
            }

            public Invitation read(WireReader in) {
                int flag = in.readByte();
                if (flag != SAME_CONTEXT && flag != OWN_CONTEXT) throw new WireFormatException("invitation context flag " + flag);
                return Invitation.readAfterContext(in, flag == SAME_CONTEXT ? ctx : in.read(SIGNED_CONTEXT));
            }
        };
    }

    private static WireCodec<Meta> codec(boolean schedulesOptional, boolean sharedContext) {
        return new WireCodec<>() {
            public void write(WireWriter out, Meta m) {
                out.write(m.context(), SIGNED_CONTEXT).writeCollection(m.invitations(), sharedContext
                                ? invitationIn(m.context(), Protocol.bytes(SIGNED_CONTEXT, m.context())) : INVITATION)
                        .writeCollection(m.replies(), REPLY).writeBoolean(m.end() != null);
                if (m.end() != null) out.write(m.end(), END);
                out.writeCollection(m.removals(), REMOVAL).writeCollection(m.grants(), GRANT).writeCollection(m.roles(), ROLE)
                        .writeCollection(m.schedules(), RESCHEDULE);
            }

            public Meta read(WireReader in) {
                SignedContext ctx = in.read(SIGNED_CONTEXT);
                List<Invitation> inv = in.readList(ConferenceContext.MAX_INVITEES * 2, sharedContext ? invitationIn(ctx, null) : INVITATION);
                List<Reply> rep = in.readList((ConferenceContext.MAX_INVITEES * 2 + 2) * MAX_REVISIONS, REPLY);
                EndNotice end = in.readBoolean() ? in.read(END) : null;
                List<Removal> rem = in.readList(MAX_REMOVAL_RECORDS, REMOVAL);
                List<KeyGrant> grants = in.readList(MAX_REMOVALS * (ConferenceContext.MAX_INVITEES + 1) * 2, GRANT);
                List<RoleChange> roles = in.readList(MAX_ROLE_CHANGES, ROLE);
                // Schedule changes came last, after this format was first stored: a head saved before has none.
                List<Reschedule> schedules = schedulesOptional && in.atEnd() ? List.of() : in.readList(MAX_RESCHEDULES * 2, RESCHEDULE);
                return new Meta(ctx, inv, rep, end, rem, grants, roles, schedules);
            }
        };
    }
}
