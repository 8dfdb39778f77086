-- The controller-revision-hash of every daemon pod on the node (DaemonSetNodeState.revisionHashes): the
-- revisions still in use, which cleanupHistory must keep (kubernetes-semantics.md §3.4). States stored
-- before this column existed name none.
ALTER TABLE daemonset_node_states ADD COLUMN revision_hashes TEXT[] NOT NULL DEFAULT '{}';
