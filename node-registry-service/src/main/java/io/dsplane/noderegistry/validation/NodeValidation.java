package io.dsplane.noderegistry.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.api.NameValidation;
import io.dsplane.contracts.registry.RegistryStrategy;
import io.dsplane.noderegistry.lifecycle.NodeLifecycle;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.Taint;

/**
 * NodeValidation is the Node strategy: ValidateNode's checks of spec.taints (qualified key, valid
 * value, known effect, no duplicate key+effect). Status is kept on create, because an agent registers
 * its node together with its status, as kubelet does.
 *
 * <p>Every write also recomputes the lifecycle-managed taints ({@link NodeLifecycle#taintsFor}), so the
 * node that is stored and published always carries the taints its conditions and cordon call for,
 * whichever verb wrote it; taints set by users are kept as they are.
 */
public class NodeValidation implements RegistryStrategy<Node> {

    /** The taint effects of core/v1. */
    public static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    /**
     * LifecycleTaints computes the taints a node about to be stored must carry; the service binds it to
     * {@link NodeLifecycle#taintsFor} with the node's last heartbeat and the current time.
     */
    @FunctionalInterface
    public interface LifecycleTaints {
        List<Taint> taintsFor(Node node);
    }

    private final LifecycleTaints lifecycleTaints;

    public NodeValidation(LifecycleTaints lifecycleTaints) {
        this.lifecycleTaints = lifecycleTaints;
    }

    /** prepareForCreate adds the lifecycle taints a new node calls for (e.g. an agent registering NotReady). */
    @Override
    public void prepareForCreate(Node node) {
        applyLifecycleTaints(node);
    }

    /**
     * prepareForUpdate recomputes the lifecycle taints of a replacement. A managed taint the client left
     * out (a PUT of a node read before the taint appeared) is taken from the stored node first, so a
     * taint that is still called for keeps its timeAdded instead of being removed and added again.
     */
    @Override
    public void prepareForUpdate(Node node, Node old) {
        List<Taint> sent = taintsOf(node);
        Set<String> present = new HashSet<>();
        sent.forEach(t -> present.add(t.getKey() + ":" + t.getEffect()));
        List<Taint> merged = new ArrayList<>(sent);
        for (Taint t : taintsOf(old)) {
            if (NodeLifecycle.isManaged(t) && !present.contains(t.getKey() + ":" + t.getEffect())) {
                merged.add(t);
            }
        }
        if (merged.size() != sent.size()) {
            setTaints(node, merged);
        }
        applyLifecycleTaints(node);
    }

    /**
     * validateStatusUpdate recomputes the lifecycle taints after a status write (conditions decide
     * not-ready, unreachable and the pressure taints). The registry's status path offers no prepare
     * hook, and calls this one on the very object it then stores, so the status write and its taints
     * are one change and one event. The spec itself comes from the stored node and needs no checks.
     */
    @Override
    public void validateStatusUpdate(Node node, Node old, FieldErrors errors) {
        applyLifecycleTaints(node);
    }

    private void applyLifecycleTaints(Node node) {
        setTaints(node, lifecycleTaints.taintsFor(node));
    }

    private static List<Taint> taintsOf(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    }

    /** setTaints stores the list without creating an empty spec for a node that has none and needs none. */
    private static void setTaints(Node node, List<Taint> taints) {
        if (node.getSpec() == null) {
            if (taints.isEmpty()) {
                return;
            }
            node.setSpec(new NodeSpec());
        }
        node.getSpec().setTaints(new ArrayList<>(taints));
    }

    @Override
    public void validate(Node node, FieldErrors errors) {
        validateTaints(node.getSpec() == null ? null : node.getSpec().getTaints(), errors);
    }

    /** validateTaints checks each taint and that no key+effect pair appears twice. */
    public static void validateTaints(List<Taint> taints, FieldErrors errors) {
        if (taints == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < taints.size(); i++) {
            Taint t = taints.get(i);
            String path = "spec.taints[" + i + "]";
            if (t.getKey() == null || t.getKey().isEmpty()) {
                errors.required(path + ".key", "");
            } else {
                for (String e : NameValidation.isQualifiedName(t.getKey())) {
                    errors.invalid(path + ".key", t.getKey(), e);
                }
            }
            if (t.getValue() != null) {
                for (String e : NameValidation.isValidLabelValue(t.getValue())) {
                    errors.invalid(path + ".value", t.getValue(), e);
                }
            }
            if (t.getEffect() == null || t.getEffect().isEmpty()) {
                errors.required(path + ".effect", "");
            } else if (!TAINT_EFFECTS.contains(t.getEffect())) {
                errors.notSupported(path + ".effect", t.getEffect(), TAINT_EFFECTS);
            }
            if (!seen.add(t.getKey() + ":" + t.getEffect())) {
                errors.duplicate(path, t.getKey() + ":" + t.getEffect());
            }
        }
    }
}
