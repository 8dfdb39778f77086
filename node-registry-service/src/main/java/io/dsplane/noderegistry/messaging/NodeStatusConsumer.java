package io.dsplane.noderegistry.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.dsplane.contracts.api.ApiException;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.noderegistry.service.NodeRegistry;
import io.fabric8.kubernetes.api.model.Node;
import io.smallrye.common.annotation.Blocking;

/**
 * NodeStatusConsumer reads what node agents publish on dsplane.node-status.v1: a v1 Node keyed by its
 * name. A record that is not a Node, whose key differs from its name, or that the registry rejects,
 * throws; the messaging layer then parks it on dsplane.parked.v1 with the reason and moves on, so one
 * bad record never blocks the partition.
 */
@ApplicationScoped
public class NodeStatusConsumer {

    @Inject
    NodeRegistry nodes;

    @Incoming("node-status")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("empty node report");
        }
        Node node = EventCodec.decode(record.value().getBytes(java.nio.charset.StandardCharsets.UTF_8), Node.class);
        if (node.getMetadata() == null || node.getMetadata().getName() == null) {
            throw new IllegalArgumentException("node report without metadata.name");
        }
        if (record.key() != null && !record.key().equals(node.getMetadata().getName())) {
            throw new IllegalArgumentException("record key \"" + record.key() + "\" differs from metadata.name \""
                    + node.getMetadata().getName() + "\"");
        }
        try {
            nodes.reportFromAgent(node, Instant.now());
        } catch (ApiException e) {
            throw new IllegalArgumentException("node report rejected: " + e.getMessage(), e);
        }
    }
}
