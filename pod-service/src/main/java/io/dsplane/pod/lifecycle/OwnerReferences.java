package io.dsplane.pod.lifecycle;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * OwnerReferences adopts and releases pods the way upstream's ControllerRefManager does
 * ({@code AdoptPod}, {@code ReleasePod}): a pod has at most one controller; adoption only takes an
 * orphan, and release removes only the reference of the DaemonSet that lets go.
 */
public final class OwnerReferences {

    public static final String DAEMON_SET_API_VERSION = "apps/v1";
    public static final String DAEMON_SET_KIND = "DaemonSet";

    private OwnerReferences() {
    }

    /** controllerUid is the uid of the pod's controller reference, or null for an orphan. */
    public static String controllerUid(Pod pod) {
        List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
        if (refs != null) {
            for (OwnerReference r : refs) {
                if (Boolean.TRUE.equals(r.getController())) {
                    return r.getUid();
                }
            }
        }
        return null;
    }

    /**
     * adopt adds a controller reference to DaemonSet {@code name}/{@code uid} when the pod has no
     * controller; returns whether the pod changed.
     */
    public static boolean adopt(Pod pod, String uid, String name) {
        if (uid == null || name == null || controllerUid(pod) != null) {
            return false;
        }
        List<OwnerReference> refs = new ArrayList<>();
        if (pod.getMetadata().getOwnerReferences() != null) {
            refs.addAll(pod.getMetadata().getOwnerReferences());
        }
        refs.removeIf(r -> uid.equals(r.getUid())); // a non-controller reference to the same owner is upgraded
        refs.add(new OwnerReferenceBuilder().withApiVersion(DAEMON_SET_API_VERSION).withKind(DAEMON_SET_KIND)
                .withName(name).withUid(uid).withController(true).withBlockOwnerDeletion(true).build());
        pod.getMetadata().setOwnerReferences(refs);
        return true;
    }

    /** release removes every reference to {@code uid}; returns whether the pod changed. */
    public static boolean release(Pod pod, String uid) {
        List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
        if (uid == null || refs == null || refs.stream().noneMatch(r -> uid.equals(r.getUid()))) {
            return false;
        }
        List<OwnerReference> kept = refs.stream().filter(r -> !uid.equals(r.getUid())).toList();
        pod.getMetadata().setOwnerReferences(kept.isEmpty() ? null : new ArrayList<>(kept));
        return true;
    }
}
