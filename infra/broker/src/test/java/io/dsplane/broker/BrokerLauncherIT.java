package io.dsplane.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link BrokerLauncher} as its own JVM, exactly as {@code infra/local/up} does, and checks that a
 * record acknowledged by the broker survives {@code kill -9} and a restart on the same data directory.
 */
class BrokerLauncherIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private Process broker;

    @AfterEach
    void killBroker() throws InterruptedException {
        if (broker != null && broker.isAlive()) {
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void recordSurvivesKillDashNineAndRestart() throws Exception {
        Path dataDir = tmp.resolve("kafka");
        int port = freePort();
        int controllerPort = freePort();
        String servers = "127.0.0.1:" + port;
        String topic = "durability";

        broker = launch(dataDir, port, controllerPort, tmp.resolve("broker-1.log"));
        awaitReady(servers, tmp.resolve("broker-1.log"));
        String clusterId = Files.readString(dataDir.resolve("cluster.id")).trim();
        assertThat(clusterId).isNotBlank();
        assertThat(Files.readString(dataDir.resolve("server.properties")))
                .contains("auto.create.topics.enable=false", "num.partitions=1",
                        "offsets.topic.replication.factor=1");

        try (Admin admin = admin(servers)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "node-a", "heartbeat-1")).get(30, TimeUnit.SECONDS);
        }
        assertThat(readAll(servers, topic)).containsExactly("node-a=heartbeat-1");

        // kill -9: no clean shutdown, no flush beyond what the OS already has.
        broker.destroyForcibly();
        assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();

        broker = launch(dataDir, port, controllerPort, tmp.resolve("broker-2.log"));
        awaitReady(servers, tmp.resolve("broker-2.log"));
        String secondLog = Files.readString(tmp.resolve("broker-2.log"), StandardCharsets.UTF_8);
        assertThat(secondLog).contains("already formatted").doesNotContain("formatting storage");
        assertThat(Files.readString(dataDir.resolve("cluster.id")).trim()).isEqualTo(clusterId);

        assertThat(readAll(servers, topic)).containsExactly("node-a=heartbeat-1");
    }

    private Process launch(Path dataDir, int port, int controllerPort, Path log) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("broker.classpath", System.getProperty("java.class.path"));
        List<String> command = List.of(javaBin, "-Xmx512m", "-cp", classpath,
                BrokerLauncher.class.getName(),
                "--data-dir", dataDir.toString(),
                "--port", Integer.toString(port),
                "--controller-port", Integer.toString(controllerPort));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private void awaitReady(String servers, Path log) {
        long t0 = System.nanoTime();
        try (Admin admin = admin(servers)) {
            awaitDescribeCluster(admin, servers, log);
            System.out.printf("[BrokerLauncherIT] broker at %s ready after %d ms%n", servers,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException | AssertionError e) {
            System.err.println("---- tail of " + log + "\n" + tail(log));
            throw e;
        }
    }

    private void awaitDescribeCluster(Admin admin, String servers, Path log) {
        {
            Awaitility.await("broker at " + servers + " ready (log: " + log + ")")
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .failFast("broker process exited, see " + log, () -> !broker.isAlive())
                    .until(() -> !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty());
        }
    }

    /** Reads the whole topic from the beginning without a consumer group. */
    private static List<String> readAll(String servers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            assertThat(end).isPositive();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.key() + "=" + r.value());
                }
                return consumer.position(tp) >= end;
            });
        }
        return values;
    }

    private static Admin admin(String servers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
