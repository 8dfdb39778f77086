package io.dsplane.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProfileTest {

    private static final String YAML = """
            zones: [a, b]
            pools:
              - name: general
                share: 70
                labels: {node-pool: general}
                allocatable: {cpu: "4", memory: 16Gi, pods: "110"}
              - name: gpu
                share: 20
                labels: {accelerator: nvidia}
                taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]
                allocatable: {cpu: "16", memory: 64Gi, pods: "110", nvidia.com/gpu: "1"}
                capacity: {cpu: "16", memory: 64Gi, pods: "110", nvidia.com/gpu: "1"}
              - name: edge
                share: 10
                allocatable: {cpu: 1930m, memory: 3584Mi, pods: "40"}
            """;

    @Test
    void parsesPoolsLabelsTaintsAndQuantities() {
        Profile p = Profile.parse(YAML);
        assertThat(p.zones()).containsExactly("a", "b");
        assertThat(p.pools()).extracting(Profile.Pool::name).containsExactly("general", "gpu", "edge");
        Profile.Pool gpu = p.pools().get(1);
        assertThat(gpu.labels()).containsEntry("accelerator", "nvidia");
        assertThat(gpu.taints()).containsExactly(new Profile.TaintSpec("nvidia.com/gpu", "present", "NoSchedule"));
        assertThat(gpu.allocatable()).containsEntry("nvidia.com/gpu", "1");
        // capacity defaults to allocatable
        assertThat(p.pools().get(2).capacity()).isEqualTo(p.pools().get(2).allocatable());
    }

    @Test
    void jsonWorksToo() {
        Profile p = Profile.parse("{\"pools\":[{\"name\":\"only\",\"share\":1,"
                + "\"allocatable\":{\"cpu\":\"2\",\"memory\":\"4Gi\",\"pods\":\"110\"}}]}");
        assertThat(p.pools()).hasSize(1);
        assertThat(p.zones()).isEmpty();
    }

    @Test
    void apportionsByLargestRemainderAndAlwaysAddsUp() {
        Profile p = Profile.parse(YAML);
        assertThat(p.apportion(10)).containsExactly(7, 2, 1);
        assertThat(p.apportion(36)).containsExactly(25, 7, 4); // 25.2 / 7.2 / 3.6
        assertThat(p.apportion(1)).containsExactly(1, 0, 0);
        assertThat(p.apportion(0)).containsExactly(0, 0, 0);
        for (int n = 0; n < 500; n++) {
            assertThat(Arrays.stream(p.apportion(n)).sum()).isEqualTo(n);
        }
    }

    @Test
    void makesNamedNodesWithWellKnownLabelsAndZones() {
        List<SimNode> nodes = Profile.parse(YAML).nodes("sim", 10, 0);
        assertThat(nodes).hasSize(10);
        assertThat(nodes).extracting(SimNode::name).contains("sim-general-0001", "sim-general-0007", "sim-gpu-0002",
                "sim-edge-0001");
        SimNode gpu = nodes.stream().filter(n -> n.pool().equals("gpu")).findFirst().orElseThrow();
        assertThat(gpu.labels()).containsEntry("kubernetes.io/hostname", gpu.name())
                .containsEntry("kubernetes.io/os", "linux").containsEntry("accelerator", "nvidia")
                .containsKey("topology.kubernetes.io/zone");
        assertThat(gpu.taints()).hasSize(1);
        assertThat(nodes).extracting(SimNode::internalIP).doesNotHaveDuplicates();
        assertThat(nodes.get(0).labels().get("topology.kubernetes.io/zone")).isEqualTo("a");
        assertThat(nodes.get(1).labels().get("topology.kubernetes.io/zone")).isEqualTo("b");
    }

    @Test
    void refusesBrokenProfilesWithTheReason() {
        assertThatThrownBy(() -> Profile.parse("pools: []")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> Profile.parse("""
                pools: [{name: a, share: 0, allocatable: {cpu: "1", memory: 1Gi, pods: "10"}}]"""))
                .hasMessageContaining("pools[0].share");
        assertThatThrownBy(() -> Profile.parse("""
                pools: [{name: a, share: 1, allocatable: {cpu: "1", memory: 1Gi}}]"""))
                .hasMessageContaining("allocatable.pods");
        assertThatThrownBy(() -> Profile.parse("""
                pools: [{name: a, share: 1, allocatable: {cpu: "1", memory: lots, pods: "10"}}]"""))
                .hasMessageContaining("'lots'");
        assertThatThrownBy(() -> Profile.parse("""
                pools: [{name: a, share: 1, allocatable: {cpu: "1", memory: 1Gi, pods: "10"},
                         taints: [{key: k, effect: Sometimes}]}]"""))
                .hasMessageContaining("effect");
        assertThatThrownBy(() -> Profile.parse("""
                pools:
                  - {name: a, share: 1, allocatable: {cpu: "1", memory: 1Gi, pods: "10"}}
                  - {name: a, share: 1, allocatable: {cpu: "1", memory: 1Gi, pods: "10"}}"""))
                .hasMessageContaining("used twice");
        assertThatThrownBy(() -> Profile.parse("pools: [")).hasMessageContaining("not valid");
    }

    @Test
    void theShippedProfilesParse() {
        Path dir = Path.of("../sim/profiles");
        Profile p = Profile.load(dir.resolve("default.yaml"));
        assertThat(p.apportion(100)).containsExactly(70, 20, 10);
        assertThat(p.pools().get(1).labels()).containsEntry("accelerator", "nvidia");
        assertThat(p.pools().get(1).taints()).isNotEmpty();
    }
}
