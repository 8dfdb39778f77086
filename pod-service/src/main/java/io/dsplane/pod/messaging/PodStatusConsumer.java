package io.dsplane.pod.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.dsplane.contracts.api.ApiException;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.pod.service.PodStatusReports;
import io.fabric8.kubernetes.api.model.Pod;
import io.smallrye.common.annotation.Blocking;

/**
 * PodStatusConsumer reads what node agents publish on dsplane.pod-status.v1: a v1 Pod with
 * metadata.namespace/name (and optionally uid) and its status, keyed {@code namespace/name}. A record
 * that is not such a Pod, whose key differs from its namespace/name, that names an unknown pod, or
 * whose status the registry refuses, throws; the messaging layer then parks it on dsplane.parked.v1
 * with the reason and moves on, so one bad record never blocks the partition.
 */
@ApplicationScoped
public class PodStatusConsumer {

    @Inject
    PodStatusReports reports;

    @Incoming("pod-status")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("empty pod status report");
        }
        Pod pod = EventCodec.decode(record.value().getBytes(StandardCharsets.UTF_8), Pod.class);
        if (pod.getMetadata() == null || isEmpty(pod.getMetadata().getName())
                || isEmpty(pod.getMetadata().getNamespace())) {
            throw new IllegalArgumentException("pod status report without metadata.namespace and metadata.name");
        }
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        if (record.key() != null && !record.key().equals(key)) {
            throw new IllegalArgumentException("record key \"" + record.key()
                    + "\" differs from metadata.namespace/name \"" + key + "\"");
        }
        if (pod.getStatus() == null) {
            throw new IllegalArgumentException("pod status report for " + key + " without status");
        }
        try {
            reports.apply(pod, Instant.now());
        } catch (ApiException e) {
            throw new IllegalArgumentException("pod status report rejected: " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
