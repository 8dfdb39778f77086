package io.dsplane.broker;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Gives tests a real Kafka broker: ONE per JVM, started lazily on first use and shared by every test
 * class; it is stopped when the JUnit test plan has finished ({@link BrokerStopAtTestPlanEnd}), or by a
 * JVM shutdown hook when no test plan ends (never by {@link #stop()}, which Quarkus calls after each
 * test class).
 *
 * <p>Why not only the shutdown hook: Kafka's test kit deletes its data directories from a shutdown
 * hook of its own, and hooks run concurrently. A broker still closing while its directories vanish
 * takes that as a failed log directory and halts the JVM with exit code 1, which fails a test run
 * whose tests all passed.
 *
 * <p>Which broker, in this order:
 * <ol>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} from the environment (or the system property
 *       {@value #BOOTSTRAP_PROPERTY}) — an external broker, used as is;</li>
 *   <li>Testcontainers' Kafka container ({@value #KAFKA_IMAGE}) when a Docker engine answers;</li>
 *   <li>otherwise an in-JVM KRaft broker from Apache Kafka's test kit (combined mode, 1 node).</li>
 * </ol>
 *
 * <p>Use with {@code @QuarkusTestResource(KafkaTestResource.class)} (or {@code @WithTestResource}); it
 * sets {@code kafka.bootstrap.servers}, {@code quarkus.kafka-streams.bootstrap-servers} and
 * {@code mp.messaging.connector.smallrye-kafka.bootstrap.servers}. Tests without Quarkus call
 * {@link #bootstrapServers()}.
 *
 * <p>Topics are NOT created implicitly ({@code auto.create.topics.enable=false}, as in the standalone
 * broker), unless {@code KAFKA_AUTO_CREATE_TOPICS=true} is set (environment or system property). A
 * producer writing to a missing topic blocks ({@code max.block.ms}) and a Kafka Streams application
 * stops on missing source topics, so topics must exist first: either the application creates them at
 * startup (as it must for the local run), or the test asks this resource for them —
 * {@code @QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = "topics",
 * value = "dsplane.nodes:3:compact,dsplane.pods"))} — or calls {@link #createTopics(String...)}.
 * A topic spec is {@code name[:partitions[:compact]]}; existing topics are left as they are.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    /** Set by this class once the broker runs; also an override when set beforehand. */
    public static final String BOOTSTRAP_PROPERTY = "dsplane.test.kafka.bootstrap-servers";
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

    /**
     * JVM-wide monitor: string literals are interned once per JVM, so every copy of this class (Quarkus
     * may load it in more than one class loader) synchronises on the same object.
     */
    private static final String LOCK = "io.dsplane.broker.KafkaTestResource.LOCK";

    /** Init arg of {@code @QuarkusTestResource}: comma-separated topic specs to create on start. */
    public static final String TOPICS_ARG = "topics";

    private static volatile String bootstrap;
    private static volatile String kind = "none";
    /** The broker this copy started (container or test kit), until it is stopped. */
    private static AutoCloseable started;

    private final List<String> topicsToCreate = new ArrayList<>();

    @Override
    public void init(Map<String, String> initArgs) {
        String topics = initArgs == null ? null : initArgs.get(TOPICS_ARG);
        if (topics != null) {
            Arrays.stream(topics.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(topicsToCreate::add);
        }
    }

    @Override
    public Map<String, String> start() {
        String servers = bootstrapServers();
        if (!topicsToCreate.isEmpty()) {
            createTopics(topicsToCreate.toArray(String[]::new));
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", servers);
        config.put("quarkus.kafka-streams.bootstrap-servers", servers);
        config.put("mp.messaging.connector.smallrye-kafka.bootstrap.servers", servers);
        return config;
    }

    @Override
    public void stop() {
        // The broker is shared by all test classes of this JVM; a shutdown hook stops it.
    }

    /**
     * The bootstrap address of this JVM's test broker, starting the broker on first call.
     *
     * <p>The broker is kept in the copy of this class that the system class loader sees (when it sees
     * one): a broker started inside a Quarkus application class loader would outlive that class loader,
     * which Quarkus closes after each test class.
     */
    public static String bootstrapServers() {
        return (String) inSharedCopy("startOrGet", new Class<?>[0]);
    }

    /** How the broker was provided: "external", "container", "in-jvm" (or "none" before start). */
    public static String kind() {
        return (String) inSharedCopy("localKind", new Class<?>[0]);
    }

    /**
     * Creates topics on this JVM's test broker (starting it if needed); existing ones are left alone.
     *
     * @param specs {@code name[:partitions[:compact]]}, e.g. {@code "dsplane.nodes:3:compact"}
     */
    public static void createTopics(String... specs) {
        inSharedCopy("localCreateTopics", new Class<?>[] {String[].class}, (Object) specs);
    }

    /**
     * Stops the broker this JVM started, if any (an external broker is left alone); a later
     * {@link #bootstrapServers()} starts a new one. Called when the test plan has finished.
     */
    public static void stopBroker() {
        inSharedCopy("localStop", new Class<?>[0]);
    }

    /** Runs a static method of this class in the copy that the system class loader sees, if any. */
    private static Object inSharedCopy(String method, Class<?>[] types, Object... args) {
        Class<?> target = KafkaTestResource.class;
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (KafkaTestResource.class.getClassLoader() != system) {
            try {
                target = Class.forName(KafkaTestResource.class.getName(), true, system);
            } catch (ClassNotFoundException | LinkageError e) {
                target = KafkaTestResource.class;
            }
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Kafka loads configured classes through the context class loader: make it the one that loaded
        // the Kafka classes in use (broker threads inherit it).
        thread.setContextClassLoader(target.getClassLoader());
        try {
            return target.getMethod(method, types).invoke(null, args);
        } catch (InvocationTargetException e) {
            throw asRuntime(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + target.getName() + "." + method, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Internal (called through {@link #stopBroker()}). */
    public static void localStop() {
        synchronized (LOCK) {
            if (started == null) {
                return;
            }
            long t0 = System.nanoTime();
            closeQuietly(started);
            started = null;
            log("stopped the " + kind + " Kafka broker in " + millisSince(t0) + " ms");
            System.clearProperty(BOOTSTRAP_PROPERTY);
            bootstrap = null;
            kind = "none";
        }
    }

    /** Internal (called through {@link #kind()}). */
    public static String localKind() {
        return kind;
    }

    /** Internal (called through {@link #createTopics(String...)}). */
    public static void localCreateTopics(String[] specs) {
        List<NewTopic> topics = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.trim().split(":");
            int partitions = parts.length > 1 && !parts[1].isBlank() ? Integer.parseInt(parts[1].trim()) : 1;
            NewTopic topic = new NewTopic(parts[0].trim(), partitions, (short) 1);
            if (parts.length > 2 && parts[2].trim().equalsIgnoreCase("compact")) {
                topic.configs(Map.of("cleanup.policy", "compact"));
            }
            topics.add(topic);
        }
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, startOrGet(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            // Wait until the broker serves the new topics, so that clients started next see them.
            admin.describeTopics(missing.stream().map(NewTopic::name).toList()).allTopicNames()
                    .get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not create topics " + Arrays.toString(specs), e);
        }
    }

    /** Internal: starts the broker in THIS class loader's copy; use {@link #bootstrapServers()}. */
    public static String startOrGet() {
        String current = bootstrap;
        if (current != null) {
            return current;
        }
        synchronized (LOCK) {
            if (bootstrap != null) {
                return bootstrap;
            }
            String started = System.getProperty(BOOTSTRAP_PROPERTY);
            if (isBlank(started)) {
                started = System.getenv(BOOTSTRAP_ENV);
                if (!isBlank(started)) {
                    kind = "external";
                    log("using the external broker at " + started + " (" + BOOTSTRAP_ENV + ")");
                } else {
                    started = startBroker();
                }
                System.setProperty(BOOTSTRAP_PROPERTY, started.trim());
            } else if ("none".equals(kind)) {
                kind = "external";
            }
            bootstrap = started.trim();
            return bootstrap;
        }
    }

    private static String startBroker() {
        if (dockerAvailable()) {
            return startContainer();
        }
        return startInJvm();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private static String startContainer() {
        long t0 = System.nanoTime();
        boolean autoCreate = SingleNodeDefaults.autoCreateTopicsFromEnvironment();
        @SuppressWarnings("resource")
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        SingleNodeDefaults.brokerProperties(1, autoCreate).forEach((key, value) ->
                container.withEnv("KAFKA_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value));
        container.start();
        started = container;
        stopAtExit();
        kind = "container";
        String servers = container.getBootstrapServers();
        log("started Kafka container " + KAFKA_IMAGE + " at " + servers + " in " + millisSince(t0) + " ms");
        return servers;
    }

    private static String startInJvm() {
        long t0 = System.nanoTime();
        boolean autoCreate = SingleNodeDefaults.autoCreateTopicsFromEnvironment();
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    // The test kit defaults to the newest, still unstable metadata version; use what a
                    // released broker (and BrokerLauncher) uses.
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            for (Map.Entry<String, String> e : SingleNodeDefaults.brokerProperties(1, autoCreate).entrySet()) {
                builder.setConfigProp(e.getKey(), e.getValue());
            }
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            closeQuietly(cluster);
            throw new IllegalStateException("could not start the in-JVM Kafka broker", e);
        }
        started = cluster;
        stopAtExit();
        kind = "in-jvm";
        String servers = cluster.bootstrapServers();
        log("started in-JVM Kafka broker (KRaft, 1 node) at " + servers + " in " + millisSince(t0) + " ms");
        return servers;
    }

    private static void stopAtExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(KafkaTestResource::localStop, "kafka-test-broker-stop"));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Throwable t) {
            // Shutting down: nothing useful to do with it.
        }
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void log(String message) {
        System.out.println("[KafkaTestResource] " + message);
    }
}
