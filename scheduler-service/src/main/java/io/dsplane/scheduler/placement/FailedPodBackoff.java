package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * FailedPodBackoff slows down the replacement of failed daemon pods per node, like upstream's
 * {@code failedPodsBackoff} ({@code flowcontrol.NewBackOff(1s, 15m)}, no jitter): a pod that keeps
 * failing on a node is deleted at t0, then no sooner than 1 s later, then 2 s, 4 s, ... up to 15
 * minutes between deletions, instead of hot-looping create/fail/delete.
 *
 * <p>Pure and mutable: time is passed in, nothing runs in the background ({@link #gc} must be
 * called by the owner, upstream does it every minute). Not thread-safe. Entries can be exported
 * and imported so the caller can keep them in a state store across restarts.
 */
public final class FailedPodBackoff {

    /** 1 s: upstream's initial failed-pod backoff. */
    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
    /** 15 min: upstream's maximum failed-pod backoff. */
    public static final Duration DEFAULT_MAX = Duration.ofMinutes(15);

    /**
     * Entry is the backoff state of one key.
     *
     * @param backoff    the current delay before the next deletion is allowed
     * @param lastUpdate when the last deletion was allowed
     */
    public record Entry(Duration backoff, Instant lastUpdate) {
        public Entry {
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(lastUpdate, "lastUpdate");
        }
    }

    private final Duration initial;
    private final Duration max;
    private final Map<String, Entry> entries = new HashMap<>();

    /** FailedPodBackoff with upstream's 1 s initial and 15 min maximum delay. */
    public FailedPodBackoff() {
        this(DEFAULT_INITIAL, DEFAULT_MAX);
    }

    /** FailedPodBackoff with custom delays (tests use short ones). */
    public FailedPodBackoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
    }

    /**
     * failedPodsBackoffKey is {@code <dsUid>/<generation>/<nodeName>}: per DS and node, and a new
     * generation (a changed spec) starts from a fresh backoff.
     */
    public static String failedPodsBackoffKey(String dsUid, long generation, String nodeName) {
        return dsUid + "/" + generation + "/" + nodeName;
    }

    /**
     * failedPodsBackoffKey for a DaemonSet, under its {@code metadata.generation} (missing counts as
     * 0). Upstream keys by {@code status.observedGeneration}, which its own sync has set to the
     * generation before the next failure can be seen. Here status is written by daemonset-service,
     * later: keyed by it, the key moved from 0 to 1 while the first pods were failing and the backoff
     * started over. The generation the scheduler decides under is the DaemonSet's own.
     */
    public static String failedPodsBackoffKey(DaemonSet ds, String nodeName) {
        Long generation = ds.getMetadata().getGeneration();
        return failedPodsBackoffKey(ds.getMetadata().getUid(), generation == null ? 0 : generation, nodeName);
    }

    /**
     * isInBackOffSinceUpdate is true when the key has a live entry and less than its backoff has
     * passed since the last update.
     */
    public boolean isInBackOffSinceUpdate(String key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null || hasExpired(entry, now)) {
            return false;
        }
        return Duration.between(entry.lastUpdate(), now).compareTo(entry.backoff()) < 0;
    }

    /**
     * next records a deletion at {@code now}: a missing or expired entry starts at the initial
     * delay, a live one doubles up to the maximum.
     */
    public void next(String key, Instant now) {
        Entry entry = entries.get(key);
        Duration backoff;
        if (entry == null || hasExpired(entry, now)) {
            backoff = initial;
        } else {
            Duration doubled = entry.backoff().multipliedBy(2);
            backoff = doubled.compareTo(max) > 0 ? max : doubled;
        }
        entries.put(key, new Entry(backoff, now));
    }

    /** get returns the key's current delay, or zero without entry (upstream {@code Get}). */
    public Duration get(String key) {
        Entry entry = entries.get(key);
        return entry == null ? Duration.ZERO : entry.backoff();
    }

    /** reset forgets the key. */
    public void reset(String key) {
        entries.remove(key);
    }

    /** gc drops entries not updated for more than twice the maximum delay; they would restart anyway. */
    public void gc(Instant now) {
        entries.values().removeIf(entry -> hasExpired(entry, now));
    }

    /** exportEntries returns a snapshot of all entries, for persisting. */
    public Map<String, Entry> exportEntries() {
        return Map.copyOf(entries);
    }

    /** importEntries adds (or overwrites) entries, e.g. restored from a state store. */
    public void importEntries(Map<String, Entry> restored) {
        entries.putAll(restored);
    }

    /** entry returns the key's state when it has one. */
    public Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** An entry expires when it was last updated more than 2 × max ago (upstream {@code hasExpired}). */
    private boolean hasExpired(Entry entry, Instant now) {
        return Duration.between(entry.lastUpdate(), now).compareTo(max.multipliedBy(2)) > 0;
    }
}
