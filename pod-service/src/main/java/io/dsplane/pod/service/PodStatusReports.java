package io.dsplane.pod.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.api.Statuses;
import io.dsplane.pod.status.PodStatusReport;
import io.dsplane.pod.validation.PodValidation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * PodStatusReports applies what node agents report about their pods. The report goes through the
 * registry's {@code modify}, so a report that repeats the stored status changes nothing and emits no
 * event; a report about an unknown pod, another incarnation (uid) of it, or with an invalid status is
 * refused with an {@link io.dsplane.contracts.api.ApiException}.
 */
@ApplicationScoped
public class PodStatusReports {

    @Inject
    PodRegistry pods;

    @Inject
    TerminatingPods termination;

    /**
     * apply merges the reported status into the stored pod and returns the pod as stored. A report that
     * a terminating pod has stopped (phase Succeeded or Failed) completes its deletion: the pod is
     * removed, and the returned pod is its last state.
     */
    @Transactional
    public Pod apply(Pod reported, Instant now) {
        String namespace = reported.getMetadata().getNamespace();
        String name = reported.getMetadata().getName();
        String uid = reported.getMetadata().getUid();
        Pod stored = pods.internal().modify(namespace, name, current -> {
            if (uid != null && !uid.isEmpty() && !uid.equals(current.getMetadata().getUid())) {
                throw Statuses.conflict(PodRegistry.KIND.group(), PodRegistry.KIND.resource(), name,
                        "the report is about uid " + uid + " but the stored pod has uid "
                                + current.getMetadata().getUid());
            }
            PodStatus old = current.getStatus();
            PodStatus next = PodStatusReport.apply(old, reported.getStatus(), now);
            FieldErrors errors = new FieldErrors();
            PodValidation.validateStatus(next, old, errors);
            errors.throwIfAny(PodRegistry.KIND.group(), PodRegistry.KIND.kind(), name);
            current.setStatus(next);
            return current;
        }).orElseThrow(() -> Statuses.notFound(PodRegistry.KIND.group(), PodRegistry.KIND.resource(), name));
        return termination.completeIfStopped(stored);
    }
}
