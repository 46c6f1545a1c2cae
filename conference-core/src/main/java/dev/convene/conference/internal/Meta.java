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

    static final WireCodec<Meta> META = codec(false);

    /**
     * As {@link #META}, but a body that ends after the role changes reads as having no schedule changes: how a head
     * stored before schedule changes existed is read. Never for frames, where the full format is required.
     */
    static final WireCodec<Meta> STORED_META = codec(true);

    private static WireCodec<Meta> codec(boolean schedulesOptional) {
        return new WireCodec<>() {
            public void write(WireWriter out, Meta m) {
                out.write(m.context(), SIGNED_CONTEXT).writeCollection(m.invitations(), INVITATION)
                        .writeCollection(m.replies(), REPLY).writeBoolean(m.end() != null);
                if (m.end() != null) out.write(m.end(), END);
                out.writeCollection(m.removals(), REMOVAL).writeCollection(m.grants(), GRANT).writeCollection(m.roles(), ROLE)
                        .writeCollection(m.schedules(), RESCHEDULE);
            }

            public Meta read(WireReader in) {
                SignedContext ctx = in.read(SIGNED_CONTEXT);
                List<Invitation> inv = in.readList(ConferenceContext.MAX_INVITEES * 2, INVITATION);
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
