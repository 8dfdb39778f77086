package io.dsplane.scheduler.placement;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * PodSpecs makes the one-level copy of a template's pod spec that a new daemon pod starts from: a new
 * PodSpec whose fields hold the template's values themselves (containers, volumes and every other
 * nested object are shared, not copied), with its own map of unknown fields. The caller replaces what
 * differs per pod (tolerations, affinity, nodeName) with new values and changes nothing shared.
 *
 * <p>It copies by reflection over PodSpec's fields, so a field a newer model adds is carried along
 * instead of silently dropped, which a hand-written list of setters would do.
 */
final class PodSpecs {

    private static final List<Field> FIELDS = instanceFields();

    private PodSpecs() {
    }

    /** shallowCopy returns a new spec holding the same values as {@code spec}. */
    static PodSpec shallowCopy(PodSpec spec) {
        PodSpec copy = new PodSpec();
        try {
            for (Field f : FIELDS) {
                f.set(copy, f.get(spec));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("PodSpec fields are not accessible", e);
        }
        copy.setAdditionalProperties(new LinkedHashMap<>(spec.getAdditionalProperties()));
        return copy;
    }

    private static List<Field> instanceFields() {
        List<Field> fields = new ArrayList<>();
        for (Field f : PodSpec.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getName().equals("additionalProperties")) {
                continue;
            }
            f.setAccessible(true);
            fields.add(f);
        }
        return List.copyOf(fields);
    }
}
