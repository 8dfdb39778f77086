package io.dsplane.pod.validation;

import java.util.ArrayList;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.event.PodPartitioning;
import io.dsplane.contracts.registry.RegistryStrategy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * PodStrategy is the Pod strategy of the registry. A new pod starts in phase Pending. What else of the
 * submitted status survives depends on who creates it: a client's status is dropped entirely (as
 * upstream), while the scheduler's CREATE decisions keep their conditions (PodScheduled=True on a
 * bound pod, or PodScheduled=False/Unschedulable), because binding is part of placement here.
 */
public class PodStrategy implements RegistryStrategy<Pod> {

    public static final String PHASE_PENDING = "Pending";

    private final boolean keepConditionsOnCreate;

    /** @param keepConditionsOnCreate true for the registry used by the service's own consumers */
    public PodStrategy(boolean keepConditionsOnCreate) {
        this.keepConditionsOnCreate = keepConditionsOnCreate;
    }

    @Override
    public void prepareForCreate(Pod pod) {
        PodStatus given = pod.getStatus();
        PodStatus status = new PodStatus();
        status.setPhase(PHASE_PENDING);
        if (keepConditionsOnCreate && given != null && given.getConditions() != null
                && !given.getConditions().isEmpty()) {
            status.setConditions(new ArrayList<>(given.getConditions()));
        }
        pod.setStatus(status);
        applyDefaults(pod.getSpec());
    }

    @Override
    public void validate(Pod pod, FieldErrors errors) {
        PodValidation.validateSpec(pod.getSpec(), errors);
    }

    @Override
    public void prepareForUpdate(Pod pod, Pod old) {
        applyDefaults(pod.getSpec());
    }

    @Override
    public void validateUpdate(Pod pod, Pod old, FieldErrors errors) {
        validate(pod, errors);
        PodValidation.validateSpecUpdate(pod.getSpec(), old.getSpec(), errors);
    }

    @Override
    public void validateStatusUpdate(Pod pod, Pod old, FieldErrors errors) {
        PodValidation.validateStatus(pod.getStatus(), old.getStatus(), errors);
    }

    /** partitionKey: a pod's events go to its node's partition (see {@link PodPartitioning}). */
    @Override
    public String partitionKey(Pod pod) {
        return PodPartitioning.nodeOf(pod);
    }

    /** applyDefaults sets restartPolicy Always when it is empty, as the API server's defaulting does. */
    static void applyDefaults(PodSpec spec) {
        if (spec != null && (spec.getRestartPolicy() == null || spec.getRestartPolicy().isEmpty())) {
            spec.setRestartPolicy(PodValidation.RESTART_ALWAYS);
        }
    }
}
