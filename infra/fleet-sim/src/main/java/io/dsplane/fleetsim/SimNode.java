package io.dsplane.fleetsim;

import java.util.List;
import java.util.Map;

/** SimNode is one simulated node: what its agent reports at registration (and, status only, after). */
public record SimNode(String name, String pool, Map<String, String> labels, List<Profile.TaintSpec> taints,
        Map<String, String> allocatable, Map<String, String> capacity, String internalIP) {
}
