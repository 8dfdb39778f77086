-- The object registry every resource-owning service shares (io.dsplane.contracts.registry).
-- Each service runs these migrations in its own schema.

-- One counter per service, as etcd's revision is one counter per cluster: every write takes the next
-- value as the object's resourceVersion, so versions are unique and increase per key.
CREATE SEQUENCE resource_version_seq;

-- Kubernetes objects as JSON next to the columns that queries filter on.
CREATE TABLE objects (
    id               BIGSERIAL PRIMARY KEY,
    kind             TEXT        NOT NULL,
    namespace        TEXT        NOT NULL,  -- '' for cluster-scoped kinds
    name             TEXT        NOT NULL,
    uid              TEXT        NOT NULL,
    resource_version BIGINT      NOT NULL,
    node_name        TEXT,                  -- spec.nodeName (pods) for fieldSelector and node clean-up
    owner_uid        TEXT,                  -- uid of the controller ownerReference
    body             JSONB       NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    CONSTRAINT objects_kind_namespace_name UNIQUE (kind, namespace, name)
);
CREATE INDEX objects_node_name ON objects (kind, node_name) WHERE node_name IS NOT NULL;
CREATE INDEX objects_owner_uid ON objects (owner_uid) WHERE owner_uid IS NOT NULL;

-- Transactional outbox: written in the same transaction as the object, published in id order by the
-- relay. A NULL payload is a tombstone (it lets compaction forget a deleted object).
CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    topic      TEXT        NOT NULL,
    key        TEXT        NOT NULL,
    payload    TEXT,        -- the record value exactly as published (JSON text)
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Idempotent consumers: ids of messages already applied, written in the transaction that applied them.
CREATE TABLE processed_messages (
    consumer     TEXT        NOT NULL,
    message_id   TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX processed_messages_age ON processed_messages (processed_at);
