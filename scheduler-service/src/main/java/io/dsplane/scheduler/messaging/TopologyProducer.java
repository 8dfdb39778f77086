package io.dsplane.scheduler.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.dsplane.contracts.event.Topics;

/**
 * TopologyProducer wires the scheduler: DaemonSet events are read and sent through a repartition
 * topic to every partition, once status-only changes are dropped; node events, rollout grants and pod
 * events, on topics partitioned by node name, are read in place, in the same tasks; all of it is
 * processed by {@link PlacementProcessor}, which emits placement decisions and per-(DaemonSet, node)
 * states. Unreadable inputs are parked. A pod found on another partition than its node's goes
 * through a repartition topic of its own ({@link #PODS_ELSEWHERE}) to its node's task.
 *
 * <p>Read in place, a node or pod event reaches the placement processor without a repartition record
 * and without waiting for the commit that would make such a record visible: one exactly-once commit
 * less between a node joining and its pods being asked for, and one record less per pod event. It
 * requires the node and grant topics to have as many partitions as the repartition topic, which
 * start-up checks ({@code TopicsAtStartup}); the pods topic may differ, at the cost of
 * re-partitioning its records.
 * More scheduler instances split the partitions between them; Kafka Streams moves the state with them.
 */
@ApplicationScoped
public class TopologyProducer {

    /** Name of the repartition topic (prefixed by the application id). */
    public static final String WORK = "work-by-node";
    /**
     * Name of the repartition topic of pods read on a partition that is not their node's (prefixed by
     * the application id): rare, but they must still reach the task of their node.
     */
    public static final String PODS_ELSEWHERE = "pods-elsewhere-by-node";
    /** Name of the repartition topic feeding the rollout coordinator (prefixed by the application id). */
    public static final String ROLLOUT_BY_DAEMONSET = "rollout-by-daemonset";
    /** Rollout grants back to the node tasks: a topic of this service, created at start-up. */
    public static final String GRANTS_TOPIC = "scheduler-service.rollout-grants.v1";
    /** The topics read in place, without a repartition: keyed by node name, partitioned by its hash. */
    public static final List<String> IN_PLACE_TOPICS = List.of(Topics.NODES, GRANTS_TOPIC);

    @ConfigProperty(name = "dsplane.scheduler.resync-interval", defaultValue = "10s")
    Duration resyncInterval;

    @ConfigProperty(name = "dsplane.scheduler.expectation-timeout", defaultValue = "60s")
    Duration expectationTimeout;

    @ConfigProperty(name = "dsplane.topics.partitions", defaultValue = "6")
    int partitions;

    @Produces
    public Topology topology() {
        return build(resyncInterval, expectationTimeout, partitions);
    }

