-- Last heartbeat per node, kept apart from the node object: a heartbeat that changes nothing else
-- updates this row only, so it neither bumps resourceVersion nor emits a node event.
CREATE TABLE node_heartbeats (
    name           TEXT PRIMARY KEY,
    last_heartbeat TIMESTAMPTZ NOT NULL
);
