package io.dsplane.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceClaim;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

class RequestsKeyTest {

    /** A container as a placement view keeps it: name, resources, restart policy. */
    private static Container view(String name, String restartPolicy, Map<String, Quantity> requests,
            Map<String, Quantity> limits) {
        Container c = new Container();
        c.setName(name);
        c.setRestartPolicy(restartPolicy);
        if (requests != null || limits != null) {
            ResourceRequirements r = new ResourceRequirements();
            r.setRequests(requests);
            r.setLimits(limits);
            c.setResources(r);
        }
        return c;
    }

    private static Map<String, Quantity> q(String... nameAmount) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAmount.length; i += 2) {
            m.put(nameAmount[i], new Quantity(nameAmount[i + 1]));
        }
        return m;
    }

    /** Pairs of different containers, some built to run together if the parts had no lengths. */
    static Stream<Arguments> differentContainers() {
        return Stream.of(
                Arguments.of("name", view("a", null, q("cpu", "10m"), null), view("b", null, q("cpu", "10m"), null)),
                Arguments.of("restart policy", view("a", null, q("cpu", "10m"), null),
                        view("a", "Always", q("cpu", "10m"), null)),
                Arguments.of("amount", view("a", null, q("cpu", "10m"), null), view("a", null, q("cpu", "20m"), null)),
                Arguments.of("resource", view("a", null, q("cpu", "10m"), null), view("a", null, q("memory", "10m"), null)),
                Arguments.of("requests or limits", view("a", null, q("cpu", "10m"), null),
                        view("a", null, null, q("cpu", "10m"))),
                Arguments.of("no resources or empty ones", view("a", null, null, null), view("a", null, q(), null)),
                Arguments.of("one more request", view("a", null, q("cpu", "10m"), null),
                        view("a", null, q("cpu", "10m", "memory", "1Mi"), null)),
                Arguments.of("a name that holds the next part", view("a1:b", null, null, null),
                        view("a", "b", null, null)),
                Arguments.of("a resource name that holds the amount", view("a", null, q("cpu1", "1"), null),
                        view("a", null, q("cpu", "11"), null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentContainers")
    void differentContainersGetDifferentKeys(String what, Container one, Container other) {
        assertThat(one).isNotEqualTo(other);
        assertThat(RequestsKey.of(one)).isNotNull().isNotEqualTo(RequestsKey.of(other));
    }

    @Test
    void equalContainersGetTheSameKey() {
        Container one = view("agent", "Always", q("cpu", "10m", "memory", "16Mi"), q("memory", "32Mi"));
        Container other = view(new String("agent"), "Always", q("cpu", "10m", "memory", "16Mi"), q("memory", "32Mi"));

        assertThat(RequestsKey.of(other)).isEqualTo(RequestsKey.of(one));
    }

    @Test
    void equalQuantitiesWrittenDifferentlyAreMerelyNotShared() {
        Container milli = view("a", null, q("cpu", "1000m"), null);
        Container whole = view("a", null, q("cpu", "1"), null);

        assertThat(milli).isEqualTo(whole);
        assertThat(RequestsKey.of(milli)).isNotEqualTo(RequestsKey.of(whole));
    }

    @Test
    void whatTheKeyDoesNotCoverHasNone() {
        Container claims = view("a", null, q("cpu", "10m"), null);
        claims.getResources().setClaims(new ArrayList<>(List.of(new ResourceClaim("gpu", null))));
        Container unknown = view("a", null, q("cpu", "10m"), null);
        unknown.setAdditionalProperty("future", 1);
        Container unknownQuantity = view("a", null, q("cpu", "10m"), null);
        unknownQuantity.getResources().getRequests().get("cpu").setAdditionalProperty("x", 1);

        assertThat(RequestsKey.of(claims)).isNull();
        assertThat(RequestsKey.of(unknown)).isNull();
        assertThat(RequestsKey.of(unknownQuantity)).isNull();
        assertThat(RequestsKey.of(null)).isNull();
    }
}
