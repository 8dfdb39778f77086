-- DaemonSets whose status must be recomputed because their node states changed: one row per DaemonSet
-- key (namespace/name), written in the transaction that stores the node states and deleted in the
-- transaction that recomputes the status. A crash between the two leaves the row, so the next flush
-- round (of any instance) still recomputes that status.
CREATE TABLE daemonset_status_pending (
    ds_key TEXT        PRIMARY KEY,  -- namespace/name of the DaemonSet
    since  TIMESTAMPTZ NOT NULL      -- when the oldest change not yet in the status was stored
);
