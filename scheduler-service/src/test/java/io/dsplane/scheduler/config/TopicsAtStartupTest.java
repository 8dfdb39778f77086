package io.dsplane.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TopicsAtStartupTest {

    @Test
    void namesEveryTopicReadInPlaceWhosePartitionCountDiffersFromTheRepartitionTopics() {
        record Case(Map<String, Integer> counts, int expected, List<String> want) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("dsplane.nodes.v1", 6, "grants", 6), 6, List.of()),
                new Case(Map.of("dsplane.nodes.v1", 3, "grants", 6), 6, List.of("dsplane.nodes.v1 (3 partitions)")),
                new Case(Map.of("grants", 12, "dsplane.nodes.v1", 3), 6,
                        List.of("dsplane.nodes.v1 (3 partitions)", "grants (12 partitions)")),
                new Case(Map.of("dsplane.nodes.v1", 3, "grants", 3), 3, List.of()));
        for (Case c : cases) {
            assertThat(TopicsAtStartup.mismatches(c.counts(), c.expected())).as("%s", c).isEqualTo(c.want());
        }
    }
}
