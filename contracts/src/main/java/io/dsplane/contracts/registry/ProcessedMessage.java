package io.dsplane.contracts.registry;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * ProcessedMessage marks a message id as applied by one consumer. It is written in the same
 * transaction as the change the message caused ({@link RegistryRows#firstTimeAll}), so a redelivered
 * message is recognised and skipped.
 */
@Entity
@Table(name = "processed_messages")
@IdClass(ProcessedMessage.Key.class)
public class ProcessedMessage extends PanacheEntityBase {

    @Id
    public String consumer;

    @Id
    @Column(name = "message_id")
    public String messageId;

    @Column(name = "processed_at")
    public Instant processedAt;

    /** Key is the composite primary key. */
    public static class Key implements Serializable {
        public String consumer;
        public String messageId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(consumer, k.consumer) && Objects.equals(messageId, k.messageId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(consumer, messageId);
        }
    }
}
