-- Set by the node lifecycle monitor once it has marked a silent node Unknown, and cleared by the next
-- heartbeat, so the monitor handles each silent node once rather than on every round.
ALTER TABLE node_heartbeats ADD COLUMN marked_unknown BOOLEAN NOT NULL DEFAULT FALSE;

-- The monitor looks for heartbeats older than the grace period that are not marked yet.
CREATE INDEX node_heartbeats_unmarked_idx ON node_heartbeats (last_heartbeat) WHERE NOT marked_unknown;
