package io.dsplane.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.TestExecutionListener;

class KafkaTestResourceTest {

    @Test
    void theBrokerStopsWhenTheTestPlanEndsAndAStartedAgainOneWorks() throws Exception {
        assertThat(ServiceLoader.load(TestExecutionListener.class).stream().map(ServiceLoader.Provider::type))
                .contains(BrokerStopAtTestPlanEnd.class);
        String before = KafkaTestResource.bootstrapServers();
        String kindBefore = KafkaTestResource.kind();

        new BrokerStopAtTestPlanEnd().testPlanExecutionFinished(null);

        if (kindBefore.equals("external")) {
            assertThat(KafkaTestResource.bootstrapServers()).isEqualTo(before);
            return;
        }
        assertThat(KafkaTestResource.kind()).isEqualTo("none");
        Map<String, Object> quick = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, before,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(quick)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        String after = KafkaTestResource.bootstrapServers();
        assertThat(KafkaTestResource.kind()).isEqualTo(kindBefore);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, after))) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isNotBlank();
        }
    }

    @Test
    void createsRequestedTopicsIdempotently() throws Exception {
        String compacted = "compacted-" + UUID.randomUUID();
        String plain = "plain-" + UUID.randomUUID();
        KafkaTestResource resource = new KafkaTestResource();
        resource.init(Map.of(KafkaTestResource.TOPICS_ARG, compacted + ":3:compact, " + plain));
        resource.start();
        KafkaTestResource.createTopics(compacted + ":3:compact", plain); // again: no error

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.bootstrapServers()))) {
            var descriptions = admin.describeTopics(List.of(compacted, plain)).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(descriptions.get(compacted).partitions()).hasSize(3);
            assertThat(descriptions.get(plain).partitions()).hasSize(1);
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, compacted);
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void oneSharedBrokerWhoseConsumerGroupsWork() throws Exception {
        KafkaTestResource first = new KafkaTestResource();
        Map<String, String> config = first.start();
        first.stop(); // must not stop the shared broker
        String servers = KafkaTestResource.bootstrapServers();

        assertThat(config)
                .containsEntry("kafka.bootstrap.servers", servers)
                .containsEntry("quarkus.kafka-streams.bootstrap-servers", servers)
                .containsEntry("mp.messaging.connector.smallrye-kafka.bootstrap.servers", servers);
        assertThat(new KafkaTestResource().start()).isEqualTo(config);
        assertThat(KafkaTestResource.kind()).isIn("external", "container", "in-jvm");

        String topic = "test-resource-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            if (!KafkaTestResource.kind().equals("external")) {
                String brokerId = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().idString();
                ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokerId);
                Config brokerConfig = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);
                assertThat(brokerConfig.get("auto.create.topics.enable").value())
                        .isEqualTo(Boolean.toString(SingleNodeDefaults.autoCreateTopicsFromEnvironment()));
                assertThat(brokerConfig.get("offsets.topic.replication.factor").value()).isEqualTo("1");
            }
        }

        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
        }

        // A subscribed consumer needs the __consumer_offsets topic: this hangs without replication factor 1.
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
            consumer.commitSync(Duration.ofSeconds(30));
        }
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("k");
            assertThat(r.value()).isEqualTo("v");
        });
    }
}
