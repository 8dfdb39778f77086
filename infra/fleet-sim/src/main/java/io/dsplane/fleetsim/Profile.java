package io.dsplane.fleetsim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.contracts.api.KubeJson;

/**
 * Profile describes what kinds of nodes a simulated fleet has: pools with a relative share, the labels,
 * taints, allocatable and capacity of their nodes, and the zones nodes are spread over. Written as YAML
 * or JSON (see infra/sim/profiles/). Shares are relative weights: {@code 70/20/10} and
 * {@code 0.7/0.2/0.1} mean the same.
 */
public record Profile(List<Pool> pools, List<String> zones) {

    /** The taint effects a node may carry (as the API server accepts them). */
    public static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final Pattern POOL_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern QUANTITY = Pattern.compile("[+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+|[numkMGTPE]i?|Ki)?");

    /** One kind of node. {@code capacity} defaults to {@code allocatable}. */
    public record Pool(String name, double share, Map<String, String> labels, List<TaintSpec> taints,
            Map<String, String> allocatable, Map<String, String> capacity) {
    }

    /** A node taint as the profile gives it. */
    public record TaintSpec(String key, String value, String effect) {
    }

    public Profile {
        pools = List.copyOf(pools);
        zones = List.copyOf(zones);
    }

    /** load reads a profile file (YAML or JSON). */
    public static Profile load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read profile " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("profile " + file + ": " + e.getMessage(), e);
        }
    }

    /** parse reads a profile from YAML or JSON text and checks it. */
    public static Profile parse(String text) {
        JsonNode root;
        try {
            root = KubeJson.yaml().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid YAML/JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a profile is a mapping with 'pools' (and optionally 'zones')");
        }
        JsonNode poolsNode = root.path("pools");
        if (!poolsNode.isArray() || poolsNode.isEmpty()) {
            throw new IllegalArgumentException("'pools' must be a non-empty list");
        }
        List<Pool> pools = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < poolsNode.size(); i++) {
            JsonNode p = poolsNode.get(i);
            String where = "pools[" + i + "]";
            String name = p.path("name").asText("");
            if (!POOL_NAME.matcher(name).matches() || name.length() > 30) {
                throw new IllegalArgumentException(where + ".name must be a short lowercase DNS label, not '" + name + "'");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ".name '" + name + "' is used twice");
            }
            JsonNode shareNode = p.path("share");
            if (!shareNode.isNumber() || !(shareNode.asDouble() > 0)) {
                throw new IllegalArgumentException(where + ".share must be a number > 0");
            }
            Map<String, String> labels = stringMap(p.path("labels"), where + ".labels");
            Map<String, String> allocatable = stringMap(p.path("allocatable"), where + ".allocatable");
            Map<String, String> capacity = stringMap(p.path("capacity"), where + ".capacity");
            if (allocatable.isEmpty()) {
                throw new IllegalArgumentException(where + ".allocatable must name at least cpu, memory and pods");
            }
            for (String required : List.of("cpu", "memory", "pods")) {
                if (!allocatable.containsKey(required)) {
                    throw new IllegalArgumentException(where + ".allocatable." + required + " is missing");
                }
            }
            for (Map<String, String> m : List.of(allocatable, capacity)) {
                m.forEach((k, v) -> {
                    if (!QUANTITY.matcher(v).matches()) {
                        throw new IllegalArgumentException(where + ": '" + v + "' (" + k + ") is not a quantity");
                    }
                });
            }
            if (capacity.isEmpty()) {
                capacity = allocatable;
            }
            List<TaintSpec> taints = new ArrayList<>();
            JsonNode taintsNode = p.path("taints");
            if (!taintsNode.isMissingNode() && !taintsNode.isNull()) {
                if (!taintsNode.isArray()) {
                    throw new IllegalArgumentException(where + ".taints must be a list");
                }
                for (int t = 0; t < taintsNode.size(); t++) {
                    JsonNode tn = taintsNode.get(t);
                    String key = tn.path("key").asText("");
                    String effect = tn.path("effect").asText("");
                    String value = tn.hasNonNull("value") ? tn.get("value").asText() : null;
                    if (key.isEmpty()) {
                        throw new IllegalArgumentException(where + ".taints[" + t + "].key is required");
                    }
                    if (!EFFECTS.contains(effect)) {
                        throw new IllegalArgumentException(where + ".taints[" + t + "].effect must be one of "
                                + new java.util.TreeSet<>(EFFECTS) + ", not '" + effect + "'");
                    }
                    taints.add(new TaintSpec(key, value, effect));
                }
            }
            pools.add(new Pool(name, shareNode.asDouble(), Collections.unmodifiableMap(labels), List.copyOf(taints),
                    Collections.unmodifiableMap(allocatable), Collections.unmodifiableMap(capacity)));
        }
        List<String> zones = new ArrayList<>();
        JsonNode zonesNode = root.path("zones");
        if (zonesNode.isArray()) {
            zonesNode.forEach(z -> zones.add(z.asText()));
        } else if (!zonesNode.isMissingNode() && !zonesNode.isNull()) {
            throw new IllegalArgumentException("'zones' must be a list");
        }
        return new Profile(pools, zones);
    }

    private static Map<String, String> stringMap(JsonNode node, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be a mapping");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new IllegalArgumentException(where + "." + e.getKey() + " must be a plain value");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /**
     * apportion splits {@code n} nodes over the pools by share with the largest-remainder method: each
     * pool gets the floor of its exact share, the nodes left over go to the largest remainders (ties
     * to the pool listed first). The counts always add up to {@code n}.
     */
    public int[] apportion(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0");
        }
        double total = pools.stream().mapToDouble(Pool::share).sum();
        int[] counts = new int[pools.size()];
        double[] remainders = new double[pools.size()];
        int assigned = 0;
        for (int i = 0; i < pools.size(); i++) {
            double exact = n * pools.get(i).share() / total;
            counts[i] = (int) Math.floor(exact + 1e-9);
            remainders[i] = exact - counts[i];
            assigned += counts[i];
        }
        while (assigned < n) {
            int best = 0;
            for (int i = 1; i < pools.size(); i++) {
                if (remainders[i] > remainders[best] + 1e-12) {
                    best = i;
                }
            }
            counts[best]++;
            remainders[best] = -1;
            assigned++;
        }
        return counts;
    }

    /**
     * nodes makes {@code n} simulated nodes named {@code <prefix>-<pool>-<NNNN>} (numbered from 1 per
     * pool), apportioned over the pools, with the pool's labels and taints plus the well-known
     * hostname/os/arch labels and, when zones are given, a zone label assigned round robin.
     * {@code ipBase} makes the addresses of several calls distinct.
     */
    public List<SimNode> nodes(String prefix, int n, int ipBase) {
        int[] counts = apportion(n);
        List<SimNode> out = new ArrayList<>(n);
        int k = 0;
        for (int p = 0; p < pools.size(); p++) {
            Pool pool = pools.get(p);
            for (int i = 1; i <= counts[p]; i++, k++) {
                String name = String.format("%s-%s-%04d", prefix, pool.name(), i);
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("kubernetes.io/hostname", name);
                labels.put("kubernetes.io/os", "linux");
                labels.put("kubernetes.io/arch", "amd64");
                if (!zones.isEmpty()) {
                    labels.put("topology.kubernetes.io/zone", zones.get(k % zones.size()));
                }
                labels.putAll(pool.labels());
                int ip = ipBase + k + 1;
                String address = "10." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
                out.add(new SimNode(name, pool.name(), Collections.unmodifiableMap(labels), pool.taints(),
                        pool.allocatable(), pool.capacity(), address));
            }
        }
        return out;
    }
}
