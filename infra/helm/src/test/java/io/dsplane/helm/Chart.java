package io.dsplane.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Chart: the dsplane chart under test, linted and rendered with the embedded Helm. */
final class Chart {

    static final String RELEASE = "dsplane";
    static final String NAMESPACE = "control-plane";

    /** The chart directory, set by the build; the module directory's dsplane/ when run from an IDE. */
    static final Path DIR = Path.of(System.getProperty("dsplane.chart", "dsplane")).toAbsolutePath();

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    private Chart() {
    }

    /** values: a values file of the test resources (values/). */
    static Path values(String name) {
        try {
            return Path.of(Chart.class.getResource("/values/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no test values file " + name, e);
        }
    }

    /** render: `helm template` with the given values files, every document parsed into a typed object. */
    static List<HasMetadata> render(String... valuesFiles) {
        TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (String file : valuesFiles) {
            template = template.withValuesFile(values(file));
        }
        return parse(template.call());
    }

    /** lint: `helm lint --strict`, with the chart's values.yaml overlaid by the given values files. */
    static LintResult lint(Path workDir, String... valuesFiles) {
        Path chart = valuesFiles.length == 0 ? DIR : copyWithValues(workDir, valuesFiles);
        return new Helm(chart).lint().strict().call();
    }

    /** ofKind: the rendered objects of one type. */
    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** named: the rendered object of that type and name; fails when there is none. */
    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> kind, String name) {
        return ofKind(objects, kind).stream()
                .filter(object -> object.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
    }

    private static List<HasMetadata> parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(manifests)) {
            // Helm heads each document with a "# Source:" comment; a document of comments only is empty.
            boolean empty = document.lines().map(String::strip)
                    .allMatch(line -> line.isEmpty() || line.startsWith("#"));
            if (!empty) {
                objects.add(KUBERNETES.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }

    /**
     * copyWithValues: a copy of the chart whose values.yaml is the chart's own merged with the given
     * files, because the embedded lint takes no values files of its own.
     */
    private static Path copyWithValues(Path workDir, String... valuesFiles) {
        try {
            Path copy = workDir.resolve(DIR.getFileName());
            try (Stream<Path> files = Files.walk(DIR)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(DIR.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            JsonNode merged = YAML.readTree(DIR.resolve("values.yaml").toFile());
            for (String file : valuesFiles) {
                merge((ObjectNode) merged, YAML.readTree(values(file).toFile()));
            }
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** merge: Helm's rule for values files: maps merge key by key, anything else replaces. */
    private static void merge(ObjectNode target, JsonNode overlay) {
        for (Map.Entry<String, JsonNode> entry : overlay.properties()) {
            JsonNode current = target.get(entry.getKey());
            if (current instanceof ObjectNode currentObject && entry.getValue().isObject()) {
                merge(currentObject, entry.getValue());
            } else {
                target.set(entry.getKey(), entry.getValue());
            }
        }
    }
}
