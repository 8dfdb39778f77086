package io.dsplane.contracts.registry;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * OutboxEvent is a record waiting to be published, written in the transaction of the change it
 * announces. The id is taken while the changed object's row is locked, so for one key ids follow
 * commit order and the relay, publishing in id order, keeps per-key order.
 */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String topic;

    public String key;

    /** JSON value exactly as it will be published, or null for a tombstone. */
    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;
}
