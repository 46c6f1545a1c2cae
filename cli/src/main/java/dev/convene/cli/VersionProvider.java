package dev.convene.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: this build, the JGroups it runs on, and the JVM. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "convene " + version(),
            "JGroups " + org.jgroups.Version.description,
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    /** The project version the build wrote into version.properties. */
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the version resource", e);
        }
    }
}
