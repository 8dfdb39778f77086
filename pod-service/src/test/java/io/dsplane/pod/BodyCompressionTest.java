package io.dsplane.pod;

import static io.restassured.RestAssured.given;
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
import io.restassured.http.ContentType;

/**
 * Pod bodies and outbox payloads are compressed with lz4 where the server has it: a pod is just past
 * the size at which PostgreSQL compresses a row's largest value, so every pod was compressed, and pglz
 * made that a quarter of the cost of its insert.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class BodyCompressionTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aStoredPodIsCompressedWithLz4WhereTheServerHasIt() throws Exception {
        String labels = "\"padding\":\"" + "x".repeat(60) + "\"";
        StringBuilder more = new StringBuilder(labels);
        for (int i = 0; i < 30; i++) {
            more.append(",\"label-").append(i).append("\":\"value-").append(i).append("-").append("y".repeat(40)).append('"');
        }
        given().contentType(ContentType.JSON).body(Fixtures.podJson("compression", "big", "node-1", more.toString()))
                .post("/api/v1/namespaces/compression/pods").then().statusCode(201);

        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            boolean lz4 = scalar(st, "SELECT 'lz4' = ANY (enumvals::text[]) FROM pg_settings"
                    + " WHERE name = 'default_toast_compression'").equals("t");
            String expected = lz4 ? "l" : "";
            assertThat(scalar(st, "SELECT attcompression FROM pg_attribute"
                    + " WHERE attrelid = 'objects'::regclass AND attname = 'body'")).isEqualTo(expected);
            assertThat(scalar(st, "SELECT attcompression FROM pg_attribute"
                    + " WHERE attrelid = 'outbox'::regclass AND attname = 'payload'")).isEqualTo(expected);
            assertThat(scalar(st, "SELECT pg_column_compression(body) FROM objects"
                    + " WHERE kind = 'Pod' AND namespace = 'compression' AND name = 'big'"))
                    .isEqualTo(lz4 ? "lz4" : "pglz");
        }
    }

    private static String scalar(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            String v = rs.getString(1);
            return v == null ? "" : v;
        }
    }
}
