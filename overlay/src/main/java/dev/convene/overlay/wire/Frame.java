package dev.convene.overlay.wire;

import dev.convene.overlay.PeerId;

/**
 * A decoded, verified frame.
 *
 * @param type the registered type
 * @param body the decoded body
 * @param signer the peer whose key signed the frame
 * @param signerKey that raw Ed25519 key
 */
public record Frame(MessageType<?> type, Object body, PeerId signer, byte[] signerKey) {
}
