package io.dsplane.daemonset;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.dsplane.contracts.api.KubeJson;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/** Fixtures builds the DaemonSets the unit tests start from. */
public final class Fixtures {

    private Fixtures() {
    }

    /** validDaemonSet is a minimal DaemonSet every rule accepts, before defaulting. */
    public static DaemonSet validDaemonSet() {
        return yaml("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: agent
                  namespace: default
                spec:
                  selector:
                    matchLabels:
                      app: agent
                  template:
                    metadata:
                      labels:
                        app: agent
                    spec:
                      containers:
                      - name: agent
                        image: registry.example/agent:1.0
                """);
    }

    public static DaemonSet yaml(String text) {
        try {
            return KubeJson.yaml().readValue(text, DaemonSet.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** copy is a deep copy through JSON. */
    public static DaemonSet copy(DaemonSet ds) {
        return KubeJson.json().convertValue(ds, DaemonSet.class);
    }
}