    /**
     * build is the whole topology; static so topology tests can build it without CDI. Rollout grants
     * expire after the expectation timeout, like other unconfirmed expectations.
     */
    public static Topology build(Duration resyncInterval, Duration expectationTimeout, int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        Consumed<String, byte[]> consumed = Consumed.with(Serdes.String(), Serdes.ByteArray());

        builder.addStateStore(store(RouteProcessor.DAEMONSET_PLACEMENT_PARTS));
        builder.addStateStore(store(RouteProcessor.NODE_PLACEMENT_VIEWS));
        KStream<String, Routed> routed = builder.stream(Topics.DAEMONSETS, consumed)
                .process(() -> new RouteProcessor(WorkItem.Kind.DAEMONSET), Named.as("route-daemonsets"),
                        RouteProcessor.DAEMONSET_PLACEMENT_PARTS);
        KStream<String, Routed> inPlace = builder.stream(Topics.NODES, consumed)
                .process(() -> new RouteProcessor(WorkItem.Kind.NODE), Named.as("route-nodes"),
                        RouteProcessor.NODE_PLACEMENT_VIEWS)
                .merge(builder.stream(GRANTS_TOPIC, consumed)
                        .process(() -> new RouteProcessor(WorkItem.Kind.GRANT), Named.as("route-grants")))
                .merge(builder.stream(Topics.PODS, consumed)
                        .process(() -> new RouteProcessor(WorkItem.Kind.POD, partitions), Named.as("route-pods")));

        var branches = routed.split(Named.as("input-"))
                .branch((k, v) -> v.isError(), Branched.as("unreadable"))
                .defaultBranch(Branched.as("readable"));
        var inPlaceBranches = inPlace.split(Named.as("in-place-"))
                .branch((k, v) -> v.isError(), Branched.as("unreadable"))
                .branch((k, v) -> v.elsewhere(), Branched.as("elsewhere"))
                .defaultBranch(Branched.as("readable"));

        // One parking processor per sub-topology: a processor with parents in both would join them into one.
        branches.get("input-unreadable")
                .processValues(ParkingProcessor::new, Named.as("park"))
                .to(Topics.PARKED, Produced.with(Serdes.String(), Serdes.ByteArray()));
        inPlaceBranches.get("in-place-unreadable")
                .processValues(ParkingProcessor::new, Named.as("park-in-place"))
                .to(Topics.PARKED, Produced.with(Serdes.String(), Serdes.ByteArray()));

        builder.addStateStore(store(PlacementProcessor.NODES));
        builder.addStateStore(store(PlacementProcessor.DAEMONSETS));
        builder.addStateStore(store(PlacementProcessor.PODS));
        builder.addStateStore(store(PlacementProcessor.ATTEMPTS));
        builder.addStateStore(store(PlacementProcessor.BACKOFFS));
        builder.addStateStore(store(RolloutProcessor.STATES));
        builder.addStateStore(store(RolloutProcessor.GRANTS));

        var outputs = branches.get("input-readable")
                .mapValues(Routed::item, Named.as("unwrap"))
                .repartition(Repartitioned.<String, WorkItem>as(WORK)
                        .withKeySerde(Serdes.String()).withValueSerde(WorkItem.SERDE)
                        .withNumberOfPartitions(partitions)
                        .withStreamPartitioner(new ByNodePartitioner()))
                .merge(inPlaceBranches.get("in-place-readable").mapValues(Routed::item, Named.as("unwrap-in-place")),
                        Named.as("work"))
                .merge(inPlaceBranches.get("in-place-elsewhere")
                        .mapValues(Routed::item, Named.as("unwrap-elsewhere"))
                        .repartition(Repartitioned.<String, WorkItem>as(PODS_ELSEWHERE)
                                .withKeySerde(Serdes.String()).withValueSerde(WorkItem.SERDE)
                                .withNumberOfPartitions(partitions)
                                .withStreamPartitioner(new ByNodePartitioner())),
                        Named.as("work-and-pods-from-elsewhere"))
                .process(() -> new PlacementProcessor(resyncInterval, expectationTimeout), Named.as("placement"),
                        PlacementProcessor.NODES, PlacementProcessor.DAEMONSETS, PlacementProcessor.PODS,
                        PlacementProcessor.ATTEMPTS, PlacementProcessor.BACKOFFS)
                .split(Named.as("output-"))
                .branch((k, out) -> PlacementProcessor.ROLLOUT.equals(out.topic()), Branched.as("rollout"))
                .defaultBranch(Branched.as("topics"));

        outputs.get("output-topics").to((key, out, ctx) -> out.topic(), Produced.with(Serdes.String(), Output.SERDE));

        outputs.get("output-rollout")
                .mapValues(Output::value, Named.as("rollout-state"))
                .repartition(Repartitioned.<String, byte[]>as(ROLLOUT_BY_DAEMONSET)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray())
                        .withNumberOfPartitions(partitions)
                        .withStreamPartitioner(new ByDaemonSetPartitioner()))
                .process(() -> new RolloutProcessor(expectationTimeout), Named.as("rollout"),
                        RolloutProcessor.STATES, RolloutProcessor.GRANTS)
                .to(GRANTS_TOPIC, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }

    private static org.apache.kafka.streams.state.StoreBuilder<?> store(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray());
    }
}
