package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ResourceFit checks whether a pod fits on a node: node {@code status.allocatable} cpu, memory
 * and pods against the sum of requests of the pods already bound there (kube-scheduler's
 * NodeResourcesFit, restricted to those three resources). Upstream leaves this to kube-scheduler;
 * this product does it in placement (see the design notes).
 *
 * <p>As upstream, cpu and memory are only checked when the pod requests some (a request-less pod
 * fits even an overcommitted node), and each pod takes one of the node's pod slots. Terminal
 * (Succeeded/Failed) pods hold no resources; terminating ones still do until they are gone. A
 * resource the node does not report in allocatable is not limited (the node did not say).
 */
public final class ResourceFit {

    /** Resource name of cpu, counted in cores (shown as millicores). */
    public static final String RESOURCE_CPU = "cpu";
    /** Resource name of memory, counted in bytes. */
    public static final String RESOURCE_MEMORY = "memory";
    /** Resource name of the node's pod slots; every pod takes one. */
    public static final String RESOURCE_PODS = "pods";

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final List<Unit> MEMORY_UNITS = List.of(
            new Unit("Ti", BigDecimal.valueOf(1L << 40)), new Unit("T", BigDecimal.valueOf(1_000_000_000_000L)),
            new Unit("Gi", BigDecimal.valueOf(1L << 30)), new Unit("G", BigDecimal.valueOf(1_000_000_000L)),
            new Unit("Mi", BigDecimal.valueOf(1L << 20)), new Unit("M", BigDecimal.valueOf(1_000_000L)),
            new Unit("Ki", BigDecimal.valueOf(1L << 10)), new Unit("k", BigDecimal.valueOf(1_000L)));

    private record Unit(String suffix, BigDecimal size) {
    }

    private ResourceFit() {
    }

    /**
     * fits checks the candidate against the node's allocatable minus the requests of
     * {@code podsOnNode} (the candidate itself is skipped if it is in that list), returning every
     * shortage.
     */
    public static FitResult fits(Node node, List<Pod> podsOnNode, Pod candidate) {
        Map<String, Quantity> allocatable = node.getStatus() == null ? null : node.getStatus().getAllocatable();
        if (allocatable == null || allocatable.isEmpty()) {
            return FitResult.FITS;
        }
        List<Pod> holding = podsHoldingResources(podsOnNode, candidate);
        List<Shortage> shortages = new ArrayList<>();
        for (String resource : List.of(RESOURCE_CPU, RESOURCE_MEMORY)) {
            if (!allocatable.containsKey(resource)) {
                continue;
            }
            BigDecimal requested = PodRequests.request(candidate, resource);
            if (requested.signum() <= 0) {
                continue;
            }
            BigDecimal used = BigDecimal.ZERO;
            for (Pod pod : holding) {
                used = used.add(PodRequests.request(pod, resource));
            }
            BigDecimal free = PodRequests.amount(allocatable, resource).subtract(used);
            if (requested.compareTo(free) > 0) {
                shortages.add(shortage(resource, requested, free));
            }
        }
        if (allocatable.containsKey(RESOURCE_PODS)) {
            BigDecimal free = PodRequests.amount(allocatable, RESOURCE_PODS).subtract(BigDecimal.valueOf(holding.size()));
            if (BigDecimal.ONE.compareTo(free) > 0) {
                shortages.add(shortage(RESOURCE_PODS, BigDecimal.ONE, free));
            }
        }
        return shortages.isEmpty() ? FitResult.FITS : new FitResult(false, shortages);
    }

    /** podsHoldingResources drops terminal pods and the candidate itself. */
    static List<Pod> podsHoldingResources(List<Pod> podsOnNode, Pod candidate) {
        List<Pod> holding = new ArrayList<>();
        for (Pod pod : podsOnNode) {
            if (pod != null && !DaemonPods.isTerminal(pod) && !samePod(pod, candidate)) {
                holding.add(pod);
            }
        }
        return holding;
    }

    /** samePod: the same uid when both have one, else the same namespace and name. */
    static boolean samePod(Pod a, Pod b) {
        if (a == b) {
            return true;
        }
        if (a.getMetadata() == null || b.getMetadata() == null) {
            return false;
        }
        String uidA = a.getMetadata().getUid();
        String uidB = b.getMetadata().getUid();
        if (uidA != null && uidB != null) {
            return uidA.equals(uidB);
        }
        return a.getMetadata().getName() != null
                && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName())
                && Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
    }

    private static Shortage shortage(String resource, BigDecimal requested, BigDecimal free) {
        return new Shortage(resource, quantity(resource, requested), quantity(resource, free),
                quantity(resource, requested.subtract(free)));
    }

    /**
     * quantity renders an amount in canonical units the way a user would write it: cpu as whole
     * cores or millicores ({@code 2}, {@code 500m}), memory with the largest exact suffix
     * ({@code 1Gi}, {@code 1G}, {@code 1500k}), pods as a count. Fractions are rounded up.
     */
    static Quantity quantity(String resource, BigDecimal amount) {
        if (amount.signum() < 0) {
            Quantity positive = quantity(resource, amount.negate());
            return new Quantity("-" + positive.getAmount(), positive.getFormat());
        }
        return switch (resource) {
            case RESOURCE_CPU -> {
                BigDecimal millis = amount.multiply(THOUSAND).setScale(0, RoundingMode.CEILING);
                BigDecimal[] cores = millis.divideAndRemainder(THOUSAND);
                yield cores[1].signum() == 0
                        ? new Quantity(cores[0].toPlainString(), "")
                        : new Quantity(millis.toPlainString(), "m");
            }
            case RESOURCE_MEMORY -> {
                BigDecimal bytes = amount.setScale(0, RoundingMode.CEILING);
                for (Unit unit : MEMORY_UNITS) {
                    BigDecimal[] parts = bytes.divideAndRemainder(unit.size());
                    if (bytes.signum() > 0 && parts[1].signum() == 0) {
                        yield new Quantity(parts[0].toPlainString(), unit.suffix());
                    }
                }
                yield new Quantity(bytes.toPlainString(), "");
            }
            default -> new Quantity(amount.setScale(0, RoundingMode.CEILING).toPlainString(), "");
        };
    }
}
