package io.dsplane.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker settings that a single-node Kafka cluster needs, shared by the standalone broker
 * ({@link BrokerLauncher}) and the in-JVM test broker ({@link KafkaTestResource}) so that tests and
 * the local run see the same behaviour.
 *
 * <p>The replication factors matter: Kafka's defaults are 3, and with a single broker the internal
 * topics (consumer offsets, transaction state, share-group state) can then never be created, so
 * consumer groups never form and transactional producers never initialise — with no error, only
 * time-outs.
 */
public final class SingleNodeDefaults {

    /** Env/system property that switches automatic topic creation on ("true"); off by default. */
    public static final String AUTO_CREATE_TOPICS_ENV = "KAFKA_AUTO_CREATE_TOPICS";

    private SingleNodeDefaults() {
    }

    /**
     * @param numPartitions    default partition count of topics created without an explicit count
     * @param autoCreateTopics whether producers/consumers may create topics implicitly
     */
    public static Map<String, String> brokerProperties(int numPartitions, boolean autoCreateTopics) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // 50 partitions per internal topic (the default) is a lot of work for a 2-core machine and
        // buys nothing on one broker.
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.num.partitions", "10");
        p.put("num.partitions", Integer.toString(numPartitions));
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", Boolean.toString(autoCreateTopics));
        return p;
    }

    /** Reads {@value #AUTO_CREATE_TOPICS_ENV} from the system properties, then the environment. */
    static boolean autoCreateTopicsFromEnvironment() {
        String v = System.getProperty(AUTO_CREATE_TOPICS_ENV, System.getenv(AUTO_CREATE_TOPICS_ENV));
        return v != null && Boolean.parseBoolean(v.trim());
    }
}
