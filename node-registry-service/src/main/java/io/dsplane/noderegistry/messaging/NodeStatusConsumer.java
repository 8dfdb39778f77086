package io.dsplane.noderegistry.messaging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.ParkedRecords;
import io.dsplane.contracts.registry.DatabaseFailures;
import io.dsplane.noderegistry.config.NodeStatusConfig;
import io.dsplane.noderegistry.service.AgentReport;
import io.dsplane.noderegistry.service.AgentReports;
import io.dsplane.noderegistry.service.RejectedReport;
import io.dsplane.noderegistry.service.StoredStatusDigests;
import io.fabric8.kubernetes.api.model.Node;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;

/**
 * NodeStatusConsumer reads what node agents publish on dsplane.node-status.v1 (a v1 Node keyed by its
 * name) in batches, and applies each batch in one transaction ({@link AgentReports}). A record that is
 * not a Node, has no name, or whose key differs from its name, is parked on dsplane.parked.v1 with the
 * reason; so is a report the registry refuses, after the rest of the batch was applied without it. One
 * bad record never blocks the partition. The batch is acknowledged, and its offsets become eligible
 * for commit, only after its transaction committed and its parked records are on the broker.
 */
@ApplicationScoped
public class NodeStatusConsumer {

    private static final Logger LOG = Logger.getLogger(NodeStatusConsumer.class);
    /** Names this consumer in the parking headers. */
    public static final String CONSUMER = "node-registry-service/node-status";
    /** Parking cause of a record that is not a readable node report. */
    public static final String MALFORMED = "MalformedEvent";
    /** 250 ms: the first pause before retrying a batch after a database failure; doubled each time. */
    private static final long RETRY_PAUSE_MS = 250;

    @Inject
    AgentReports reports;

    @Inject
    ParkedRecords parking;

    @Inject
    StoredStatusDigests digests;

    @Inject
    NodeStatusConfig config;

    @Inject
    MeterRegistry meters;

    /** Readable is a record and the report read from it. */
    private record Readable(ConsumerRecord<String, byte[]> record, AgentReport report) {
    }

