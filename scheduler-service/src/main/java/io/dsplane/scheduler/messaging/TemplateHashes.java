package io.dsplane.scheduler.messaging;

import java.util.HashMap;
import java.util.Map;

import io.dsplane.contracts.event.TemplateHash;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * TemplateHashes remembers the revision hash of each DaemonSet: computing it renders the whole
 * template as canonical JSON, and placement needs it for every (node, DaemonSet) pair it looks at.
 * The hash is kept for one DaemonSet object (compared by identity): a changed DaemonSet is a new
 * object in {@link DecodedStore}, so it is hashed again, whatever its generation or resourceVersion
 * say. At most one entry per DaemonSet uid.
 */
final class TemplateHashes {

    private record Entry(DaemonSet ds, String hash) {
    }

    private final Map<String, Entry> byUid = new HashMap<>();

    /** hash returns {@code TemplateHash.computeHash(template, status.collisionCount)} of the DaemonSet. */
    String hash(DaemonSet ds) {
        String uid = ds.getMetadata().getUid();
        Entry entry = byUid.get(uid);
        if (entry != null && entry.ds() == ds) {
            return entry.hash();
        }
        String hash = TemplateHash.computeHash(ds.getSpec().getTemplate(),
                ds.getStatus() == null ? null : ds.getStatus().getCollisionCount());
        byUid.put(uid, new Entry(ds, hash));
        return hash;
    }

    /** forget drops what is kept for a DaemonSet that is gone. */
    void forget(String uid) {
        byUid.remove(uid);
    }
}
