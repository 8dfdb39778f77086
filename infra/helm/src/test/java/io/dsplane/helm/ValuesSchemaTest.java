package io.dsplane.helm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValuesSchemaTest {

    @Test
    void replicasGivenAsAStringIsRejectedNamingTheField() {
        assertThatThrownBy(() -> Chart.render("replicas-as-string.yaml"))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("/podService/replicas")
                .hasMessageContaining("want integer");
    }

    @Test
    void missingKafkaBootstrapServersIsRejected() {
        assertThatThrownBy(() -> Chart.render("without-kafka-bootstrap.yaml"))
                .hasMessageContaining("/kafka")
                .hasMessageContaining("missing property 'bootstrapServers'");
    }

    @Test
    void misspelledKeyIsRejectedRatherThanIgnored() {
        assertThatThrownBy(() -> Chart.render("misspelled-key.yaml"))
                .hasMessageContaining("/schedulerService")
                .hasMessageContaining("'replica' not allowed");
    }

    @Test
    void databaseUrlThatIsNotAPostgresqlJdbcUrlIsRejected() {
        assertThatThrownBy(() -> Chart.render("mysql-database-url.yaml"))
                .hasMessageContaining("/database/url");
    }
}
