package io.dsplane.contracts.registry;

/**
 * ResourceKind describes one kind served by a registry: its API group/version/kind, the plural
 * resource name used in paths and errors, whether it is namespaced, and the state topic its events go to.
 */
public record ResourceKind(String group, String version, String kind, String resource, boolean namespaced,
        String topic) {

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** eventKey is the Kafka key of an object's events: name, or namespace/name when namespaced. */
    public String eventKey(String namespace, String name) {
        return namespaced ? namespace + "/" + name : name;
    }
}
