package io.dsplane.fleetsim.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * StreamHealth counts what a fence or a rebalance of the scheduler's exactly-once stream thread leaves
 * behind during a phase, so that such an event shows in the report instead of hiding in the wall time:
 * a fenced thread closes all its tasks dirty, rejoins its group and restores its stores, which can
 * cost a 5,000 × 20 M1 tens of seconds. Three counts: the tasks the scheduler's stream threads closed
 * and the rebalances of their consumers (both from the scheduler's metrics, so they work against any
 * broker), and the transactions the broker rolled back because they outlived their timeout (from the
 * local broker's log, when there is one; -1 otherwise).
 */
public final class StreamHealth {

    /** Kafka Streams' counter of tasks closed by a stream thread (labelled by thread). */
    static final String TASKS_CLOSED = "kafka_stream_thread_task_closed_total";
    /** The consumer coordinator's counter of completed rebalances (labelled by client id). */
    static final String REBALANCES = "kafka_consumer_coordinator_rebalance_total";
    /** The stream threads' own consumers; the restore consumer has no group and no coordinator. */
    static final String STREAM_THREAD_CONSUMER = "StreamThread";

    /** Counts at one moment; -1 where a source could not be read. */
    public record Snapshot(long tasksClosed, long rebalances, long brokerTimeoutRollbacks) {

        /** since is this snapshot's counts minus {@code earlier}'s (-1 where either is unknown). */
        public Snapshot since(Snapshot earlier) {
            return new Snapshot(delta(tasksClosed, earlier.tasksClosed), delta(rebalances, earlier.rebalances),
                    delta(brokerTimeoutRollbacks, earlier.brokerTimeoutRollbacks));
        }

        /** text is the report's wording of the counts of a phase. */
        public String text() {
            return String.format(Locale.ROOT, "%s tasks closed, %s rebalances of the scheduler's stream thread; %s transactions"
                    + " rolled back by the broker for timeout", known(tasksClosed), known(rebalances),
                    known(brokerTimeoutRollbacks));
        }

        private static long delta(long now, long before) {
            return now < 0 || before < 0 ? -1 : Math.max(0, now - before);
        }

        private static String known(long n) {
            return n < 0 ? "n/a" : Long.toString(n);
        }
    }

    private StreamHealth() {
    }

    /** of reads the counts from the scheduler's Prometheus text and the broker's log file (may be absent). */
    public static Snapshot of(String schedulerMetrics, Path brokerLog) {
        return new Snapshot(ProcessMemory.sumMetric(schedulerMetrics, TASKS_CLOSED, null),
                ProcessMemory.sumMetric(schedulerMetrics, REBALANCES, STREAM_THREAD_CONSUMER),
                timeoutRollbacks(brokerLog));
    }

    /**
     * timeoutRollbacks counts the broker's log lines that report a transaction rolled back because it
     * outlived its timeout ("Completed rollback of ongoing transaction for transactionalId … due to
     * timeout"); -1 when the log cannot be read.
     */
    static long timeoutRollbacks(Path brokerLog) {
        if (brokerLog == null || !Files.isReadable(brokerLog)) {
            return -1;
        }
        long n = 0;
        // ISO-8859-1 decodes any byte, so a stray non-UTF-8 byte in the log cannot make it unreadable.
        try (BufferedReader in = Files.newBufferedReader(brokerLog, StandardCharsets.ISO_8859_1)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (isTimeoutRollback(line)) {
                    n++;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return n;
    }

    static boolean isTimeoutRollback(String line) {
        return line.contains("rollback of ongoing transaction") && line.contains("due to timeout");
    }
}
