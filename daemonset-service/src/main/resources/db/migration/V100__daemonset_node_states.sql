-- What the scheduler reports per (DaemonSet, node) on dsplane.daemonset-node-states.v1: the input of
-- DaemonSet status (kubernetes-semantics.md §4). One row per record key namespace/name|node, replaced by
-- each new value and deleted by a tombstone. V100+: V1.. belong to the shared registry (db/registry).
CREATE TABLE daemonset_node_states (
    ds_key                  TEXT        NOT NULL,  -- namespace/name of the DaemonSet
    node_name               TEXT        NOT NULL,
    schema_version          INTEGER     NOT NULL,
    ds_uid                  TEXT        NOT NULL,  -- the DaemonSet the state was computed for
    generation              BIGINT      NOT NULL,  -- metadata.generation the scheduler evaluated
    revision_hash           TEXT,                  -- current controller-revision-hash
    should_run              BOOLEAN     NOT NULL,
    should_continue_running BOOLEAN     NOT NULL,
    pods                    INTEGER     NOT NULL,  -- daemon pods mapped to the node
    -- The oldest of those pods; all four NULL when there is none.
    oldest_pod_name         TEXT,
    oldest_pod_ready        BOOLEAN,
    oldest_pod_ready_since  TIMESTAMPTZ,
    oldest_pod_updated      BOOLEAN,
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (ds_key, node_name)
);