    @Incoming("node-status")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<Readable> readable = new ArrayList<>(records.count());
        List<ParkedRecords.Parked> toPark = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                readable.add(new Readable(record, read(record)));
            } catch (EventCodec.MalformedEventException e) {
                toPark.add(ParkedRecords.Parked.of(record, e.getMessage(), MALFORMED));
                count("malformed", 1);
            } catch (RuntimeException e) {
                // Not foreseen, but about this record alone: it must not stop the partition either.
                toPark.add(ParkedRecords.Parked.of(record, e.getMessage() == null ? e.toString() : e.getMessage(),
                        e.getClass().getName()));
                count("malformed", 1);
            }
        }
        toPark.addAll(apply(readable));
        increment("dsplane.node.reports.status-decodes",
                (int) readable.stream().filter(r -> r.report().statusDecoded()).count());
        toPark.sort(Comparator.comparingInt(ParkedRecords.Parked::partition)
                .thenComparingLong(ParkedRecords.Parked::offset));
        parking.park(CONSUMER, toPark, config.parkTimeout());
    }

    /**
     * read decodes a record into the report of a node, its status only when it is not the one
     * remembered for the node (a heartbeat, see {@link AgentReport}); throws {@link EventCodec.MalformedEventException}
     * with the parking reason when it cannot be one.
     */
    private AgentReport read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new EventCodec.MalformedEventException("empty node report");
        }
        ObjectNode tree = (ObjectNode) EventCodec.decodeTree(record.value(), Node.class);
        JsonNode name = tree.path("metadata").path("name");
        StoredStatusDigests.Entry known = name.isTextual() ? digests.known(name.textValue()) : null;
        AgentReport report = AgentReport.read(tree, known == null ? null : known.digest());
        if (report.name() == null) {
            throw new EventCodec.MalformedEventException("node report without metadata.name");
        }
        if (record.key() != null && !record.key().equals(report.name())) {
            throw new EventCodec.MalformedEventException("record key \"" + record.key()
                    + "\" differs from metadata.name \"" + report.name() + "\"");
        }
        return report;
    }

    /**
     * apply applies the readable reports as one batch. When the batch fails because of one node's
     * report, it is applied again without that node; when it fails once more, the other nodes are
     * applied each in a transaction of its own (so that many refused nodes cost one transaction each,
     * not one batch each). The reports of the nodes that failed are then applied one at a time, in
     * their order, so that exactly the refused ones are parked and the others apply as they would have
     * alone. Returns the records to park.
     */
    private List<ParkedRecords.Parked> apply(List<Readable> readable) {
        Set<String> failed = new HashSet<>();
        boolean applied = false;
        for (int attempt = 0; attempt < 2 && !applied; attempt++) {
            List<AgentReport> batch = reportsOf(readable, r -> !failed.contains(r.name()));
            applied = batch.isEmpty() || applyOrNoteFailure(batch, failed);
        }
        if (!applied) {
            LOG.infof("reports of %d nodes failed in one batch; applying the batch node by node", failed.size());
            Set<String> nodes = new LinkedHashSet<>();
            readable.forEach(r -> nodes.add(r.report().name()));
            nodes.removeAll(Set.copyOf(failed));
            for (String node : nodes) {
                applyOrNoteFailure(reportsOf(readable, r -> r.name().equals(node)), failed);
            }
        }
        List<ParkedRecords.Parked> refused = new ArrayList<>();
        for (Readable r : readable) {
            if (!failed.contains(r.report().name())) {
                continue;
            }
            try {
                record(withRetries(() -> reports.applyAll(List.of(r.report()))));
            } catch (RejectedReport e) {
                LOG.warnf("parking the report of node %s: %s", e.node(), e.getMessage());
                refused.add(ParkedRecords.Parked.of(r.record(), e.getMessage(), e.kind()));
                count("rejected", 1);
            }
        }
        return refused;
    }

    /** applyOrNoteFailure applies the reports in one transaction, or adds the node they failed on. */
    private boolean applyOrNoteFailure(List<AgentReport> batch, Set<String> failed) {
        try {
            record(withRetries(() -> reports.applyAll(batch)));
            return true;
        } catch (RejectedReport e) {
            if (!failed.add(e.node())) {
                throw new IllegalStateException("node " + e.node() + " failed again without its reports", e);
            }
            LOG.debugf("%d reports failed on node %s (%s)", batch.size(), e.node(), e.getMessage());
            return false;
        }
    }

    private static List<AgentReport> reportsOf(List<Readable> readable, Predicate<AgentReport> which) {
        return readable.stream().map(Readable::report).filter(which).toList();
    }

    /**
     * withRetries runs a batch again after a database failure, a few times with growing pauses, then
     * throws, which stops the channel without committing (a restart redelivers the batch).
     */
    private <T> T withRetries(Supplier<T> batch) {
        int attempts = Math.max(1, config.retryAttempts());
        for (int attempt = 1;; attempt++) {
            try {
                return batch.get();
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isDatabaseFailure(e) || attempt >= attempts) {
                    throw e;
                }
                LOG.warnf("database failure applying node reports (attempt %d of %d), retrying: %s", attempt,
                        attempts, e.toString());
                pause(RETRY_PAUSE_MS << (attempt - 1));
            }
        }
    }

    /** record counts what a batch did: reports applied, nodes registered and modified, rows read. */
    private void record(AgentReports.Applied applied) {
        count("applied", applied.reports());
        increment("dsplane.node.reports.writes", applied.registered(), "kind", "registered");
        increment("dsplane.node.reports.writes", applied.modified(), "kind", "modified");
        increment("dsplane.node.reports.row-reads", applied.readRows());
    }

    private void count(String outcome, int n) {
        increment("dsplane.node.reports", n, "outcome", outcome);
    }

    private void increment(String meter, int n, String... tags) {
        if (n > 0) {
            meters.counter(meter, tags).increment(n);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
