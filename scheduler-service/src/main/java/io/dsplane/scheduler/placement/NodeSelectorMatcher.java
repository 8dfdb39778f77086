package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * NodeSelectorMatcher decides whether a node satisfies a pod's {@code spec.nodeSelector} and
 * {@code requiredDuringSchedulingIgnoredDuringExecution} node affinity, like upstream's
 * {@code nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)}, and explains every failure.
 *
 * <p>Rules: every nodeSelector entry must equal the node label; affinity terms are ORed, the
 * requirements inside a term ANDed; a term with neither matchExpressions nor matchFields matches
 * nothing; a term that fails to parse never matches but does not stop other terms from matching.
 * Parse errors never reject the whole pod, for the same backwards compatibility reason as upstream.
 * Preferred affinity is ignored.
 */
public final class NodeSelectorMatcher {

    /** Reason: a nodeSelector entry whose label has another value on the node. */
    public static final String REASON_SELECTOR_VALUE = "nodeSelector %s=%s: node has %s=%s";
    /** Reason: a nodeSelector entry whose label is missing on the node. */
    public static final String REASON_SELECTOR_MISSING = "nodeSelector %s=%s: node has no label %s";
    /** Reason: one failed requirement of an affinity term, with the node's actual value. */
    public static final String REASON_TERM_REQUIREMENT = "affinity term %d: %s: %s";
    /** Reason: an affinity term that cannot be parsed and therefore never matches. */
    public static final String REASON_TERM_INVALID = "affinity term %d: invalid: %s";
    /** Reason: upstream treats an empty term as selecting no objects. */
    public static final String REASON_TERM_EMPTY = "affinity term %d: empty term matches no node";
    /** Reason: a required node affinity without terms can match no node. */
    public static final String REASON_NO_TERMS = "affinity: required node affinity has no terms, matches no node";

    private NodeSelectorMatcher() {
    }

    /** matches is the boolean form of {@link #match(PodSpec, Node)}. */
    public static boolean matches(PodSpec podSpec, Node node) {
        return match(podSpec, node).matches();
    }

    /**
     * match checks the pod's nodeSelector AND its required node affinity against the node. Both
     * are evaluated fully so the result lists every failing check, not only the first.
     */
    public static NodeSelectorMatch match(PodSpec podSpec, Node node) {
        List<String> reasons = new ArrayList<>();
        NodeSelectorMatch selector = matchNodeSelector(podSpec.getNodeSelector(), nodeLabels(node));
        reasons.addAll(selector.reasons());
        NodeSelector required = requiredNodeAffinity(podSpec);
        if (required != null) {
            reasons.addAll(matchNodeSelectorTerms(required, node).reasons());
        }
        return reasons.isEmpty() ? NodeSelectorMatch.MATCH : NodeSelectorMatch.mismatch(reasons);
    }

    /**
     * matchNodeSelector checks that every nodeSelector entry is a label of the node with exactly
     * that value. A null or empty map places no constraint.
     */
    public static NodeSelectorMatch matchNodeSelector(Map<String, String> nodeSelector, Map<String, String> nodeLabels) {
        if (nodeSelector == null || nodeSelector.isEmpty()) {
            return NodeSelectorMatch.MATCH;
        }
        List<String> reasons = new ArrayList<>();
        // Sorted so that reasons come out in a stable order whatever map the caller used.
        for (Map.Entry<String, String> wanted : new TreeMap<>(nodeSelector).entrySet()) {
            String key = wanted.getKey();
            String value = nullToEmpty(wanted.getValue());
            if (!nodeLabels.containsKey(key)) {
                reasons.add(String.format(REASON_SELECTOR_MISSING, key, value, key));
            } else if (!value.equals(nullToEmpty(nodeLabels.get(key)))) {
                reasons.add(String.format(REASON_SELECTOR_VALUE, key, value, key, nullToEmpty(nodeLabels.get(key))));
            }
        }
        return reasons.isEmpty() ? NodeSelectorMatch.MATCH : NodeSelectorMatch.mismatch(reasons);
    }

    /**
     * matchNodeSelectorTerms checks a required node affinity: the node matches when any valid,
     * non-empty term matches. When none does, the reasons cover every term.
     */
    public static NodeSelectorMatch matchNodeSelectorTerms(NodeSelector nodeSelector, Node node) {
        List<NodeSelectorTerm> terms = nodeSelector.getNodeSelectorTerms();
        if (terms == null || terms.isEmpty()) {
            return NodeSelectorMatch.mismatch(List.of(REASON_NO_TERMS));
        }
        Map<String, String> labels = nodeLabels(node);
        String nodeName = node.getMetadata() == null ? null : node.getMetadata().getName();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            List<String> termReasons = explainTerm(i, terms.get(i), labels, nodeName);
            if (termReasons.isEmpty()) {
                return NodeSelectorMatch.MATCH;
            }
            reasons.addAll(termReasons);
        }
        return NodeSelectorMatch.mismatch(reasons);
    }

    /** explainTerm returns why term {@code index} does not match, or nothing when it matches. */
    private static List<String> explainTerm(int index, NodeSelectorTerm term, Map<String, String> labels, String nodeName) {
        List<NodeSelectorRequirement> expressions = nonNull(term == null ? null : term.getMatchExpressions());
        List<NodeSelectorRequirement> fields = nonNull(term == null ? null : term.getMatchFields());
        if (expressions.isEmpty() && fields.isEmpty()) {
            return List.of(String.format(REASON_TERM_EMPTY, index));
        }
        List<SelectorRequirement> parsed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (NodeSelectorRequirement expression : expressions) {
            collect(SelectorRequirement.parseLabelRequirement(expression), parsed, errors);
        }
        for (NodeSelectorRequirement field : fields) {
            collect(SelectorRequirement.parseFieldRequirement(field), parsed, errors);
        }
        if (!errors.isEmpty()) {
            return errors.stream().map(e -> String.format(REASON_TERM_INVALID, index, e)).toList();
        }
        Map<String, String> nodeFields = nodeName == null || nodeName.isEmpty()
                ? Map.of() : Map.of(SelectorRequirement.NODE_NAME_FIELD, nodeName);
        List<String> reasons = new ArrayList<>();
        for (SelectorRequirement requirement : parsed) {
            boolean field = requirement.source() == SelectorRequirement.Source.FIELD;
            if (field && nodeFields.isEmpty()) {
                // Upstream skips field checks for a node without a name; real nodes always have one.
                continue;
            }
            Optional<String> mismatch = requirement.mismatch(field ? nodeFields : labels);
            mismatch.ifPresent(m -> reasons.add(String.format(REASON_TERM_REQUIREMENT, index, requirement.describe(), m)));
        }
        return reasons;
    }

    private static void collect(SelectorRequirement.Parsed parsed, List<SelectorRequirement> requirements, List<String> errors) {
        parsed.requirement().ifPresent(requirements::add);
        errors.addAll(parsed.errors());
    }

    /** requiredNodeAffinity returns the pod's required node selector, or null when there is none. */
    static NodeSelector requiredNodeAffinity(PodSpec podSpec) {
        if (podSpec.getAffinity() == null || podSpec.getAffinity().getNodeAffinity() == null) {
            return null;
        }
        return podSpec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    }

    static Map<String, String> nodeLabels(Node node) {
        if (node.getMetadata() == null || node.getMetadata().getLabels() == null) {
            return Map.of();
        }
        return node.getMetadata().getLabels();
    }

    private static <T> List<T> nonNull(List<T> list) {
        if (list == null) {
            return List.of();
        }
        return list.stream().filter(Objects::nonNull).toList();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
