package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * Quantities as parsed, by their text: a fleet's pods repeat a handful of request values, and
     * every fit check sums the requests of every pod on the node, so parsing each time cost more than
     * the check itself. Bounded, so that unusual values cannot grow it without end.
     */
    private static final Map<String, BigDecimal> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_LIMIT = 4096;

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
        for (Container container : orEmpty(spec.getContainers())) {
            if (container == null) {
                continue;
            }
            running = running.add(containerRequest(container, resource));
        }
        BigDecimal sidecars = BigDecimal.ZERO;
        BigDecimal largestInit = BigDecimal.ZERO;
        for (Container init : orEmpty(spec.getInitContainers())) {
            if (init == null) {
                continue;
            }
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
        String text = quantity.getAmount() + "\u0000" + quantity.getFormat();
        BigDecimal known = PARSED.get(text);
        if (known != null) {
            return known;
        }
        BigDecimal parsed;
        try {
            parsed = Quantity.getAmountInBytes(quantity);
        } catch (RuntimeException unreadable) {
            parsed = BigDecimal.ZERO;
        }
        if (PARSED.size() < PARSED_LIMIT) {
            PARSED.put(text, parsed);
        }
        return parsed;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
