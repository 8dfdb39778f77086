package io.dsplane.fleetsim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class FloorTest {

    /** The floor makes its table with every registry migration there is, in version order. */
    @Test
    void theFloorRunsEveryRegistryMigration() throws IOException {
        // The registry's sources, from this module's directory (where the tests run).
        Path dir = Path.of("../../contracts/src/main/resources/db/registry");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> all = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))).toList();
            assertThat(Floor.REGISTRY_MIGRATIONS).containsExactlyElementsOf(all);
        }
    }
}
