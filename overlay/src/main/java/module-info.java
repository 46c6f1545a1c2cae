/**
 * The Convene overlay: verified peers on one JGroups channel, exchanging signed, typed messages.
 *
 * <p>API: {@code dev.convene.overlay} (peers, identity, configuration, listeners) and {@code dev.convene.overlay.wire}
 * (message types and their codecs, for layers that define messages). {@code dev.convene.overlay.internal} is the
 * implementation, exported only to the conference layer.
 */
module dev.convene.overlay {
    requires org.jgroups;
    requires com.esotericsoftware.kryo.kryo5;
    requires com.google.common;
    requires org.bouncycastle.provider;
    requires org.slf4j;
    requires com.ibm.icu;

    exports dev.convene.overlay;
    exports dev.convene.overlay.wire;
    exports dev.convene.overlay.internal to dev.convene.conference;
    // JGroups introspects the protocol it is handed (SuspectTap).
    opens dev.convene.overlay.internal to org.jgroups;
}
