package io.dsplane.scheduler.placement;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
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
 * <p>The properties copied are found from PodSpec's fields, so a field a newer model adds is carried
 * along instead of silently dropped, which a hand-written list of setters would do; a field without a
 * getter and setter of its name fails the class's initialisation rather than being left out. They are
 * copied through {@link BeanProperties}, not by reflection on each call.
 */
final class PodSpecs {

    private static final List<BeanProperties.Property> PROPERTIES = properties();

    private PodSpecs() {
    }

    /** shallowCopy returns a new spec holding the same values as {@code spec}. */
    static PodSpec shallowCopy(PodSpec spec) {
        PodSpec copy = new PodSpec();
        for (BeanProperties.Property p : PROPERTIES) {
            p.copy(spec, copy);
        }
        copy.setAdditionalProperties(new LinkedHashMap<>(spec.getAdditionalProperties()));
        return copy;
    }

    private static List<BeanProperties.Property> properties() {
        List<BeanProperties.Property> out = new ArrayList<>();
        for (Field f : PodSpec.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getName().equals("additionalProperties")) {
                continue;
            }
            String suffix = Character.toUpperCase(f.getName().charAt(0)) + f.getName().substring(1);
            try {
                Method getter = PodSpec.class.getMethod("get" + suffix);
                Method setter = PodSpec.class.getMethod("set" + suffix, f.getType());
                out.add(BeanProperties.property(f.getName(), getter, setter));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("PodSpec field " + f.getName() + " has no getter and setter", e);
            }
        }
        return List.copyOf(out);
    }
}
