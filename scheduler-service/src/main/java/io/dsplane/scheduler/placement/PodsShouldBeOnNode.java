package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PodsShouldBeOnNode decides, for one node and one DaemonSet, which daemon pods to create and
 * delete, like upstream's {@code podsShouldBeOnNode}. First matching case wins:
 * <ul>
 *   <li>A: the node should run the daemon and has no pod → create one;</li>
 *   <li>B: an existing pod may stay → drop terminating pods from view, delete failed pods (with a
 *       per-node backoff) and succeeded pods, then resolve duplicates (keep the oldest; with surge
 *       keep the oldest new-revision and oldest old-revision pod);</li>
 *   <li>C: no pod may stay → delete every pod not already terminating.</li>
 * </ul>
 * Without surge a node whose pods were all deleted gets its replacement in the next pass, not in
 * this one, exactly as upstream.
 */
public final class PodsShouldBeOnNode {

    /** Event reason: a failed daemon pod is deleted so that it can be replaced. */
    public static final String FAILED_DAEMON_POD_REASON = "FailedDaemonPod";
    /** Event reason: a daemon pod that exited successfully is deleted so that it can be replaced. */
    public static final String SUCCEEDED_DAEMON_POD_REASON = "SucceededDaemonPod";
    /** Event message for {@link #FAILED_DAEMON_POD_REASON}: namespace, pod, node. */
    public static final String FAILED_DAEMON_POD_MESSAGE = "Found failed daemon pod %s/%s on node %s, will try to kill it";
    /** Event message for {@link #SUCCEEDED_DAEMON_POD_REASON}: namespace, pod, node. */
    public static final String SUCCEEDED_DAEMON_POD_MESSAGE = "Found succeeded daemon pod %s/%s on node %s, will try to delete it";

    private PodsShouldBeOnNode() {
    }

    /**
     * podsShouldBeOnNode applies cases A, B and C to the DaemonSet's pods mapped to one node.
     *
     * @param nodeName        the node
     * @param verdict         {@link NodeShouldRunDaemonPod#nodeShouldRunDaemonPod} for the node
     * @param daemonPods      the DaemonSet's pods mapped to the node (by nodeName or pinning affinity);
     *                        pods both terminal and terminating are ignored, as upstream excludes them
     * @param hash            the current revision's {@code controller-revision-hash}
     * @param allowsSurge     the rolling update allows surge (maxSurge &gt; 0)
     * @param minReadySeconds the DaemonSet's minReadySeconds
     * @param backoff         failed-pod backoff; updated when a failed pod is deleted
     * @param backoffKey      {@link FailedPodBackoff#failedPodsBackoffKey} for this DS and node
     * @param now             the decision time
     */
    public static NodeActions podsShouldBeOnNode(String nodeName, Verdict verdict, List<Pod> daemonPods, String hash,
                                                 boolean allowsSurge, int minReadySeconds, FailedPodBackoff backoff,
                                                 String backoffKey, Instant now) {
        List<Pod> pods = daemonPods.stream()
                .filter(p -> !(DaemonPods.isTerminal(p) && DaemonPods.isTerminating(p)))
                .toList();
        boolean exists = !pods.isEmpty();

        if (verdict.shouldRun() && !exists) {
            return new NodeActions(true, List.of(), List.of(), Optional.empty());
        }
        if (verdict.shouldContinueRunning()) {
            return keepOrReplace(nodeName, verdict, pods, hash, allowsSurge, minReadySeconds, backoff, backoffKey, now);
        }
        if (exists) {
            List<Pod> toDelete = pods.stream().filter(p -> !DaemonPods.isTerminating(p)).toList();
            return new NodeActions(false, toDelete, List.of(), Optional.empty());
        }
        return NodeActions.NONE;
    }

    /**
     * changesWithTime is true when {@link #podsShouldBeOnNode}'s answer for these pods may change by
     * time passing alone, all else equal: a failed pod (deleted once its node's backoff has passed) or
     * more than one live pod (with surge, the old pod goes once the new one has been available for
     * minReadySeconds). For any other pods the answer depends only on the verdict, the pods and the
     * hash, so it need not be asked again until one of them changes.
     */
    public static boolean changesWithTime(List<Pod> daemonPods) {
        int running = 0;
        for (Pod pod : daemonPods) {
            if (DaemonPods.isTerminating(pod)) {
                continue;
            }
            String phase = DaemonPods.phase(pod);
            if (DaemonPods.PHASE_FAILED.equals(phase)) {
                return true;
            }
            if (!DaemonPods.PHASE_SUCCEEDED.equals(phase)) {
                running++;
            }
        }
        return running > 1;
    }

