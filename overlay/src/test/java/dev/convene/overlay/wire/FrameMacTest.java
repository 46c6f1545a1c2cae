package dev.convene.overlay.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@link FrameMac} keeps a thread's key between frames: whatever the order of keys, each MAC is HMAC-SHA256 under its own key. */
class FrameMacTest {
    private static byte[] reference(byte[] key, byte[] data, int offset, int length) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        m.update(data, offset, length);
        return m.doFinal();
    }

    @Test
    void everyMacIsUnderItsOwnKeyWhateverTheKeyBeforeIt() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("FrameMacTest seed " + seed);
        Random r = new Random(seed);
        byte[][] keys = new byte[3][32];
        for (byte[] k : keys) r.nextBytes(k);
        for (int i = 0; i < 500; i++) {
            byte[] key = keys[r.nextInt(keys.length)];
            byte[] data = new byte[r.nextInt(600)];
            r.nextBytes(data);
            int offset = data.length == 0 ? 0 : r.nextInt(data.length);
            int length = data.length - offset;
            byte[] out = new byte[FrameMac.LENGTH + 3];
            FrameMac.compute(key, data, offset, length, out, 3);
            byte[] expected = reference(key, data, offset, length);
            assertThat(java.util.Arrays.copyOfRange(out, 3, out.length)).as("seed %d, round %d", seed, i).isEqualTo(expected);
            assertThat(FrameMac.verify(key, data, offset, length, out, 3)).isTrue();
            byte[] other = keys[(java.util.Arrays.asList(keys).indexOf(key) + 1) % keys.length];
            assertThat(FrameMac.verify(other, data, offset, length, out, 3)).as("seed %d, round %d", seed, i).isFalse();
        }
    }

    @Test
    void aKeyChangedInPlaceAfterUseIsNotTakenForTheOldOne() throws Exception {
        byte[] key = new byte[32];
        byte[] data = "frame".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[FrameMac.LENGTH];
        FrameMac.compute(key, data, 0, data.length, out, 0);
        key[0] = 1; // the same array, another key
        FrameMac.compute(key, data, 0, data.length, out, 0);
        assertThat(out).isEqualTo(reference(key, data, 0, data.length));
    }
}
