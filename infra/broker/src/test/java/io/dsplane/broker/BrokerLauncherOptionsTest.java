package io.dsplane.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerLauncherOptionsTest {

    @Test
    void defaultsGiveASingleNodeKraftBroker() {
        BrokerLauncher.Options o = BrokerLauncher.Options.parse(new String[0], name -> null);
        Map<String, String> p = BrokerLauncher.serverProperties(o, Path.of("/data/kraft"));

        assertThat(o.dataDir).isEqualTo(Path.of(".local/kafka"));
        assertThat(p)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("inter.broker.listener.name", "PLAINTEXT")
                .containsEntry("log.dirs", "/data/kraft")
                .containsEntry("num.partitions", "1")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0");
    }

    @Test
    void argumentsWinOverEnvironmentWhichWinsOverDefaults() {
        Map<String, String> env = Map.of("KAFKA_PORT", "19092", "KAFKA_CONTROLLER_PORT", "19093",
                "KAFKA_DATA_DIR", "/env/dir", "KAFKA_NUM_PARTITIONS", "3");
        BrokerLauncher.Options o = BrokerLauncher.Options.parse(
                new String[] {"--port", "29092", "--data-dir=/arg/dir", "--property", "log.retention.hours=1"},
                env::get);
        Map<String, String> p = BrokerLauncher.serverProperties(o, Path.of("/arg/dir/kraft"));

        assertThat(o.port).isEqualTo(29092);
        assertThat(o.controllerPort).isEqualTo(19093);
        assertThat(o.dataDir).isEqualTo(Path.of("/arg/dir"));
        assertThat(p).containsEntry("num.partitions", "3").containsEntry("log.retention.hours", "1");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> BrokerLauncher.Options.parse(new String[] {"--port", "x"}, n -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> BrokerLauncher.Options.parse(new String[] {"--bogus", "1"}, n -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bogus");
        assertThatThrownBy(() -> BrokerLauncher.Options.parse(
                new String[] {"--port", "9000", "--controller-port", "9000"}, n -> null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrokerLauncher.Options.parse(new String[] {"--data-dir"}, n -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
