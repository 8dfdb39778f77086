package io.dsplane.scheduler.placement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * PlacementFields keeps of a pod what the placement rules read, and drops the rest: the scheduler
 * holds every pod of its nodes (in its store, its changelog and in memory), and most of a pod's bytes
 * are images, commands, environment, volumes, probes and tolerations that no rule looks at.
 *
 * <p>Kept, and who reads it:
 * <ul>
 *   <li>metadata: name, namespace, uid, resourceVersion, labels (selectors, adoption, the revision
 *       hash), annotations (expectations, requested names), ownerReferences (the controller),
 *       creationTimestamp (oldest pod, preemption order), deletionTimestamp (terminating);</li>
 *   <li>spec: nodeName and affinity (the target node, {@link DaemonPods#getTargetNodeName}), priority
 *       and priorityClassName ({@link Preemption}), overhead, pod-level resources, and of every
 *       container and init container its name, resources and restartPolicy ({@link PodRequests});</li>
 *   <li>status: phase (terminal, failed) and conditions (scheduled, ready, available, disruption).</li>
 * </ul>
 * The store keeps this view of every pod, the pods of CREATEs still unconfirmed included: a CREATE
 * repeated after its timeout builds its pod again from the DaemonSet.
 *
 * <p>In memory the scheduler keeps {@link #compactView}: the same fields, with what pods hold alike
 * held once ({@link SharedValues}) and no per-pod empty collections ({@link SharedEmpties}).
 */
public final class PlacementFields {

    private PlacementFields() {
    }

    /** placementView returns a new pod with only the fields listed above (the input is not changed). */
    public static Pod placementView(Pod pod) {
        Pod view = new Pod();
        view.setApiVersion(pod.getApiVersion());
        view.setKind(pod.getKind());
        ObjectMeta m = pod.getMetadata();
        if (m != null) {
            ObjectMeta meta = new ObjectMeta();
            meta.setName(m.getName());
            meta.setNamespace(m.getNamespace());
            meta.setUid(m.getUid());
            meta.setResourceVersion(m.getResourceVersion());
            meta.setLabels(m.getLabels());
            meta.setAnnotations(m.getAnnotations());
            meta.setOwnerReferences(m.getOwnerReferences());
            meta.setCreationTimestamp(m.getCreationTimestamp());
            meta.setDeletionTimestamp(m.getDeletionTimestamp());
            view.setMetadata(meta);
        }
        PodSpec s = pod.getSpec();
        if (s != null) {
            PodSpec spec = new PodSpec();
            spec.setNodeName(s.getNodeName());
            spec.setAffinity(s.getAffinity());
            spec.setPriority(s.getPriority());
            spec.setPriorityClassName(s.getPriorityClassName());
            spec.setOverhead(s.getOverhead());
            spec.setResources(s.getResources());
            spec.setContainers(requestsOnly(s.getContainers()));
            spec.setInitContainers(requestsOnly(s.getInitContainers()));
            view.setSpec(spec);
        }
        PodStatus st = pod.getStatus();
        if (st != null) {
            PodStatus status = new PodStatus();
            status.setPhase(st.getPhase());
            status.setConditions(st.getConditions());
            view.setStatus(status);
        }
        return view;
    }

    /**
     * compactView is {@link #placementView} for holding in memory: equal labels, owner references,
     * affinity, container requests, conditions and the repeated strings are taken from {@code shared},
     * and empty collections are the shared empty ones. It answers every rule as the placement view does
     * and serialises to the same JSON. The result must be treated as read-only.
     */
    public static Pod compactView(Pod pod, SharedValues shared) {
        Pod view = placementView(pod);
        view.setApiVersion(shared.share(view.getApiVersion()));
        view.setKind(shared.share(view.getKind()));
        ObjectMeta meta = view.getMetadata();
        if (meta != null) {
            meta.setNamespace(shared.share(meta.getNamespace()));
            meta.setLabels(shared.shareMap(meta.getLabels()));
            meta.setOwnerReferences(shared.shareList(meta.getOwnerReferences()));
            meta.setCreationTimestamp(shared.share(meta.getCreationTimestamp()));
            SharedEmpties.apply(meta);
        }
        PodSpec spec = view.getSpec();
        if (spec != null) {
            spec.setNodeName(shared.share(spec.getNodeName()));
            spec.setAffinity(shared.share(spec.getAffinity()));
            spec.setPriority(shared.share(spec.getPriority()));
            spec.setPriorityClassName(shared.share(spec.getPriorityClassName()));
            spec.setOverhead(shared.shareMap(spec.getOverhead()));
            spec.setResources(shared.share(spec.getResources()));
            spec.setContainers(sharedContainers(spec.getContainers(), shared));
            spec.setInitContainers(sharedContainers(spec.getInitContainers(), shared));
            SharedEmpties.apply(spec);
        }
        PodStatus status = view.getStatus();
        if (status != null) {
            status.setPhase(shared.share(status.getPhase()));
            status.setConditions(shared.shareList(status.getConditions()));
            SharedEmpties.apply(status);
        }
        return SharedEmpties.apply(view);
    }

    /**
     * sharedContainers shares the containers of a view (see {@link #requestsOnly}) and their list. Where
     * {@link RequestsKey} can write them, they are shared under that key: a container's hash and
     * equality parse each of its quantities into a number, every time.
     */
    private static List<Container> sharedContainers(List<Container> containers, SharedValues shared) {
        if (containers == null) {
            return null;
        }
        List<Container> out = new ArrayList<>(containers.size());
        StringBuilder listKey = new StringBuilder();
        for (Container c : containers) {
            String key = RequestsKey.of(c);
            if (key == null) {
                out.add(shared.share(c, SharedEmpties::apply));
                listKey = null;
            } else {
                out.add(shared.shareAs(new RequestsKey(key, false), c, SharedEmpties::apply));
                if (listKey != null) {
                    listKey.append(key.length()).append(':').append(key);
                }
            }
        }
        if (listKey == null || out.isEmpty()) {
            return shared.shareList(out);
        }
        return shared.shareAs(new RequestsKey(listKey.toString(), true), Collections.unmodifiableList(out), l -> l);
    }

    private static List<Container> requestsOnly(List<Container> containers) {
        if (containers == null) {
            return null;
        }
        List<Container> out = new ArrayList<>(containers.size());
        for (Container c : containers) {
            if (c == null) {
                continue;
            }
            Container kept = new Container();
            kept.setName(c.getName());
            kept.setResources(c.getResources());
            kept.setRestartPolicy(c.getRestartPolicy());
            out.add(kept);
        }
        return out;
    }
}
