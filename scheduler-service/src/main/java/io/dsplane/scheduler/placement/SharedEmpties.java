package io.dsplane.scheduler.placement;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * SharedEmpties replaces the empty lists and maps of a Kubernetes model object with the JVM's shared
 * immutable empties. Every model object allocates its list fields and its map of additional properties
 * when it is constructed, used or not: a pod's metadata, spec and status carry about thirty such empty
 * collections, more memory than the fields the scheduler keeps. Readers see the same (empty, non-null)
 * values as before; a writer that tried to add to one would fail loudly instead of changing a value
 * other pods may share. Only the object itself is changed, not the objects it refers to. The properties
 * are visited through {@link BeanProperties}, bound once per class.
 */
public final class SharedEmpties {

    private static final ClassValue<List<BeanProperties.Property>> ACCESSORS = new ClassValue<>() {
        @Override
        protected List<BeanProperties.Property> computeValue(Class<?> type) {
            return accessors(type);
        }
    };

    private SharedEmpties() {
    }

    /** apply swaps every empty list or map property of {@code object} for the shared empty one; returns it. */
    public static <T> T apply(T object) {
        if (object == null) {
            return null;
        }
        for (BeanProperties.Property a : ACCESSORS.get(object.getClass())) {
            Object value = a.get(object);
            if (value instanceof Collection<?> c && c.isEmpty()) {
                a.set(object, List.of());
            } else if (value instanceof Map<?, ?> m && m.isEmpty()) {
                a.set(object, Map.of());
            }
        }
        return object;
    }

    /** The public {@code setX(List)} and {@code setX(Map)} with a matching public {@code getX()}. */
    private static List<BeanProperties.Property> accessors(Class<?> type) {
        List<BeanProperties.Property> out = new ArrayList<>();
        for (Method setter : type.getMethods()) {
            Class<?>[] params = setter.getParameterTypes();
            if (!setter.getName().startsWith("set") || params.length != 1 || setter.getReturnType() != void.class
                    || !(params[0] == List.class || params[0] == Map.class)) {
                continue;
            }
            try {
                Method getter = type.getMethod("get" + setter.getName().substring(3));
                if (getter.getReturnType() == params[0]) {
                    out.add(BeanProperties.property(setter.getName().substring(3), getter, setter));
                }
            } catch (NoSuchMethodException e) {
                // a setter without a getter is not a property we can check
            }
        }
        return List.copyOf(out);
    }
}
