package io.dsplane.contracts.registry;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * StoredObject is one Kubernetes object as a row: the whole object as JSON plus the columns queries
 * filter on. One table per service schema holds every kind that service owns.
 */
@Entity
@Table(name = "objects")
public class StoredObject extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String kind;

    /** '' for cluster-scoped kinds, so the unique key needs no NULL handling. */
    public String namespace;

    public String name;

    public String uid;

    @Column(name = "resource_version")
    public long resourceVersion;

    @Column(name = "node_name")
    public String nodeName;

    @Column(name = "owner_uid")
    public String ownerUid;

    @ColumnTransformer(write = "?::jsonb")
    public String body;

    @Column(name = "created_at")
    public Instant createdAt;
}
