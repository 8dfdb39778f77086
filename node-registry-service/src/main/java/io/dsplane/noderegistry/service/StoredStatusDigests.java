package io.dsplane.noderegistry.service;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dsplane.noderegistry.config.NodeStatusConfig;

/**
 * StoredStatusDigests remembers, per node, the {@link AgentReport#reportedDigest} of a report whose
 * status is the one stored at one resourceVersion (but for heartbeat times). An agent report with the
 * same digest, while the node's current resourceVersion is still the remembered one, cannot change
 * the node: it is a heartbeat, and neither the node row nor the report's status need be decoded.
 *
 * <p>The resourceVersion makes it safe without any coordination: every write of a node, by this
 * instance or another one, through the API or the lifecycle monitor, takes a new resourceVersion
 * from one sequence that never hands out a value twice (unless the database is restored to an
 * earlier state under a running instance), so an entry can only ever match the version it was taken
 * from. A stale entry, an empty map after a restart, or an entry evicted because the map
 * is full, all mean the same: the report is compared with the stored node, as without this map.
 * Entries may even be remembered from a transaction that then rolls back: no committed row will
 * carry that resourceVersion.
 */
@ApplicationScoped
public class StoredStatusDigests {

    /** Entry is what is known about one node: the digest of its status at that resourceVersion. */
    public record Entry(long resourceVersion, StatusDigest digest) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final int capacity;

    @Inject
    public StoredStatusDigests(NodeStatusConfig config) {
        this.capacity = Math.max(0, config.statusDigests());
    }

    /** known returns what is remembered about the node, or null. */
    public Entry known(String name) {
        return entries.get(name);
    }

    /** remember notes the digest of the status the node has at {@code resourceVersion}. */
    public void remember(String name, long resourceVersion, StatusDigest digest) {
        if (capacity == 0) {
            return;
        }
        if (entries.size() >= capacity && !entries.containsKey(name)) {
            // Full: drop an arbitrary entry. That node's next report is merely compared with the row.
            Iterator<String> it = entries.keySet().iterator();
            if (it.hasNext()) {
                entries.remove(it.next());
            }
        }
        entries.merge(name, new Entry(resourceVersion, digest),
                (old, next) -> next.resourceVersion() >= old.resourceVersion() ? next : old);
    }

    /** size is the number of nodes remembered. */
    public int size() {
        return entries.size();
    }
}
