package io.dsplane.scheduler.placement;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;

/**
 * NodePlacementView is every part of a node that placement reads: its name and uid, labels (node
 * selector and affinity), taints, {@code spec.unschedulable}, and the allocatable cpu, memory and
 * pods that resource fit checks against (present or not, and the amount). Two versions of a node
 * with equal views lead to the same decisions, so a node update that changes nothing here (a
 * heartbeat, a condition, another allocatable resource, addresses, images) needs no re-evaluation.
 */
public record NodePlacementView(String name, String uid, Map<String, String> labels, List<Taint> taints,
        Boolean unschedulable, Map<String, BigDecimal> allocatable) {

    private static final List<String> FIT_RESOURCES = List.of(ResourceFit.RESOURCE_CPU, ResourceFit.RESOURCE_MEMORY,
            ResourceFit.RESOURCE_PODS);

    /** of extracts the view; absent parts are null (an absent list or map is not the same as an empty one). */
    public static NodePlacementView of(Node node) {
        String name = node.getMetadata() == null ? null : node.getMetadata().getName();
        String uid = node.getMetadata() == null ? null : node.getMetadata().getUid();
        Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
        List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
        Boolean unschedulable = node.getSpec() == null ? null : node.getSpec().getUnschedulable();
        Map<String, Quantity> all = node.getStatus() == null ? null : node.getStatus().getAllocatable();
        Map<String, BigDecimal> allocatable = new LinkedHashMap<>();
        if (all != null) {
            for (String resource : FIT_RESOURCES) {
                if (all.containsKey(resource)) {
                    allocatable.put(resource, PodRequests.amount(all, resource).stripTrailingZeros());
                }
            }
        }
        return new NodePlacementView(name, uid, labels, taints, unschedulable, allocatable);
    }
}
