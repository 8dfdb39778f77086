-- Objects in graceful deletion (metadata.deletionTimestamp set): the reaper of a service looks for
-- the ones whose period has passed, so they get an index of their own that stays as small as they are few.
CREATE INDEX objects_terminating ON objects (kind, ((body->'metadata'->>'deletionTimestamp')))
    WHERE (body->'metadata'->>'deletionTimestamp') IS NOT NULL;
