package dev.convene.cli;

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
 * The JVM-wide serialization filter the {@code convene} process installs (the library does not). It can be
 * set once per JVM, so this test only checks that once set, Java deserialization is refused.
 */
class JvmSettingsTest {
    @Test
    void theConveneProcessRefusesJavaDeserialization() throws IOException {
        JvmSettings.refuseJavaDeserialization();
        JvmSettings.refuseJavaDeserialization(); // idempotent
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
