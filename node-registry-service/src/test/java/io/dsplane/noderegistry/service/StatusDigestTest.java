package io.dsplane.noderegistry.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.contracts.api.KubeJson;

/**
 * StatusDigest must say "same" exactly when the registry's comparison of two statuses without heartbeat
 * times says so: a false "same" would drop a real status change.
 */
class StatusDigestTest {

    private static final String STATUS = """
            {"allocatable":{"cpu":"2","memory":"4Gi"},
             "conditions":[
               {"type":"Ready","status":"True","lastHeartbeatTime":"2026-01-01T00:00:00Z",
                "lastTransitionTime":"2025-12-31T00:00:00Z"},
               {"type":"DiskPressure","status":"False","lastHeartbeatTime":"2026-01-01T00:00:00Z"}],
             "addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"n1"}]}
            """;

    private static JsonNode json(String text) {
        try {
            return KubeJson.json().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static StatusDigest digest(String text) {
        return StatusDigest.of(json(text));
    }

    private static StatusDigest variant(String from, String to) {
        String changed = STATUS.replace(from, to);
        assertThat(changed).as("the test's replacement applies").isNotEqualTo(STATUS);
        return digest(changed);
    }

    @Test
    void sameStatusGivesSameDigestAndFieldOrderDoesNotCount() {
        assertThat(digest(STATUS)).isEqualTo(digest(STATUS));
        assertThat(digest("""
                {"addresses":[{"address":"10.0.0.1","type":"InternalIP"},{"address":"n1","type":"Hostname"}],
                 "conditions":[
                   {"lastTransitionTime":"2025-12-31T00:00:00Z","status":"True","type":"Ready",
                    "lastHeartbeatTime":"2026-01-01T00:00:00Z"},
                   {"status":"False","type":"DiskPressure","lastHeartbeatTime":"2026-01-01T00:00:00Z"}],
                 "allocatable":{"memory":"4Gi","cpu":"2"}}
                """)).isEqualTo(digest(STATUS));
    }

    @Test
    void heartbeatTimesOfConditionsDoNotCount() {
        assertThat(variant("\"lastHeartbeatTime\":\"2026-01-01T00:00:00Z\",\n",
                "\"lastHeartbeatTime\":\"2026-01-01T00:00:10Z\",\n")).isEqualTo(digest(STATUS));
        assertThat(digest(STATUS.replace("\"lastHeartbeatTime\":\"2026-01-01T00:00:00Z\"",
                "\"lastHeartbeatTime\":\"2026-01-01T00:00:10Z\""))).isEqualTo(digest(STATUS));
        // A condition without a heartbeat time at all is the same as one with any heartbeat time.
        assertThat(digest(STATUS.replace(",\"lastHeartbeatTime\":\"2026-01-01T00:00:00Z\"}", "}")))
                .isEqualTo(digest(STATUS));
    }

    @Test
    void everyOtherChangeCounts() {
        StatusDigest base = digest(STATUS);
        assertThat(variant("\"status\":\"True\"", "\"status\":\"False\"")).isNotEqualTo(base);
        assertThat(variant("\"lastTransitionTime\":\"2025-12-31T00:00:00Z\"",
                "\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"")).isNotEqualTo(base);
        assertThat(variant("\"memory\":\"4Gi\"", "\"memory\":\"3Gi\"")).isNotEqualTo(base);
        assertThat(variant("\"memory\":\"4Gi\"", "\"memory\":\"4Gi\",\"pods\":\"110\"")).isNotEqualTo(base);
        assertThat(variant("\"10.0.0.1\"", "\"10.0.0.2\"")).isNotEqualTo(base);
        // Array order counts, as in JSON tree equality.
        String internal = "{\"type\":\"InternalIP\",\"address\":\"10.0.0.1\"}";
        String hostname = "{\"type\":\"Hostname\",\"address\":\"n1\"}";
        assertThat(variant(internal + "," + hostname, hostname + "," + internal)).isNotEqualTo(base);
        // A heartbeat time outside the conditions is an ordinary field.
        assertThat(digest("{\"lastHeartbeatTime\":\"a\"}")).isNotEqualTo(digest("{\"lastHeartbeatTime\":\"b\"}"));
        assertThat(digest("{\"x\":{\"lastHeartbeatTime\":\"a\"}}"))
                .isNotEqualTo(digest("{\"x\":{\"lastHeartbeatTime\":\"b\"}}"));
    }

    @Test
    void valuesOfDifferentJsonTypesDiffer() {
        assertThat(digest("{\"a\":1}")).isNotEqualTo(digest("{\"a\":\"1\"}"));
        assertThat(digest("{\"a\":1}")).isNotEqualTo(digest("{\"a\":1.0}"));
        assertThat(digest("{\"a\":true}")).isNotEqualTo(digest("{\"a\":\"true\"}"));
        assertThat(digest("{\"a\":null}")).isNotEqualTo(digest("{}"));
        assertThat(digest("{\"a\":[]}")).isNotEqualTo(digest("{\"a\":{}}"));
        // Strings are length-prefixed: moving text between neighbours is a change.
        assertThat(digest("{\"a\":[\"xy\",\"z\"]}")).isNotEqualTo(digest("{\"a\":[\"x\",\"yz\"]}"));
    }

    @Test
    void noStatusIsOneDigestDistinctFromAnEmptyStatus() {
        assertThat(StatusDigest.of(null)).isEqualTo(StatusDigest.of(json("null")));
        assertThat(StatusDigest.of(null)).isNotEqualTo(digest("{}"));
    }
}
