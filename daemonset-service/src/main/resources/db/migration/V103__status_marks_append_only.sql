-- A status mark becomes a row that is only inserted and deleted: each batch of node states adds one row
-- per DaemonSet it touched, and a flush round deletes exactly the rows it claimed. With one row per
-- DaemonSet, a batch's upsert had to wait for any round that held that row locked (the whole
-- recompute), which stalled the node-state consumer for most of a cold start of thousands of nodes.
-- Marks already there are kept.
ALTER TABLE daemonset_status_pending DROP CONSTRAINT daemonset_status_pending_pkey;
ALTER TABLE daemonset_status_pending ADD COLUMN id BIGSERIAL PRIMARY KEY;
CREATE INDEX daemonset_status_pending_since ON daemonset_status_pending (since, id);
