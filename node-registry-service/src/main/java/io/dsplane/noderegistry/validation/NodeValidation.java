package io.dsplane.noderegistry.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.api.NameValidation;
import io.dsplane.contracts.registry.RegistryStrategy;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;

/**
 * NodeValidation is the Node strategy: ValidateNode's checks of spec.taints (qualified key, valid
 * value, known effect, no duplicate key+effect). Status is kept on create, because an agent registers
 * its node together with its status, as kubelet does.
 */
public class NodeValidation implements RegistryStrategy<Node> {

    /** The taint effects of core/v1. */
    public static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

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
