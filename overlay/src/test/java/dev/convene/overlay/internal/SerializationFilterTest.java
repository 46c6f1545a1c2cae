package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM-wide serialization filter the overlay installs. It is global and can be set once per JVM, so
 * this test only checks that, once the overlay has hardened the JVM, Java deserialization is refused.
 */
class SerializationFilterTest {
    @Test
    void javaDeserializationIsRefusedOnceTheOverlayHasHardenedTheJvm() throws IOException {
        OverlayCore.hardenSerialization();
        OverlayCore.hardenSerialization(); // idempotent
        assertThat(ObjectInputFilter.Config.getSerialFilter()).isNotNull();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(List.of("a", "b")));
        }
        assertThatThrownBy(() -> {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                in.readObject();
            }
        }).isInstanceOf(InvalidClassException.class).hasMessageContaining("REJECTED");
    }
}
