package io.dsplane.daemonset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** DaemonSetTableTest reads DaemonSets as {@code kubectl get daemonsets} does: as a meta.k8s.io Table (§4.1). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class DaemonSetTableTest {

    private static final String NAMESPACE = "tables";
    private static final String COLLECTION = "/apis/apps/v1/namespaces/" + NAMESPACE + "/daemonsets";
    /** What kubectl get sends. */
    private static final String KUBECTL_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,"
            + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    /** create stores a DaemonSet labelled {@code table=<name>} selecting {@code app=<name>}, with two containers. */
    private static void create(String name, String nodeSelector) {
        String body = """
                {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%1$s","labels":{"table":"%1$s"}},
                 "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
                  "template":{"metadata":{"labels":{"app":"%1$s"}},
                   "spec":{%2$s"containers":[{"name":"agent","image":"agent:1"},
                                             {"name":"sidecar","image":"proxy:2"}]}}}}
                """.formatted(name, nodeSelector == null ? "" : "\"nodeSelector\":" + nodeSelector + ",");
        given().contentType(ContentType.JSON).body(body).post(COLLECTION).then().statusCode(201);
    }

    /** names are the NAME cells of a Table, in row order. */
    private static List<Object> names(JsonPath table) {
        List<List<Object>> cells = table.getList("rows.cells");
        return cells.stream().map(row -> row.get(0)).toList();
    }

    private static Response table(String path) {
        return given().accept(KUBECTL_ACCEPT).get(path);
    }

    @Test
    void listIsATableWithKubectlsColumnsAndOneRowPerDaemonSet() {
        create("tbl-ssd", "{\"zone\":\"a\",\"disk\":\"ssd\"}");
        create("tbl-any", null);

        Response response = given().accept(KUBECTL_ACCEPT).queryParam("labelSelector", "table in (tbl-ssd,tbl-any)")
                .get(COLLECTION);
        response.then().statusCode(200);
        assertThat(response.contentType()).isEqualTo("application/json;as=Table;v=v1;g=meta.k8s.io");
        JsonPath table = JsonPath.from(response.asString());
        assertThat(table.getString("kind")).isEqualTo("Table");
        assertThat(table.getString("apiVersion")).isEqualTo("meta.k8s.io/v1");
        assertThat(Long.parseLong(table.getString("metadata.resourceVersion"))).isPositive();
        assertThat(table.getList("columnDefinitions.name")).containsExactly("Name", "Desired", "Current", "Ready",
                "Up-to-date", "Available", "Node Selector", "Age", "Containers", "Images", "Selector");
        assertThat(table.getList("columnDefinitions.priority")).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1);
        assertThat(table.getList("columnDefinitions.type")).containsExactly("string", "integer", "integer",
                "integer", "integer", "integer", "string", "string", "string", "string", "string");
        assertThat(names(table)).containsExactly("tbl-any", "tbl-ssd");

        List<Object> any = table.getList("rows[0].cells");
        assertThat(any.subList(0, 7)).containsExactly("tbl-any", 0, 0, 0, 0, 0, "<none>");
        assertThat((String) any.get(7)).matches("\\d+s");
        assertThat(any.subList(8, 11)).containsExactly("agent,sidecar", "agent:1,proxy:2", "app=tbl-any");

        List<Object> ssd = table.getList("rows[1].cells");
        assertThat(ssd.subList(0, 7)).containsExactly("tbl-ssd", 0, 0, 0, 0, 0, "disk=ssd,zone=a");
        assertThat(ssd.get(10)).isEqualTo("app=tbl-ssd");

        Map<String, Object> object = table.getMap("rows[1].object");
        assertThat(object).containsEntry("kind", "PartialObjectMetadata")
                .containsEntry("apiVersion", "meta.k8s.io/v1").doesNotContainKey("spec");
        assertThat(table.getString("rows[1].object.metadata.name")).isEqualTo("tbl-ssd");
        assertThat(table.getString("rows[1].object.metadata.uid")).isNotEmpty();
    }

    @Test
    void getIsATableOfOneRowWithTheObjectsResourceVersion() {
        create("tbl-one", "{\"role\":\"edge\"}");
        String rv = given().get(COLLECTION + "/tbl-one").then().extract().path("metadata.resourceVersion");
        Response response = table(COLLECTION + "/tbl-one");
        response.then().statusCode(200);
        JsonPath table = JsonPath.from(response.asString());
        assertThat(table.getString("kind")).isEqualTo("Table");
        assertThat(table.getList("rows")).hasSize(1);
        assertThat(table.getString("rows[0].cells[6]")).isEqualTo("role=edge");
        // The status may be written between the two reads; the Table carries the version it was made from.
        assertThat(Long.parseLong(table.getString("metadata.resourceVersion"))).isGreaterThanOrEqualTo(
                Long.parseLong(rv));
        assertThat(table.getString("metadata.resourceVersion"))
                .isEqualTo(table.getString("rows[0].object.metadata.resourceVersion"));
    }

    @Test
    void tableAcrossNamespacesAndIncludeObjectChoices() {
        create("tbl-wide", null);
        JsonPath all = JsonPath.from(given().accept(KUBECTL_ACCEPT).queryParam("fieldSelector",
                "metadata.name=tbl-wide").get("/apis/apps/v1/daemonsets").then().statusCode(200).extract().asString());
        assertThat(names(all)).containsExactly("tbl-wide");

        JsonPath none = JsonPath.from(given().accept(KUBECTL_ACCEPT).queryParam("includeObject", "None")
                .get(COLLECTION + "/tbl-wide").then().statusCode(200).extract().asString());
        assertThat(none.getMap("rows[0]")).doesNotContainKey("object");

        JsonPath object = JsonPath.from(given().accept(KUBECTL_ACCEPT).queryParam("includeObject", "Object")
                .get(COLLECTION + "/tbl-wide").then().statusCode(200).extract().asString());
        assertThat(object.getString("rows[0].object.kind")).isEqualTo("DaemonSet");
        assertThat(object.getString("rows[0].object.spec.template.spec.containers[0].image")).isEqualTo("agent:1");

        given().accept(KUBECTL_ACCEPT).queryParam("includeObject", "Everything").get(COLLECTION + "/tbl-wide").then()
                .statusCode(400).body("reason", equalTo("BadRequest"));
        table(COLLECTION + "/tbl-missing").then().statusCode(404).body("kind", equalTo("Status"));
    }

    @Test
    void plainJsonIsStillTheObjects() {
        create("tbl-plain", null);
        given().accept(ContentType.JSON).get(COLLECTION + "/tbl-plain").then().statusCode(200)
                .body("kind", equalTo("DaemonSet"));
        given().get(COLLECTION).then().statusCode(200).body("kind", equalTo("DaemonSetList"));
    }
}
