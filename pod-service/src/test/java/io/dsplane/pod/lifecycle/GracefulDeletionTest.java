package io.dsplane.pod.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class GracefulDeletionTest {

    private static Pod pod(String nodeName, String phase, Long grace, String deletionTimestamp) {
        return new PodBuilder().withNewMetadata().withName("p").withDeletionTimestamp(deletionTimestamp).endMetadata()
                .withNewSpec().withNodeName(nodeName).withTerminationGracePeriodSeconds(grace).endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    @ParameterizedTest(name = "node={0} phase={1} grace={2} force={3} -> {4} s")
    @CsvSource(nullValues = "-", value = {
            // a running pod on a node gets its own period, or the default 30 s
            "n1, Running,   -,  false, 30",
            "n1, Running,   5,  false, 5",
            "n1, Pending,   10, false, 10",
            // nothing to stop: never bound, or every container ended
            "-,  Pending,   30, false, 0",
            "'', Pending,   30, false, 0",
            "n1, Succeeded, 30, false, 0",
            "n1, Failed,    30, false, 0",
            // a pod that asks for no grace, and a forced deletion (node gone)
            "n1, Running,   0,  false, 0",
            "n1, Running,   30, true,  0",
    })
    void gracePeriodFollowsTheApiServersPodStrategy(String node, String phase, Long grace, boolean force, long want) {
        assertThat(GracefulDeletion.gracePeriodSeconds(pod(node, phase, grace, null), force)).isEqualTo(want);
    }

    @ParameterizedTest(name = "deletionTimestamp={0} phase={1} -> stopped {2}")
    @CsvSource(nullValues = "-", value = {
            "2026-01-01T00:00:30Z, Succeeded, true",
            "2026-01-01T00:00:30Z, Failed,    true",
            "2026-01-01T00:00:30Z, Running,   false",
            "-,                    Succeeded, false",
    })
    void onlyATerminatingPodReportedEndedHasStopped(String deletionTimestamp, String phase, boolean want) {
        assertThat(GracefulDeletion.stoppedOnNode(pod("n1", phase, null, deletionTimestamp))).isEqualTo(want);
    }
}
