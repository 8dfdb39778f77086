package io.dsplane.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;

class BeanPropertiesTest {

    @Test
    void theBoundGetterAndSetterReadAndWriteTheProperty() throws Exception {
        var labels = BeanProperties.property("Labels", ObjectMeta.class.getMethod("getLabels"),
                ObjectMeta.class.getMethod("setLabels", Map.class));
        ObjectMeta meta = new ObjectMeta();
        Map<String, String> value = Map.of("app", "agent");

        labels.set(meta, value);

        assertThat(meta.getLabels()).isSameAs(value);
        assertThat(labels.get(meta)).isSameAs(value);
    }

    @Test
    void copyHandsOverTheSameObject() throws Exception {
        var containers = BeanProperties.property("Containers", PodSpec.class.getMethod("getContainers"),
                PodSpec.class.getMethod("setContainers", List.class));
        PodSpec from = new PodSpec();
        from.setContainers(List.of(new Container()));
        PodSpec to = new PodSpec();

        containers.copy(from, to);

        assertThat(to.getContainers()).isSameAs(from.getContainers());
    }

    @Test
    void aBoxedNumberPropertyIsBoundToo() throws Exception {
        var priority = BeanProperties.property("Priority", PodSpec.class.getMethod("getPriority"),
                PodSpec.class.getMethod("setPriority", Integer.class));
        PodSpec spec = new PodSpec();

        priority.set(spec, 1000);

        assertThat(spec.getPriority()).isEqualTo(1000);
        assertThat(priority.get(spec)).isEqualTo(1000);
    }

    @Test
    void aGetterAndSetterOfDifferentTypesAreRefused() throws Exception {
        assertThatThrownBy(() -> BeanProperties.property("x", PodSpec.class.getMethod("getPriority"),
                PodSpec.class.getMethod("setContainers", List.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("are not the getter and setter of one property");
    }
}
