package io.dsplane.fleetsim;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dsplane.contracts.event.EventCodec;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/**
 * AgentMessages builds the records a node agent sends, as documented in docs/topics.md: a v1 Node on
 * dsplane.node-status.v1 (registration, heartbeat, status change) and a v1 Pod with metadata and status
 * on dsplane.pod-status.v1. Values are encoded with the product's own codec ({@link EventCodec}).
 */
public final class AgentMessages {

    /** The allocatable ephemeral-storage the simulator reports; a status change flips it (see {@link #nodeReport}). */
    static final String[] EPHEMERAL_STORAGE = {"95Gi", "94Gi"};

    private AgentMessages() {
    }

    /**
     * nodeReport is what the agent of {@code node} says at {@code heartbeat}. The report is the same
     * every time except for the heartbeat times, so the registry records a heartbeat only, unless
     * {@code variant} differs from the previous report's: variant 0 and 1 report a different allocatable
     * ephemeral-storage (a status change that placement does not care about).
     *
     * @param booted the node's boot time: lastTransitionTime of its conditions
     */
    public static Node nodeReport(SimNode node, Instant booted, Instant heartbeat, int variant) {
        String beat = heartbeat.truncatedTo(ChronoUnit.SECONDS).toString();
        String since = booted.truncatedTo(ChronoUnit.SECONDS).toString();
        List<Taint> taints = new ArrayList<>();
        for (Profile.TaintSpec t : node.taints()) {
            taints.add(new TaintBuilder().withKey(t.key()).withValue(t.value()).withEffect(t.effect()).build());
        }
        Map<String, Quantity> allocatable = quantities(node.allocatable());
        allocatable.putIfAbsent("ephemeral-storage", new Quantity(EPHEMERAL_STORAGE[Math.floorMod(variant, 2)]));
        Map<String, Quantity> capacity = quantities(node.capacity());
        capacity.putIfAbsent("ephemeral-storage", new Quantity("100Gi"));
        return new NodeBuilder()
                .withNewMetadata().withName(node.name()).withLabels(new LinkedHashMap<>(node.labels())).endMetadata()
                .withNewSpec().withTaints(taints.isEmpty() ? null : taints).endSpec()
                .withNewStatus()
                .withCapacity(capacity)
                .withAllocatable(allocatable)
                .withConditions(
                        condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                                "kubelet has sufficient memory available", beat, since),
                        condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                                "kubelet has no disk pressure", beat, since),
                        condition("PIDPressure", "False", "KubeletHasSufficientPID",
                                "kubelet has sufficient PID available", beat, since),
                        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", beat, since))
                .withAddresses(new NodeAddress(node.internalIP(), "InternalIP"), new NodeAddress(node.name(), "Hostname"))
                .withNewNodeInfo()
                .withArchitecture("amd64").withOperatingSystem("linux").withOsImage("dsplane fleet-sim")
                .withKernelVersion("6.1.0-sim").withKubeletVersion("v1.31.0-sim").withKubeProxyVersion("v1.31.0-sim")
                .withContainerRuntimeVersion("containerd://1.7.0-sim").withMachineID(node.name())
                .withSystemUUID(node.name()).withBootID(node.name() + "-" + booted.getEpochSecond())
                .endNodeInfo()
                .endStatus()
                .build();
    }

    /** nodeReportBytes is {@link #nodeReport} encoded as the record value. */
    public static byte[] nodeReportBytes(SimNode node, Instant booted, Instant heartbeat, int variant) {
        return EventCodec.encode(nodeReport(node, booted, heartbeat, variant));
    }

    private static NodeCondition condition(String type, String status, String reason, String message, String beat,
            String since) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(beat).withLastTransitionTime(since).build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> in) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, new Quantity(v)));
        return out;
    }

    /** PodOnNode is what the agent knows about a pod bound to its node (from the pods topic). */
    public record PodOnNode(String namespace, String name, String uid, String nodeName, List<String[]> containers) {
    }

    /**
     * podStatus is the report of a pod that started ({@code failed == false}: phase Running, Ready,
     * ContainersReady and Initialized True, running container statuses) or failed to (phase Failed,
     * Ready False, terminated containers with exit code 1).
     */
    public static Pod podStatus(PodOnNode pod, String hostIP, String podIP, Instant started, Instant now,
            boolean failed) {
        String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
        String start = started.truncatedTo(ChronoUnit.SECONDS).toString();
        List<PodCondition> conditions = List.of(
                podCondition("Initialized", "True", null, start),
                podCondition("Ready", failed ? "False" : "True", failed ? "PodFailed" : null, at),
                podCondition("ContainersReady", failed ? "False" : "True", failed ? "PodFailed" : null, at));
        List<ContainerStatus> statuses = new ArrayList<>();
        for (String[] c : pod.containers()) {
            ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c[0]).withImage(c[1])
                    .withImageID(c[1]).withContainerID("sim://" + pod.uid() + "/" + c[0])
                    .withRestartCount(0).withStarted(!failed).withReady(!failed);
            if (failed) {
                b.withState(new ContainerStateBuilder().withNewTerminated().withExitCode(1).withReason("Error")
                        .withMessage("simulated failure").withStartedAt(start).withFinishedAt(at).endTerminated().build());
            } else {
                b.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(start).endRunning().build());
            }
            statuses.add(b.build());
        }
        return new PodBuilder()
                .withNewMetadata().withNamespace(pod.namespace()).withName(pod.name()).withUid(pod.uid()).endMetadata()
                .withNewStatus()
                .withPhase(failed ? "Failed" : "Running")
                .withReason(failed ? "Error" : null)
                .withMessage(failed ? "simulated failure (fleet-sim --fail-fraction)" : null)
                .withHostIP(hostIP)
                .withPodIP(failed ? null : podIP)
                .withPodIPs(failed ? null : List.of(new PodIP(podIP)))
                .withStartTime(start)
                .withConditions(conditions)
                .withContainerStatuses(statuses)
                .endStatus()
                .build();
    }

    /**
     * podStopped is the report of a pod whose containers all exited cleanly after its deletion began
     * (phase Succeeded, Ready False): it lets pod-service complete the deletion before the grace period ends.
     */
    public static Pod podStopped(PodOnNode pod, Instant now) {
        String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
        List<ContainerStatus> statuses = new ArrayList<>();
        for (String[] c : pod.containers()) {
            statuses.add(new ContainerStatusBuilder().withName(c[0]).withImage(c[1]).withImageID(c[1])
                    .withContainerID("sim://" + pod.uid() + "/" + c[0]).withRestartCount(0).withStarted(false)
                    .withReady(false).withState(new ContainerStateBuilder().withNewTerminated().withExitCode(0)
                            .withReason("Completed").withFinishedAt(at).endTerminated().build())
                    .build());
        }
        return new PodBuilder()
                .withNewMetadata().withNamespace(pod.namespace()).withName(pod.name()).withUid(pod.uid()).endMetadata()
                .withNewStatus().withPhase("Succeeded")
                .withConditions(podCondition("Ready", "False", "PodCompleted", at),
                        podCondition("ContainersReady", "False", "PodCompleted", at))
                .withContainerStatuses(statuses).endStatus()
                .build();
    }

    private static PodCondition podCondition(String type, String status, String reason, String at) {
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withLastTransitionTime(at)
                .build();
    }
}
