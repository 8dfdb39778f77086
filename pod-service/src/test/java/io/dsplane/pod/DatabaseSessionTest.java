package io.dsplane.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.dsplane.broker.KafkaTestResource;
import io.dsplane.contracts.registry.RegistryRows;
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

    /**
     * The registry's batch lookup of many names stays one index probe per name when the table's
     * statistics are older than its contents: analyzed while no object of the kind existed, then
     * thousands inserted. All in one transaction that is rolled back, so neither autovacuum nor the
     * other tests see the rows or the statistics.
     */
    @Test
    void batchLookupProbesTheIndexPerNameEvenWhenTheStatisticsPredateTheRows() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE objects");
                st.execute("INSERT INTO objects (kind, namespace, name, uid, resource_version, body, created_at)"
                        + " SELECT 'PlanCheck', 'plan', 'p-' || i, 'uid-' || i, i, '{}'::jsonb, now()"
                        + " FROM generate_series(1, 5000) AS i");
            }
            String[] namespaces = new String[500];
            String[] names = new String[500];
            for (int i = 0; i < 500; i++) {
                namespaces[i] = "plan";
                names[i] = "p-" + (i * 7 + 1);
            }
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + RegistryRows.selectAllStatement(false))) {
                ps.setArray(1, c.createArrayOf("text", namespaces));
                ps.setArray(2, c.createArrayOf("text", names));
                ps.setString(3, "PlanCheck");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            } finally {
                c.rollback();
            }
            assertThat(plan.toString()).contains("Nested Loop", "Index Scan using objects_kind_namespace_name")
                    .doesNotContain("Hash Join", "Seq Scan on objects");
        }
    }

    private static String show(Statement st, String setting) throws Exception {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
