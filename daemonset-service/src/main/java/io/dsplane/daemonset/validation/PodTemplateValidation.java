package io.dsplane.daemonset.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.api.NameValidation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * PodTemplateValidation is the part of core's {@code ValidatePodTemplateSpec} a DaemonSet needs:
 * template labels and annotations, at least one container, container names (DNS labels, unique across
 * containers and init containers), images, the DNS policy, and no ephemeral containers.
 *
 * <p>Paths follow upstream exactly, including its quirk that template label syntax errors are reported
 * at {@code <template>.labels}, not {@code <template>.metadata.labels}.
 */
public final class PodTemplateValidation {

    /** The dnsPolicy values of core/v1. */
    public static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default",
            "None");

    private PodTemplateValidation() {
    }

    /** validatePodTemplateSpec adds a cause per problem of a pod template; null counts as empty. */
    public static void validatePodTemplateSpec(PodTemplateSpec template, String path, FieldErrors errors) {
        ObjectMeta meta = template == null ? null : template.getMetadata();
        if (meta != null) {
            NameValidation.validateLabels(meta.getLabels(), path + ".labels", errors);
            NameValidation.validateAnnotations(meta.getAnnotations(), path + ".annotations", errors);
        }
        PodSpec spec = template == null || template.getSpec() == null ? new PodSpec() : template.getSpec();
        validatePodSpec(spec, path + ".spec", errors);
        if (spec.getEphemeralContainers() != null && !spec.getEphemeralContainers().isEmpty()) {
            errors.forbidden(path + ".spec.ephemeralContainers", "ephemeral containers not allowed in pod template");
        }
    }

    /** validatePodSpec checks containers, init containers and dnsPolicy. */
    public static void validatePodSpec(PodSpec spec, String path, FieldErrors errors) {
        Set<String> names = new HashSet<>();
        List<Container> containers = spec.getContainers();
        if (containers == null || containers.isEmpty()) {
            errors.required(path + ".containers", "");
        } else {
            validateContainers(containers, names, path + ".containers", errors);
        }
        if (spec.getInitContainers() != null) {
            validateContainers(spec.getInitContainers(), names, path + ".initContainers", errors);
        }
        String dns = spec.getDnsPolicy();
        if (dns != null && !dns.isEmpty() && !DNS_POLICIES.contains(dns)) {
            errors.notSupported(path + ".dnsPolicy", dns, DNS_POLICIES);
        }
    }

    /**
     * validateContainers checks each container's name and image; {@code names} collects the names seen
     * so far, so init containers may not reuse a container's name.
     */
    public static void validateContainers(List<Container> containers, Set<String> names, String path,
            FieldErrors errors) {
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            String at = path + "[" + i + "]";
            String name = c.getName();
            if (name == null || name.isEmpty()) {
                errors.required(at + ".name", "");
            } else {
                for (String msg : NameValidation.isDNS1123Label(name)) {
                    errors.invalid(at + ".name", name, msg);
                }
                if (!names.add(name)) {
                    errors.duplicate(at + ".name", name);
                }
            }
            if (c.getImage() == null || c.getImage().isEmpty()) {
                errors.required(at + ".image", "");
            }
        }
    }
}
