package io.dsplane.scheduler.placement;

import java.util.List;
import java.util.stream.Collectors;

/**
 * FitResult says whether a pod fits a node's free resources, listing every resource it lacks.
 *
 * @param fits      true when nothing is short
 * @param shortages one entry per resource that is short
 */
public record FitResult(boolean fits, List<Shortage> shortages) {

    /** FITS: the pod fits. */
    public static final FitResult FITS = new FitResult(true, List.of());

    public FitResult {
        shortages = List.copyOf(shortages);
    }

    /** message joins the shortage messages with "; ", the text of the Unschedulable condition. */
    public String message() {
        return shortages.stream().map(Shortage::message).collect(Collectors.joining("; "));
    }
}
