package dev.convene.overlay;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * What a peer says about itself (JXTA's peer advertisement): id, display name, public keys, transport
 * endpoint, capabilities and when it was issued. Each peer publishes its own, signed, on join and on every
 * view change; receivers keep it in the {@link Directory} only after checking that the signature's key is
 * {@link #signingKey()} and that {@link #id()} derives from it.
 *
 * @param id derived from {@code signingKey}
 * @param name a display name (not unique, never trusted for identity), 1-64 characters
 * @param signingKey raw Ed25519 public key, 32 bytes
 * @param agreementKey raw X25519 public key, 32 bytes
 * @param endpoint how it is reached, for people: {@code 127.0.0.1:7801}, {@code relay:HOST:PORT,...} or
 *     {@code memory:NAME}; at most 256 UTF-8 bytes on the wire
 * @param capabilities feature names, e.g. {@code conference/1}
 * @param issuedAt when the peer issued it, by its clock
 */
public record PeerAdvertisement(PeerId id, String name, byte[] signingKey, byte[] agreementKey, String endpoint,
                                Set<String> capabilities, Instant issuedAt) {
    /** Longest display name, in characters. */
    public static final int MAX_NAME = 64;

    /**
     * Checks the components.
     *
     * @param id derived from {@code signingKey}
     * @param name a display name (not unique, never trusted for identity), 1-64 characters
     * @param signingKey raw Ed25519 public key, 32 bytes
     * @param agreementKey raw X25519 public key, 32 bytes
     * @param endpoint how it is reached, for people: {@code 127.0.0.1:7801}, {@code relay:HOST:PORT,...} or
     *         {@code memory:NAME}; at most 256 UTF-8 bytes on the wire
     * @param capabilities feature names, e.g. {@code conference/1}
     * @param issuedAt when the peer issued it, by its clock
     */
    public PeerAdvertisement {
        Objects.requireNonNull(id, "id");
        name = checkName(name);
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (signingKey == null || signingKey.length != Identity.KEY_LENGTH) throw new IllegalArgumentException("signingKey: expected 32 bytes");
        if (agreementKey == null || agreementKey.length != Identity.KEY_LENGTH) throw new IllegalArgumentException("agreementKey: expected 32 bytes");
        if (!PeerId.fromSigningKey(signingKey).equals(id)) throw new IllegalArgumentException("id: does not derive from the signing key");
        signingKey = signingKey.clone();
        agreementKey = agreementKey.clone();
        capabilities = Set.copyOf(capabilities);
    }

    /**
     * Validates a display name: 1-64 characters, no control characters.
     *
     * @param name the name as given
     * @return the name, trimmed
     * @throws IllegalArgumentException if it is empty, too long or has control characters
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        String trimmed = name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: 1-" + MAX_NAME + " printable characters)");
        }
        return trimmed;
    }

    /**
     * The raw 32-byte Ed25519 public key (a copy).
     *
     * @return the key
     */
    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    /**
     * The raw 32-byte X25519 public key (a copy).
     *
     * @return the key
     */
    @Override
    public byte[] agreementKey() {
        return agreementKey.clone();
    }

    /**
     * The short fingerprint of the signing key.
     *
     * @return the short fingerprint of the signing key
     */
    public String fingerprint() {
        return Identity.fingerprint(signingKey);
    }

    /**
     * {@code name (shortid)}, for people.
     *
     * @return {@code name (shortid)}, for people
     */
    public String label() {
        return name + " (" + id.shortId() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerAdvertisement a && id.equals(a.id) && name.equals(a.name)
                && Arrays.equals(signingKey, a.signingKey) && Arrays.equals(agreementKey, a.agreementKey)
                && endpoint.equals(a.endpoint) && capabilities.equals(a.capabilities) && issuedAt.equals(a.issuedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, endpoint, issuedAt);
    }

    @Override
    public String toString() {
        return "PeerAdvertisement[" + label() + " at " + endpoint + ", issued " + issuedAt + "]";
    }
}
