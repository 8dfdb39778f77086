package io.dsplane.helm;

import java.util.Map;
import java.util.Set;

/** Components: the four services as the chart names them, with the port each listens on. */
final class Components {

    static final Map<String, Integer> PORTS = Map.of(
            "node-registry-service", 8081,
            "daemonset-service", 8082,
            "scheduler-service", 8083,
            "pod-service", 8084);

    /** The services that own a PostgreSQL schema; the scheduler keeps its state in Kafka Streams. */
    static final Set<String> WITH_DATABASE = Set.of("node-registry-service", "daemonset-service", "pod-service");

    private Components() {
    }

    /** objectName: the name of a service's Deployment, Service and PDB in release "dsplane". */
    static String objectName(String component) {
        return Chart.RELEASE + "-" + component;
    }
}
