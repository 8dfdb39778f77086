package io.dsplane.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsplane.contracts.api.KubeJson;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodSpecsTest {

    /** A template spec with most kinds of field set, and one field no model knows. */
    private static PodSpec richSpec() throws Exception {
        return KubeJson.json().readValue("""
                {"containers":[{"name":"agent","image":"agent:1","env":[{"name":"A","value":"1"}],
                  "resources":{"requests":{"cpu":"100m"}}}],
                 "initContainers":[{"name":"init","image":"init:1"}],
                 "volumes":[{"name":"logs","hostPath":{"path":"/var/log"}}],
                 "hostNetwork":true,"dnsPolicy":"ClusterFirstWithHostNet","priority":1000,
                 "priorityClassName":"system-node-critical","serviceAccountName":"agent",
                 "terminationGracePeriodSeconds":30,"nodeSelector":{"gpu":"true"},
                 "tolerations":[{"key":"dedicated","operator":"Exists","effect":"NoSchedule"}],
                 "securityContext":{"runAsUser":0},"overhead":{"cpu":"10m"},
                 "futureField":{"x":1}}
                """, PodSpec.class);
    }

    @Test
    void theCopyHoldsEveryValueOfTheOriginal() throws Exception {
        PodSpec spec = richSpec();

        PodSpec copy = PodSpecs.shallowCopy(spec);

        assertThat(copy).isEqualTo(spec);
        assertThat(copy.getAdditionalProperties()).containsKey("futureField");
        for (Field f : PodSpec.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getName().equals("additionalProperties")) {
                continue;
            }
            f.setAccessible(true);
            assertThat(f.get(copy)).as(f.getName()).isSameAs(f.get(spec));
        }
    }

    @Test
    void replacingAFieldOfTheCopyLeavesTheOriginalAlone() throws Exception {
        PodSpec spec = richSpec();
        PodSpec before = new PodSpecBuilder(spec).build();

        PodSpec copy = PodSpecs.shallowCopy(spec);
        copy.setNodeName("n1");
        copy.setTolerations(new ArrayList<>(List.of(new Toleration("NoExecute", "k", "Exists", null, null))));
        copy.setAdditionalProperty("other", "y");

        assertThat(spec).isEqualTo(before);
        assertThat(spec.getAdditionalProperties()).doesNotContainKey("other");
    }

    @Test
    void aNewDaemonPodCarriesTheWholeTemplateSpec() throws Exception {
        PodSpec template = richSpec();
        var ds = Fixtures.daemonSet(template);

        PodSpec spec = NewDaemonPod.newPod(ds, "n1", "h", 1).getSpec();

        PodSpec expected = new PodSpecBuilder(template).build();
        expected.setNodeName("n1");
        expected.setTolerations(spec.getTolerations());
        expected.setAffinity(spec.getAffinity());
        assertThat(spec).isEqualTo(expected);
        assertThat(spec.getTolerations()).hasSize(8); // the user's one, six daemon ones, network-unavailable
    }
}
