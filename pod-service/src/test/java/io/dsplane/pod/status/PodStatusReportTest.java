package io.dsplane.pod.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

class PodStatusReportTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T00:05:00.700Z");

    private static PodCondition condition(String type, String status) {
        return new PodConditionBuilder().withType(type).withStatus(status).build();
    }

    private static PodStatus scheduled() {
        return new PodStatusBuilder().withPhase("Pending").withConditions(new PodConditionBuilder()
                .withType("PodScheduled").withStatus("True").withLastTransitionTime("2025-12-31T23:00:00Z").build())
                .build();
    }

    @Test
    void reportSetsWhatTheAgentObservesAndKeepsControlPlaneConditions() {
        PodStatus next = PodStatusReport.apply(scheduled(), new PodStatusBuilder().withPhase("Running")
                .withPodIP("10.0.0.9").withStartTime("2026-01-01T00:00:00Z")
                .withConditions(condition("Ready", "True")).build(), T0);
        assertThat(next.getPhase()).isEqualTo("Running");
        assertThat(next.getPodIP()).isEqualTo("10.0.0.9");
        assertThat(next.getStartTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(next.getConditions()).extracting(PodCondition::getType).containsExactly("PodScheduled", "Ready");
        assertThat(PodConditions.find(next.getConditions(), "Ready").getLastTransitionTime())
                .isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void repeatedReportChangesNothing() {
        PodStatus report = new PodStatusBuilder().withPhase("Running").withConditions(condition("Ready", "True"))
                .build();
        PodStatus once = PodStatusReport.apply(scheduled(), report, T0);
        PodStatus twice = PodStatusReport.apply(once, report, T1);
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void conditionThatFlipsGetsANewTransitionTimeInWholeSeconds() {
        PodStatus once = PodStatusReport.apply(scheduled(),
                new PodStatusBuilder().withConditions(condition("Ready", "True")).build(), T0);
        PodStatus flipped = PodStatusReport.apply(once,
                new PodStatusBuilder().withConditions(condition("Ready", "False")).build(), T1);
        assertThat(PodConditions.find(flipped.getConditions(), "Ready").getLastTransitionTime())
                .isEqualTo("2026-01-01T00:05:00Z");
    }

    @Test
    void reportedTransitionTimeWins() {
        PodCondition ready = new PodConditionBuilder(condition("Ready", "True"))
                .withLastTransitionTime("2026-01-01T00:00:09Z").build();
        PodStatus next = PodStatusReport.apply(scheduled(), new PodStatusBuilder().withConditions(ready).build(), T1);
        assertThat(PodConditions.find(next.getConditions(), "Ready").getLastTransitionTime())
                .isEqualTo("2026-01-01T00:00:09Z");
    }

    @Test
    void fieldsMissingFromTheReportKeepTheirValue() {
        PodStatus running = PodStatusReport.apply(scheduled(),
                new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.9").build(), T0);
        PodStatus next = PodStatusReport.apply(running, new PodStatusBuilder().withPhase("Failed").build(), T1);
        assertThat(next.getPhase()).isEqualTo("Failed");
        assertThat(next.getPodIP()).isEqualTo("10.0.0.9");
        assertThat(next.getConditions()).hasSize(1);
    }

    @Test
    void currentStatusIsNotModified() {
        PodStatus current = scheduled();
        PodStatusReport.apply(current, new PodStatusBuilder().withPhase("Running")
                .withConditions(condition("Ready", "True")).build(), T0);
        assertThat(current).isEqualTo(scheduled());
    }

    @Test
    void disruptionTargetDefaultsToPreemptionReason() {
        List<PodCondition> conditions = PodConditions.setCondition(scheduled().getConditions(),
                PodConditions.disruptionTarget(null, "preempted"), T0);
        PodCondition target = PodConditions.find(conditions, PodConditions.DISRUPTION_TARGET);
        assertThat(target.getStatus()).isEqualTo("True");
        assertThat(target.getReason()).isEqualTo(PodConditions.PREEMPTION_BY_SCHEDULER);
        assertThat(target.getMessage()).isEqualTo("preempted");
    }
}
