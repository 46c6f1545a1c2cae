package dev.convene.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.cli.IdentityCommand;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/EVENTS.md documents exactly the events the code can emit, each with a JSON example. */
class EventsDocumentedTest {
    private static final Path DOC = Path.of("..", "docs", "EVENTS.md");
    private static final Pattern HEADING = Pattern.compile("^### `([a-z-]+)`", Pattern.MULTILINE);

    static Set<String> emittable() {
        return Arrays.stream(Event.class.getPermittedSubclasses()).map(EventsDocumentedTest::nameOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String nameOf(Class<?> type) {
        try {
            Field f = type.getDeclaredField("NAME");
            f.setAccessible(true);
            return (String) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type.getSimpleName() + " has no static NAME", e);
        }
    }

    @Test
    void everyEventTheCodeCanEmitIsDocumentedWithAnExampleAndNothingElseIs() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Set<String> documented = new TreeSet<>();
        Matcher m = HEADING.matcher(doc);
        while (m.find()) documented.add(m.group(1));
        assertThat(documented).isEqualTo(emittable());
        for (String name : emittable()) {
            assertThat(doc).as("a JSON example of " + name).contains("{\"event\":\"" + name + "\",\"at\":\"");
        }
    }

    @Test
    void everyFieldNameInEveryExampleIsKebabCase() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        int examples = 0;
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            if (!line.startsWith("{\"event\"") || line.contains("…")) continue;
            checkKeys(mapper.readTree(line), line);
            examples++;
        }
        assertThat(examples).isGreaterThan(20);
    }

    private static void checkKeys(com.fasterxml.jackson.databind.JsonNode node, String line) {
        if (node.isArray()) node.forEach(n -> checkKeys(n, line));
        if (!node.isObject()) return;
        node.fields().forEachRemaining(f -> {
            assertThat(f.getKey()).as(line).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
            if (!f.getKey().equals("drops")) checkKeys(f.getValue(), line);
        });
    }

    @Test
    void theWriterNamesJavaFieldsInKebabCase() throws Exception {
        String json = new EventWriter(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter()),
                true, java.time.Clock.systemUTC()).toJson(new Event.Result("identity", null,
                new IdentityCommand.Data("id", "short", "ann", "fp", "/h"), ""));
        assertThat(json).contains("\"short-id\":\"short\"").doesNotContain("shortId");
    }

    /**
     * Not only the documented examples: every record of the client (its events, the data of every command's
     * result, and every record they hold, conference-core's counters included) gets kebab-case names from the
     * writer, so an event or result added later cannot bring another casing in (a {@code @JsonProperty} in
     * camelCase would). The benchmark writes no events and is left out.
     */
    @Test
    void everyRecordTheWriterCanWriteHasKebabCaseNames() throws Exception {
        Path classes = Path.of(EventWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        java.util.Deque<Class<?>> todo = new java.util.ArrayDeque<>();
        try (var files = Files.walk(classes.resolve("dev/convene/cli"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("/bench/")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, EventWriter.class.getClassLoader());
                if (c.isRecord()) todo.add(c);
            }
        }
        Set<Class<?>> seen = new java.util.HashSet<>();
        int names = 0;
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (!seen.add(c)) continue;
            for (String n : EventWriter.jsonNames(c)) {
                assertThat(n).as(c.getName()).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
                names++;
            }
            for (var component : c.getRecordComponents()) {
                if (component.getType().isRecord()) todo.add(component.getType());
                if (component.getGenericType() instanceof java.lang.reflect.ParameterizedType p) {
                    for (var arg : p.getActualTypeArguments()) {
                        if (arg instanceof Class<?> a && a.isRecord()) todo.add(a);
                    }
                }
            }
        }
        assertThat(seen).contains(Event.Ready.class, dev.convene.conference.ConferenceStats.class);
        assertThat(names).isGreaterThan(200);
    }

    @Test
    void everyEventTypeIsARecordWithAName() {
        assertThat(Event.class.getPermittedSubclasses()).allSatisfy(c -> assertThat(c.isRecord()).as(c.getName()).isTrue());
        assertThat(emittable()).contains("ready", "peer-joined", "peer-left", "result", "error");
    }
}
