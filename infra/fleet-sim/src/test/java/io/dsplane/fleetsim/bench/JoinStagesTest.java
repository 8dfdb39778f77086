package io.dsplane.fleetsim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JoinStagesTest {

    private static final long MS = 1_000_000L;

    /** recorded is the one value a histogram holds, as the bucket it fell in (microseconds). */
    private static long recorded(org.HdrHistogram.Histogram h) {
        assertThat(h.getTotalCount()).isEqualTo(1);
        return h.lowestEquivalentValue(h.getMaxValue());
    }

    @Test
    void theThreeStagesOfAJoinAddUpToItsLatency() {
        JoinStages stages = new JoinStages(2);
        stages.sent("n1", 0);
        stages.nodeEvent("n1", 10 * MS);
        stages.nodeEvent("n1", 15 * MS); // a later node event does not move the first
        stages.create("n1", 20 * MS);
        stages.create("n1", 32 * MS);
        stages.allPods("n1", 50 * MS);

        assertThat(recorded(stages.toNodeEvent)).isEqualTo(stages.toNodeEvent.lowestEquivalentValue(10_000));
        assertThat(recorded(stages.toCreates)).isEqualTo(stages.toCreates.lowestEquivalentValue(22_000));
        assertThat(recorded(stages.toPods)).isEqualTo(stages.toPods.lowestEquivalentValue(18_000));
        assertThat(stages.toPods.getTotalCount()).isEqualTo(1);
    }

    @Test
    void aJoinWithAHopNotSeenIsLeftOutAndOtherNodesDoNotCount() {
        JoinStages stages = new JoinStages(2);
        stages.sent("n1", 0);
        stages.create("n1", 20 * MS);
        stages.create("n1", 30 * MS);
        stages.nodeEvent("other", 5 * MS);
        stages.create("other", 6 * MS);
        stages.allPods("n1", 50 * MS);

        assertThat(stages.toNodeEvent.getTotalCount()).isZero();
        assertThat(stages.toCreates.getTotalCount()).isZero();
        assertThat(stages.toPods.getTotalCount()).isZero();
    }

    @Test
    void aHopReadAfterTheNextOneCountsAsSeenWithIt() {
        JoinStages stages = new JoinStages(1);
        stages.sent("n1", 0);
        stages.nodeEvent("n1", 10 * MS);
        stages.allPods("n1", 40 * MS);
        assertThat(stages.toPods.getTotalCount()).as("still open without its CREATE").isZero();
        stages.create("n1", 45 * MS);

        assertThat(recorded(stages.toNodeEvent)).isEqualTo(stages.toNodeEvent.lowestEquivalentValue(10_000));
        assertThat(recorded(stages.toCreates)).isEqualTo(stages.toCreates.lowestEquivalentValue(30_000));
        assertThat(recorded(stages.toPods)).isZero();
    }

    @Test
    void theDthCreateClosesTheSchedulerStageNotTheFirst() {
        JoinStages stages = new JoinStages(3);
        stages.sent("n1", 0);
        stages.nodeEvent("n1", 1 * MS);
        stages.create("n1", 2 * MS);
        stages.create("n1", 3 * MS);
        stages.allPods("n1", 9 * MS); // only two of three CREATEs seen

        assertThat(stages.toCreates.getTotalCount()).isZero();
    }
}
