package io.dsplane.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

/**
 * KubeJson holds the JSON and YAML mappers used for Kubernetes objects and events. Unknown fields are
 * kept (fabric8 model classes carry them in additionalProperties), so a manifest written for a newer
 * Kubernetes survives a round trip through the product unchanged.
 */
public final class KubeJson {

    private static final ObjectMapper JSON = configure(new ObjectMapper());
    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));

    private KubeJson() {
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        // Blackbird: property access through generated lambdas instead of reflection, which made up a
        // good part of the cost of (de)serialising the Kubernetes model classes on every event.
        return mapper.registerModule(new JavaTimeModule()).registerModule(new BlackbirdModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** The shared JSON mapper; do not reconfigure it. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** The shared YAML mapper; do not reconfigure it. */
    public static ObjectMapper yaml() {
        return YAML;
    }
}