    /** keepOrReplace is case B. */
    private static NodeActions keepOrReplace(String nodeName, Verdict verdict, List<Pod> pods, String hash,
                                             boolean allowsSurge, int minReadySeconds, FailedPodBackoff backoff,
                                             String backoffKey, Instant now) {
        List<Pod> toDelete = new ArrayList<>();
        List<NodeActions.Event> events = new ArrayList<>();
        Optional<Duration> requeueAfter = Optional.empty();
        List<Pod> running = new ArrayList<>();
        for (Pod pod : pods) {
            if (DaemonPods.isTerminating(pod)) {
                continue;
            }
            String phase = DaemonPods.phase(pod);
            if (DaemonPods.PHASE_FAILED.equals(phase)) {
                if (backoff.isInBackOffSinceUpdate(backoffKey, now)) {
                    // Upstream requeues after the whole current delay, not the remaining part.
                    Duration delay = backoff.get(backoffKey);
                    requeueAfter = Optional.of(requeueAfter.map(d -> d.compareTo(delay) < 0 ? d : delay).orElse(delay));
                    continue;
                }
                backoff.next(backoffKey, now);
                events.add(new NodeActions.Event(NodeActions.Event.TYPE_WARNING, FAILED_DAEMON_POD_REASON,
                        String.format(FAILED_DAEMON_POD_MESSAGE, namespace(pod), name(pod), nodeName)));
                toDelete.add(pod);
            } else if (DaemonPods.PHASE_SUCCEEDED.equals(phase)) {
                events.add(new NodeActions.Event(NodeActions.Event.TYPE_NORMAL, SUCCEEDED_DAEMON_POD_REASON,
                        String.format(SUCCEEDED_DAEMON_POD_MESSAGE, namespace(pod), name(pod), nodeName)));
                toDelete.add(pod);
            } else {
                running.add(pod);
            }
        }

        boolean createPod = false;
        if (!allowsSurge) {
            if (running.size() > 1) {
                running.sort(DaemonPods.podByCreationTimestampAndPhase());
                toDelete.addAll(running.subList(1, running.size()));
            }
        } else if (running.size() <= 1) {
            // A node whose only pod is terminating gets its replacement right away under surge.
            createPod = running.isEmpty() && verdict.shouldRun();
        } else {
            toDelete.addAll(resolveSurgeDuplicates(running, hash, minReadySeconds, now));
        }
        return new NodeActions(createPod, toDelete, events, requeueAfter);
    }

    /**
     * resolveSurgeDuplicates keeps the oldest pod of the current revision and the oldest of any
     * other revision, deleting the rest; of the two kept, the old one goes once it is not ready
     * or the new one is available.
     */
    private static List<Pod> resolveSurgeDuplicates(List<Pod> running, String hash, int minReadySeconds, Instant now) {
        running.sort(DaemonPods.podByCreationTimestampAndPhase());
        List<Pod> toDelete = new ArrayList<>();
        Pod oldestNewPod = null;
        Pod oldestOldPod = null;
        String currentHash = hash == null ? "" : hash;
        for (Pod pod : running) {
            String podHash = DaemonPods.revisionHash(pod);
            boolean isNew = podHash != null && podHash.equals(currentHash);
            if (isNew && oldestNewPod == null) {
                oldestNewPod = pod;
            } else if (!isNew && oldestOldPod == null) {
                oldestOldPod = pod;
            } else {
                toDelete.add(pod);
            }
        }
        if (oldestNewPod != null && oldestOldPod != null) {
            if (!DaemonPods.isPodReady(oldestOldPod)
                    || DaemonPods.isPodAvailable(oldestNewPod, minReadySeconds, now)) {
                toDelete.add(oldestOldPod);
            }
        }
        return toDelete;
    }

    private static String namespace(Pod pod) {
        return pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
    }

    private static String name(Pod pod) {
        return pod.getMetadata() == null ? null : pod.getMetadata().getName();
    }
}
