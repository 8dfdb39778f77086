package io.dsplane.daemonset.service;

import java.util.LinkedHashMap;
import java.util.Map;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.contracts.registry.RegistryStrategy;
import io.dsplane.daemonset.defaults.DaemonSetDefaults;
import io.dsplane.daemonset.validation.DaemonSetValidation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;

/**
 * DaemonSetStrategy is what the upstream DaemonSet registry strategy does on writes: defaults on every
 * write, status reset on create and taken from the stored object on update, the template generation
 * kept in the {@value #TEMPLATE_GENERATION_ANNOTATION} annotation, and the validation rules of
 * {@link DaemonSetValidation}. Plain Java: table-tested without Quarkus.
 *
 * <p>Generation: the registry bumps metadata.generation when the spec JSON differs after defaulting,
 * which is upstream's rule (template change or any other spec change bumps it; metadata-only changes do
 * not). The template generation is bumped only when spec.template changes.
 */
public class DaemonSetStrategy implements RegistryStrategy<DaemonSet> {

    /**
     * The annotation apps/v1 uses to expose the internal spec.templateGeneration; pods created from a
     * template carry it as the pod-template-generation label, so the controller can tell old from new.
     */
    public static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

    /**
     * prepareForCreate: the status a client sends is replaced by an empty one (the four counters that
     * apps/v1 always serialises, at zero), defaults are applied, and the template generation starts at 1.
     */
    @Override
    public void prepareForCreate(DaemonSet ds) {
        ds.setStatus(emptyStatus());
        DaemonSetDefaults.setDefaultsDaemonSet(ds);
        setTemplateGeneration(ds, 1);
    }

    /**
     * prepareForUpdate: defaults are applied again (a replacement may leave defaulted fields out), the
     * status stays the stored one, and the template generation is the stored one, plus one when
     * spec.template changed; the annotation a client sends is ignored.
     */
    @Override
    public void prepareForUpdate(DaemonSet ds, DaemonSet old) {
        ds.setStatus(old.getStatus());
        DaemonSetDefaults.setDefaultsDaemonSet(ds);
        long generation = templateGeneration(old);
        if (templateChanged(ds, old)) {
            generation++;
        }
        setTemplateGeneration(ds, generation);
    }

    @Override
    public void validate(DaemonSet ds, FieldErrors errors) {
        DaemonSetValidation.validateDaemonSet(ds, errors);
    }

    @Override
    public void validateUpdate(DaemonSet ds, DaemonSet old, FieldErrors errors) {
        DaemonSetValidation.validateDaemonSetUpdate(ds, old, errors);
    }

    @Override
    public void validateStatusUpdate(DaemonSet ds, DaemonSet old, FieldErrors errors) {
        DaemonSetValidation.validateDaemonSetStatusUpdate(ds, old, errors);
    }

    /** templateChanged compares spec.template as JSON (field order and absent-vs-empty do not count). */
    public static boolean templateChanged(DaemonSet ds, DaemonSet old) {
        return !ObjectRegistry.jsonOf(ds, "spec").path("template")
                .equals(ObjectRegistry.jsonOf(old, "spec").path("template"));
    }

    /**
     * templateGeneration reads the annotation; 0 when it is missing or not a number, as an object
     * written before the annotation existed would have (upstream's zero value).
     */
    public static long templateGeneration(DaemonSet ds) {
        ObjectMeta meta = ds.getMetadata();
        String value = meta == null || meta.getAnnotations() == null ? null
                : meta.getAnnotations().get(TEMPLATE_GENERATION_ANNOTATION);
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static void setTemplateGeneration(DaemonSet ds, long generation) {
        ObjectMeta meta = ds.getMetadata();
        Map<String, String> annotations = meta.getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(meta.getAnnotations());
        annotations.put(TEMPLATE_GENERATION_ANNOTATION, Long.toString(generation));
        meta.setAnnotations(annotations);
    }

    /** emptyStatus is apps/v1's zero DaemonSetStatus as serialised upstream: the non-omitempty counters at 0. */
    static DaemonSetStatus emptyStatus() {
        DaemonSetStatus status = new DaemonSetStatus();
        status.setCurrentNumberScheduled(0);
        status.setNumberMisscheduled(0);
        status.setDesiredNumberScheduled(0);
        status.setNumberReady(0);
        return status;
    }
}
