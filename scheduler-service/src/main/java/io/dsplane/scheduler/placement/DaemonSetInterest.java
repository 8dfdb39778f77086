package io.dsplane.scheduler.placement;

import java.util.Objects;

import io.dsplane.contracts.api.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * DaemonSetInterest says whether a pod can change what a DaemonSet decides on the pod's node other
 * than through resource fit (for that, see {@link FitFootprint}): the DaemonSet controls the pod
 * (its pods drive create, delete, replace and its node state), or the pod is an orphan in the
 * DaemonSet's namespace that its selector matches (it would be adopted). A selector that cannot be
 * read or is empty counts as interested, erring on the side of looking again.
 */
public final class DaemonSetInterest {

    private DaemonSetInterest() {
    }

    /** isInterested answers for one pod version; null (no such version) is of no interest. */
    public static boolean isInterested(DaemonSet ds, Pod pod) {
        if (pod == null || pod.getMetadata() == null) {
            return false;
        }
        String owner = DaemonPods.controllerRefUid(pod);
        if (owner != null) {
            return owner.equals(ds.getMetadata().getUid());
        }
        if (!Objects.equals(ds.getMetadata().getNamespace(), pod.getMetadata().getNamespace())) {
            return false;
        }
        if (ds.getSpec() == null || ds.getSpec().getSelector() == null) {
            return true;
        }
        try {
            LabelSelector selector = LabelSelector.fromObject(ds.getSpec().getSelector());
            return selector.isEmpty() || selector.matches(pod.getMetadata().getLabels());
        } catch (IllegalArgumentException unreadable) {
            return true;
        }
    }
}
