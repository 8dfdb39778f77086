-- The relay picks an event's partition by this value when it is set, by the record key otherwise.
-- Pods are partitioned by the node they belong to, so a node's pods share the partition of its events.
ALTER TABLE outbox ADD COLUMN partition_key TEXT;
