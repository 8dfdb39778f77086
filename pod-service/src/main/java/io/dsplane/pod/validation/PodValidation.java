package io.dsplane.pod.validation;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.api.NameValidation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

/**
 * PodValidation holds the checks of a v1 Pod that the product relies on, modelled on upstream's
 * ValidatePodSpec, ValidatePodUpdate and ValidatePodStatusUpdate: every failing field is reported
 * with its exact path (e.g. {@code spec.containers[0].image}) and the upstream reason, so a client
 * sees all problems of a manifest at once. Pure functions: no I/O, no clock.
 */
public final class PodValidation {

    public static final String RESTART_ALWAYS = "Always";
    public static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    public static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    public static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default",
            "None");
    public static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    public static final List<String> TOLERATION_OPERATORS = List.of("Equal", "Exists");
    public static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    public static final List<String> PHASES = List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");
    /** Phases a pod never leaves: its containers have stopped for good. */
    public static final Set<String> TERMINAL_PHASES = Set.of("Succeeded", "Failed");
    public static final List<String> CONDITION_STATUSES = List.of("True", "False", "Unknown");

    /** 15: the longest IANA service name, the syntax of named container ports. */
    private static final int PORT_NAME_MAX = 15;
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final int MAX_PORT = 65535;

    private PodValidation() {
    }

    // ---------------------------------------------------------------- spec

    /** validateSpec adds a cause per invalid field of a pod spec. */
    public static void validateSpec(PodSpec spec, FieldErrors errors) {
        if (spec == null) {
            errors.required("spec.containers", "");
            return;
        }
        Set<String> names = new HashSet<>();
        if (spec.getContainers() == null || spec.getContainers().isEmpty()) {
            errors.required("spec.containers", "");
        } else {
            validateContainers(spec.getContainers(), "spec.containers", names, errors);
        }
        if (spec.getInitContainers() != null) {
            validateContainers(spec.getInitContainers(), "spec.initContainers", names, errors);
        }
        String restartPolicy = spec.getRestartPolicy();
        if (restartPolicy == null || restartPolicy.isEmpty()) {
            errors.required("spec.restartPolicy", "");
        } else if (!RESTART_POLICIES.contains(restartPolicy)) {
            errors.notSupported("spec.restartPolicy", restartPolicy, RESTART_POLICIES);
        }
        if (spec.getDnsPolicy() != null && !spec.getDnsPolicy().isEmpty()
                && !DNS_POLICIES.contains(spec.getDnsPolicy())) {
            errors.notSupported("spec.dnsPolicy", spec.getDnsPolicy(), DNS_POLICIES);
        }
        if (spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
            for (String e : NameValidation.isDNS1123Subdomain(spec.getNodeName())) {
                errors.invalid("spec.nodeName", spec.getNodeName(), e);
            }
        }
        NameValidation.validateLabels(spec.getNodeSelector(), "spec.nodeSelector", errors);
        if (spec.getHostname() != null && !spec.getHostname().isEmpty()) {
            for (String e : NameValidation.isDNS1123Label(spec.getHostname())) {
                errors.invalid("spec.hostname", spec.getHostname(), e);
            }
        }
        if (spec.getSubdomain() != null && !spec.getSubdomain().isEmpty()) {
            for (String e : NameValidation.isDNS1123Label(spec.getSubdomain())) {
                errors.invalid("spec.subdomain", spec.getSubdomain(), e);
            }
        }
        if (spec.getPriority() != null && spec.getPriority() < 0) {
            errors.invalid("spec.priority", spec.getPriority(), "must be greater than or equal to 0");
        }
        if (spec.getTerminationGracePeriodSeconds() != null && spec.getTerminationGracePeriodSeconds() < 0) {
            errors.invalid("spec.terminationGracePeriodSeconds", spec.getTerminationGracePeriodSeconds(),
                    "must be greater than or equal to 0");
        }
        if (spec.getActiveDeadlineSeconds() != null && spec.getActiveDeadlineSeconds() < 1) {
            errors.invalid("spec.activeDeadlineSeconds", spec.getActiveDeadlineSeconds(),
                    "must be between 1 and " + Integer.MAX_VALUE + ", inclusive");
        }
        validateTolerations(spec.getTolerations(), errors);
    }

    private static void validateContainers(List<Container> containers, String base, Set<String> names,
            FieldErrors errors) {
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            String path = base + "[" + i + "]";
            if (c == null) {
                errors.required(path, "");
                continue;
            }
            String name = c.getName();
            if (name == null || name.isEmpty()) {
                errors.required(path + ".name", "");
            } else {
                List<String> problems = NameValidation.isDNS1123Label(name);
                problems.forEach(e -> errors.invalid(path + ".name", name, e));
                if (problems.isEmpty() && !names.add(name)) {
                    errors.duplicate(path + ".name", name);
                }
            }
            String image = c.getImage();
            if (image == null || image.isBlank()) {
                errors.required(path + ".image", "");
            } else if (!image.equals(image.strip())) {
                errors.invalid(path + ".image", image, "must not have leading or trailing whitespace");
            }
            if (c.getImagePullPolicy() != null && !c.getImagePullPolicy().isEmpty()
                    && !PULL_POLICIES.contains(c.getImagePullPolicy())) {
                errors.notSupported(path + ".imagePullPolicy", c.getImagePullPolicy(), PULL_POLICIES);
            }
            validatePorts(c.getPorts(), path + ".ports", errors);
            validateResources(c.getResources(), path + ".resources", errors);
        }
    }

    private static void validatePorts(List<ContainerPort> ports, String base, FieldErrors errors) {
        if (ports == null) {
            return;
        }
        for (int i = 0; i < ports.size(); i++) {
            ContainerPort p = ports.get(i);
            String path = base + "[" + i + "]";
            if (p == null) {
                continue;
            }
            if (p.getContainerPort() == null) {
                errors.required(path + ".containerPort", "");
            } else if (p.getContainerPort() < 1 || p.getContainerPort() > MAX_PORT) {
                errors.invalid(path + ".containerPort", p.getContainerPort(), portRange());
            }
            if (p.getHostPort() != null && p.getHostPort() != 0
                    && (p.getHostPort() < 1 || p.getHostPort() > MAX_PORT)) {
                errors.invalid(path + ".hostPort", p.getHostPort(), portRange());
            }
            if (p.getProtocol() != null && !p.getProtocol().isEmpty() && !PROTOCOLS.contains(p.getProtocol())) {
                errors.notSupported(path + ".protocol", p.getProtocol(), PROTOCOLS);
            }
            String name = p.getName();
            if (name != null && !name.isEmpty() && (name.length() > PORT_NAME_MAX
                    || !PORT_NAME.matcher(name).matches() || !HAS_LETTER.matcher(name).matches()
                    || name.contains("--"))) {
                errors.invalid(path + ".name", name, "must be a service name: at most " + PORT_NAME_MAX
                        + " lower case letters, digits or '-', with at least one letter, no '--', and starting"
                        + " and ending with a letter or digit");
            }
        }
    }

    private static String portRange() {
        return "must be between 1 and " + MAX_PORT + ", inclusive";
    }

    /**
     * validateResources checks that every request and limit is a non-negative quantity under a valid
     * resource name, and that no request exceeds the limit of the same resource.
     */
    static void validateResources(ResourceRequirements resources, String base, FieldErrors errors) {
        if (resources == null) {
            return;
        }
        Map<String, BigDecimal> limits = quantities(resources.getLimits(), base + ".limits", errors);
        Map<String, BigDecimal> requests = quantities(resources.getRequests(), base + ".requests", errors);
        for (Map.Entry<String, BigDecimal> r : requests.entrySet()) {
            BigDecimal limit = limits.get(r.getKey());
            if (limit != null && r.getValue().compareTo(limit) > 0) {
                errors.invalid(base + ".requests[" + r.getKey() + "]", render(resources.getRequests().get(r.getKey())),
                        "must be less than or equal to " + r.getKey() + " limit of "
                                + render(resources.getLimits().get(r.getKey())));
            }
        }
    }

    private static Map<String, BigDecimal> quantities(Map<String, Quantity> values, String base,
            FieldErrors errors) {
        Map<String, BigDecimal> parsed = new HashMap<>();
        if (values == null) {
            return parsed;
        }
        for (Map.Entry<String, Quantity> e : values.entrySet()) {
            String path = base + "[" + e.getKey() + "]";
            for (String problem : NameValidation.isQualifiedName(e.getKey())) {
                errors.invalid(path, e.getKey(), problem);
            }
            Quantity q = e.getValue();
            BigDecimal amount;
            try {
                amount = q == null || q.getAmount() == null ? null : q.getNumericalAmount();
            } catch (RuntimeException ex) {
                amount = null;
            }
            if (amount == null) {
                errors.invalid(path, render(q), "must be a quantity (e.g. '250m', '1.5', '64Mi')");
            } else if (amount.signum() < 0) {
                errors.invalid(path, render(q), "must be greater than or equal to 0");
            } else {
                parsed.put(e.getKey(), amount);
            }
        }
        return parsed;
    }

    private static String render(Quantity q) {
        if (q == null) {
            return null;
        }
        return (q.getAmount() == null ? "" : q.getAmount()) + (q.getFormat() == null ? "" : q.getFormat());
    }

    /** validateTolerations checks key syntax, operator/value agreement and effects of spec.tolerations. */
    static void validateTolerations(List<Toleration> tolerations, FieldErrors errors) {
        if (tolerations == null) {
            return;
        }
        for (int i = 0; i < tolerations.size(); i++) {
            Toleration t = tolerations.get(i);
            String path = "spec.tolerations[" + i + "]";
            if (t == null) {
                continue;
            }
            String key = t.getKey() == null ? "" : t.getKey();
            String value = t.getValue() == null ? "" : t.getValue();
            String operator = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
            if (!key.isEmpty()) {
                for (String e : NameValidation.isQualifiedName(key)) {
                    errors.invalid(path + ".key", key, e);
                }
            }
            switch (operator) {
                case "Equal" -> {
                    if (key.isEmpty()) {
                        errors.invalid(path + ".operator", operator,
                                "must be Exists when key is empty (a toleration of every taint)");
                    }
                    for (String e : NameValidation.isValidLabelValue(value)) {
                        errors.invalid(path + ".value", value, e);
                    }
                }
                case "Exists" -> {
                    if (!value.isEmpty()) {
                        errors.invalid(path + ".operator", operator, "value must be empty with operator Exists");
                    }
                }
                default -> errors.notSupported(path + ".operator", operator, TOLERATION_OPERATORS);
            }
            String effect = t.getEffect() == null ? "" : t.getEffect();
            if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
                errors.notSupported(path + ".effect", effect, TAINT_EFFECTS);
            }
            if (t.getTolerationSeconds() != null && !"NoExecute".equals(effect)) {
                errors.invalid(path + ".effect", effect, "must be NoExecute when tolerationSeconds is set");
            }
        }
    }

    // ---------------------------------------------------------------- update

    /**
     * validateSpecUpdate forbids changing a running pod's spec beyond what a node can apply in place:
     * container images, activeDeadlineSeconds, terminationGracePeriodSeconds and added tolerations.
     * Everything else (containers, nodeName, affinity, volumes...) is fixed once the pod exists.
     */
    public static void validateSpecUpdate(PodSpec spec, PodSpec old, FieldErrors errors) {
        ObjectNode next = specTree(spec);
        ObjectNode prev = specTree(old);
        JsonNode nextTolerations = next.path("tolerations");
        JsonNode prevTolerations = prev.path("tolerations");
        if (prevTolerations.isArray()) {
            for (JsonNode t : prevTolerations) {
                if (!contains(nextTolerations, t)) {
                    errors.forbidden("spec.tolerations", "existing tolerations may not be removed or changed,"
                            + " only new ones added");
                    break;
                }
            }
        }
        maskMutable(next);
        maskMutable(prev);
        if (!next.equals(prev)) {
            errors.forbidden("spec", "only container images, activeDeadlineSeconds,"
                    + " terminationGracePeriodSeconds and new tolerations may change on an existing pod");
        }
    }

    private static ObjectNode specTree(PodSpec spec) {
        JsonNode tree = spec == null ? null : KubeBodies.toTree(spec);
        return tree != null && tree.isObject() ? (ObjectNode) tree : KubeJson.json().createObjectNode();
    }

    private static boolean contains(JsonNode array, JsonNode element) {
        if (!array.isArray()) {
            return false;
        }
        for (JsonNode e : array) {
            if (e.equals(element)) {
                return true;
            }
        }
        return false;
    }

    private static void maskMutable(ObjectNode spec) {
        spec.remove(List.of("activeDeadlineSeconds", "terminationGracePeriodSeconds", "tolerations"));
        for (String field : List.of("containers", "initContainers")) {
            JsonNode list = spec.get(field);
            if (list != null && list.isArray()) {
                for (Iterator<JsonNode> it = list.elements(); it.hasNext();) {
                    JsonNode c = it.next();
                    if (c.isObject()) {
                        ((ObjectNode) c).remove("image");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- status

    /**
     * validateStatus checks a status written by an agent or a controller: a known phase that never
     * leaves a terminal phase, one condition per type with a known status, and IP addresses.
     */
    public static void validateStatus(PodStatus status, PodStatus old, FieldErrors errors) {
        String phase = status == null ? null : status.getPhase();
        String oldPhase = old == null ? null : old.getPhase();
        if (phase != null && !phase.isEmpty() && !PHASES.contains(phase)) {
            errors.notSupported("status.phase", phase, PHASES);
        }
        if (oldPhase != null && TERMINAL_PHASES.contains(oldPhase) && !oldPhase.equals(phase)) {
            errors.forbidden("status.phase", "a pod in the terminal phase \"" + oldPhase + "\" cannot move to "
                    + (phase == null ? "no phase" : "\"" + phase + "\""));
        }
        if (status == null) {
            return;
        }
        List<PodCondition> conditions = status.getConditions();
        if (conditions != null) {
            Set<String> types = new HashSet<>();
            for (int i = 0; i < conditions.size(); i++) {
                PodCondition c = conditions.get(i);
                String path = "status.conditions[" + i + "]";
                if (c == null) {
                    continue;
                }
                if (c.getType() == null || c.getType().isEmpty()) {
                    errors.required(path + ".type", "");
                } else if (!types.add(c.getType())) {
                    errors.duplicate(path + ".type", c.getType());
                }
                if (c.getStatus() == null || c.getStatus().isEmpty()) {
                    errors.required(path + ".status", "");
                } else if (!CONDITION_STATUSES.contains(c.getStatus())) {
                    errors.notSupported(path + ".status", c.getStatus(), CONDITION_STATUSES);
                }
            }
        }
        validateIP("status.podIP", status.getPodIP(), errors);
        validateIP("status.hostIP", status.getHostIP(), errors);
    }

    private static void validateIP(String path, String ip, FieldErrors errors) {
        if (ip != null && !ip.isEmpty() && !isIP(ip)) {
            errors.invalid(path, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
    }

    /** isIP accepts IPv4 dotted quads and IPv6 literals, without ever asking DNS. */
    static boolean isIP(String s) {
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        if (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(s);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
