package dev.convene.example.modular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.Overlay;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Convene as named modules: names, what is exported, and the application run by {@code java -m}. */
class StandupTest {

    @Test
    void theLibrariesAreNamedModulesExportingOnlyTheirApi() throws Exception {
        Module conference = ConferencePeer.class.getModule();
        Module overlay = Overlay.class.getModule();
        assertThat(conference.getName()).isEqualTo("dev.convene.conference");
        assertThat(overlay.getName()).isEqualTo("dev.convene.overlay");
        assertThat(conference.getDescriptor().isAutomatic()).isFalse();
        assertThat(conference.isExported("dev.convene.conference")).isTrue();
        assertThat(conference.isExported("dev.convene.conference.internal")).isFalse();
        assertThat(overlay.isExported("dev.convene.overlay.internal")).isFalse();
        assertThat(overlay.isExported("dev.convene.overlay.internal", conference)).isTrue();
        // the internals are not reachable from the application
        Class<?> engine = Class.forName("dev.convene.conference.internal.ConferenceEngine");
        assertThatThrownBy(() -> engine.getConstructors()[0].newInstance(new Object[engine.getConstructors()[0].getParameterCount()]))
                .isInstanceOf(IllegalAccessException.class);
    }

    @Test
    @Timeout(60)
    void theStandupRunsInThisModule() throws Exception {
        assertThat(Standup.class.getModule().getName()).isEqualTo("dev.convene.example.modular");
        assertThat(Standup.run()).containsExactly("yesterday: modules");
    }

    @Test
    @Timeout(120)
    void theApplicationStartsWithJavaMinusMAndNoAddModules() throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        assertThat(modulePath).as("surefire runs this module on the module path").isNotBlank();
        // the application's own module plus its dependencies, without the test frameworks
        StringBuilder mp = new StringBuilder();
        for (String entry : modulePath.split(File.pathSeparator)) {
            if (entry.contains("junit") || entry.contains("assertj") || entry.contains("opentest4j") || entry.contains("apiguardian")
                    || entry.contains("byte-buddy") || entry.contains("test-classes")) continue;
            if (mp.length() > 0) mp.append(File.pathSeparator);
            mp.append(entry);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Path out = Files.createTempFile("standup", ".log");
        try {
            Process p = new ProcessBuilder(java, "-Djava.net.preferIPv4Stack=true", "-Djgroups.bind_addr=127.0.0.1", "-Xmx256m",
                    "--module-path", mp.toString(), "-m", "dev.convene.example.modular/dev.convene.example.modular.Standup")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("finished").isTrue();
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
            assertThat(lines).contains("yesterday: modules", "dev.convene.example.modular ok");
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
