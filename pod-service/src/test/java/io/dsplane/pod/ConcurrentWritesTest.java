package io.dsplane.pod;

import static io.dsplane.pod.Fixtures.podEvents;
import static io.dsplane.pod.Fixtures.podJson;
import static io.dsplane.pod.Fixtures.types;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * ConcurrentWritesTest fires many creates and deletes at pod-service at the same moment, so that they
 * share transactions, and checks that each request still gets exactly the answer it would get alone:
 * one 201 per name and 409 AlreadyExists for every other create of that name (whether the rival was in
 * the same transaction or in the other one), 422 with its field for an invalid pod without harm to the
 * rest, one 200 and one 404 for two deletes of one pod; and that the topic carries one ADDED per
 * created pod.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class ConcurrentWritesTest {

    private static final String NS = "concurrent";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";
    private final ExecutorService pool = Executors.newFixedThreadPool(48);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** all runs the calls at once (released together by a latch) and returns their responses in order. */
    private List<Response> all(List<Callable<Response>> calls) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        for (Callable<Response> call : calls) {
            futures.add(pool.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<Response> out = new ArrayList<>();
        for (Future<Response> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    private static Callable<Response> post(String body) {
        return () -> given().contentType(ContentType.JSON).body(body).post(PODS).andReturn();
    }

    @Test
    void concurrentCreatesOfOneNameGiveOneCreatedAndConflictsTheRestUnharmedByAnInvalidOne() throws Exception {
        List<String> names = new ArrayList<>();
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "c-" + i;
            names.add(name);
            for (int copy = 0; copy < 3; copy++) {
                calls.add(post(podJson(NS, name, "node-" + copy, "\"copy\":\"" + copy + "\"")));
            }
        }
        calls.add(post(podJson(NS, "c-invalid", "node-x", "").replace("100m", "lots")));
        List<Response> responses = all(calls);

        Response invalid = responses.get(responses.size() - 1);
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.jsonPath().getList("details.causes.field", String.class))
                .containsExactly("spec.containers[0].resources.requests[cpu]");
        for (int i = 0; i < names.size(); i++) {
            List<Response> ofName = responses.subList(3 * i, 3 * i + 3);
            Map<Integer, Long> codes = ofName.stream()
                    .collect(Collectors.groupingBy(Response::statusCode, Collectors.counting()));
            assertThat(codes).as(names.get(i)).isEqualTo(Map.of(201, 1L, 409, 2L));
            ofName.stream().filter(r -> r.statusCode() == 409)
                    .forEach(r -> assertThat(r.jsonPath().getString("reason")).isEqualTo("AlreadyExists"));
            Response winner = ofName.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow();
            String node = winner.jsonPath().getString("spec.nodeName");
            given().get(PODS + "/" + names.get(i)).then().statusCode(200)
                    .body("spec.nodeName", equalTo(node))
                    .body("metadata.uid", equalTo(winner.jsonPath().getString("metadata.uid")));
            assertThat(types(podEvents(NS + "/" + names.get(i), rs -> !rs.isEmpty()))).containsExactly("ADDED");
        }
        given().get(PODS + "/c-invalid").then().statusCode(404);
    }

    @Test
    void concurrentDeletesOfOnePodGiveOneOkAndOneNotFound() throws Exception {
        List<Callable<Response>> creates = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            creates.add(post(podJson(NS, "d-" + i, "node-d", "")));
        }
        assertThat(all(creates)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(201));

        List<Callable<Response>> deletes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "d-" + i;
            for (int copy = 0; copy < 2; copy++) {
                deletes.add(() -> given().queryParam("gracePeriodSeconds", 0).delete(PODS + "/" + name).andReturn());
            }
        }
        List<Response> responses = all(deletes);
        for (int i = 0; i < 10; i++) {
            List<Integer> codes = responses.subList(2 * i, 2 * i + 2).stream().map(Response::statusCode).sorted().toList();
            assertThat(codes).as("d-" + i).containsExactly(200, 404);
            given().get(PODS + "/d-" + i).then().statusCode(404);
            assertThat(types(podEvents(NS + "/d-" + i, rs -> types(rs).contains("TOMBSTONE"))))
                    .containsExactly("ADDED", "DELETED", "TOMBSTONE");
        }
    }
}
