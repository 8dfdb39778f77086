package io.dsplane.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.dsplane.broker.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The service's database sessions are set up as the registry's batch statements need: this schema, and
 * plans made for each execution's own parameters (a generic plan cached while the table was small
 * turns a batch lookup of a few names into a scan of every pod).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class DatabaseSessionTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void sessionsPlanEveryExecutionForItsParametersInTheServicesSchema() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            assertThat(show(st, "plan_cache_mode")).isEqualTo("force_custom_plan");
            assertThat(show(st, "search_path")).isEqualTo("pods");
        }
    }

    private static String show(Statement st, String setting) throws Exception {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
