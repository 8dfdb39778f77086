package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * ResourceVersions orders two states of one object. The registries give every write a resourceVersion
 * from one increasing sequence, so of two events of the same object (same uid) the one with the lower
 * version is the older. An older event can reach a consumer after a newer one when the outbox
 * publishes a batch again after a crash, or when a pod's records were written to two partitions
 * (before the pods topic was partitioned by node); applying it would bring back a state that is gone.
 */
public final class ResourceVersions {

    private ResourceVersions() {
    }

    /**
     * isOlder is true when {@code incoming} is an earlier state of the object {@code known} describes:
     * both have the same uid and numeric resourceVersions, and the incoming one is lower. Anything it
     * cannot compare (no uid, another uid, a missing or non-numeric version) is not older.
     */
    public static boolean isOlder(HasMetadata incoming, HasMetadata known) {
        if (incoming == null || known == null) {
            return false;
        }
        ObjectMeta in = incoming.getMetadata();
        ObjectMeta k = known.getMetadata();
        if (in == null || k == null || in.getUid() == null || !in.getUid().equals(k.getUid())) {
            return false;
        }
        long inVersion = parse(in.getResourceVersion());
        long knownVersion = parse(k.getResourceVersion());
        return inVersion >= 0 && knownVersion >= 0 && inVersion < knownVersion;
    }

    private static long parse(String version) {
        if (version == null || version.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
