package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * PodRequests computes how much cpu and memory a pod asks the node for, the way kube-scheduler
 * accounts for it (upstream {@code resourcehelper.PodRequests}): containers run together, so their
 * requests add up; init containers run one after another before them, so only the largest counts,
 * and the pod needs the larger of the two. Sidecars (init containers with restartPolicy Always)
 * keep running, so they add to the running total and to every later init container. Pod overhead
 * is added; pod-level {@code spec.resources.requests}, when set for a resource, replace the
 * container sum for it.
 *
 * <p>Amounts are in canonical units: cpu in cores, memory in bytes. A container without a request
 * but with a limit counts the limit, as the API server's defaulting would have set it.
 */
public final class PodRequests {

    /** Container restartPolicy that marks an init container as a sidecar. */
    static final String RESTART_POLICY_ALWAYS = "Always";

    private PodRequests() {
    }

    /** request returns the pod's request for the resource in canonical units; zero when none. */
    public static BigDecimal request(Pod pod, String resource) {
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal podLevel = podLevelRequest(spec, resource);
        BigDecimal total = podLevel != null ? podLevel : containerRequests(spec, resource);
        return total.add(amount(spec.getOverhead(), resource));
    }

    private static BigDecimal containerRequests(PodSpec spec, String resource) {
        BigDecimal running = BigDecimal.ZERO;
        for (Container container : nonNull(spec.getContainers())) {
            running = running.add(containerRequest(container, resource));
        }
        BigDecimal sidecars = BigDecimal.ZERO;
        BigDecimal largestInit = BigDecimal.ZERO;
        for (Container init : nonNull(spec.getInitContainers())) {
            BigDecimal request = containerRequest(init, resource);
            BigDecimal whileRunning;
            if (RESTART_POLICY_ALWAYS.equals(init.getRestartPolicy())) {
                running = running.add(request);
                sidecars = sidecars.add(request);
                whileRunning = sidecars;
            } else {
                whileRunning = request.add(sidecars);
            }
            largestInit = largestInit.max(whileRunning);
        }
        return running.max(largestInit);
    }

    private static BigDecimal podLevelRequest(PodSpec spec, String resource) {
        ResourceRequirements resources = spec.getResources();
        if (resources == null || resources.getRequests() == null || !resources.getRequests().containsKey(resource)) {
            return null;
        }
        return amount(resources.getRequests(), resource);
    }

    private static BigDecimal containerRequest(Container container, String resource) {
        ResourceRequirements resources = container.getResources();
        if (resources == null) {
            return BigDecimal.ZERO;
        }
        if (resources.getRequests() != null && resources.getRequests().containsKey(resource)) {
            return amount(resources.getRequests(), resource);
        }
        return amount(resources.getLimits(), resource);
    }

    /**
     * amount reads one quantity of a resource map in canonical units; absent or unreadable
     * quantities count as zero rather than failing the whole placement.
     */
    static BigDecimal amount(Map<String, Quantity> quantities, String resource) {
        if (quantities == null) {
            return BigDecimal.ZERO;
        }
        Quantity quantity = quantities.get(resource);
        if (quantity == null) {
            return BigDecimal.ZERO;
        }
        try {
            return Quantity.getAmountInBytes(quantity);
        } catch (RuntimeException unreadable) {
            return BigDecimal.ZERO;
        }
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
    }
}
