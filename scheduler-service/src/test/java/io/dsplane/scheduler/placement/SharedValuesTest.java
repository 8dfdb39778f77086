package io.dsplane.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SharedValuesTest {

    @Test
    void equalValuesAreHeldOnceAndDifferentOnesApart() {
        SharedValues shared = new SharedValues();
        String first = shared.share(new String("ops"));
        assertThat(shared.share(new String("ops"))).isSameAs(first);
        assertThat(shared.share(new String("apps"))).isNotSameAs(first).isEqualTo("apps");
        assertThat(shared.share((String) null)).isNull();
    }

    @Test
    void listsAndMapsAreSharedUnmodifiableAndEmptyOnesAreTheJvmsEmpties() {
        SharedValues shared = new SharedValues();
        Map<String, String> labels = new LinkedHashMap<>(Map.of("app", "agent"));
        Map<String, String> same = shared.shareMap(labels);
        assertThat(shared.shareMap(new LinkedHashMap<>(Map.of("app", "agent")))).isSameAs(same);
        assertThatThrownBy(() -> same.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);

        List<String> list = shared.shareList(new ArrayList<>(List.of("a", "b")));
        assertThat(shared.shareList(new ArrayList<>(List.of("a", "b")))).isSameAs(list);
        assertThatThrownBy(() -> list.add("c")).isInstanceOf(UnsupportedOperationException.class);

        assertThat(shared.shareList(new ArrayList<>())).isSameAs(List.of());
        assertThat(shared.shareMap(new LinkedHashMap<>())).isSameAs(Map.of());
        assertThat(shared.size()).isEqualTo(2);
    }

    @Test
    void aValueIsPreparedOnlyWhenNoEqualOneIsHeld() {
        SharedValues shared = new SharedValues();
        List<String> prepared = new ArrayList<>();
        String first = shared.share(new String("agent"), v -> {
            prepared.add(v);
            return v;
        });
        String second = shared.share(new String("agent"), v -> {
            prepared.add(v);
            return v;
        });
        assertThat(second).isSameAs(first);
        assertThat(prepared).containsExactly("agent");
    }

    @Test
    void valuesSharedUnderAKeyAreTheFirstOneHeldUnderThatKeyPreparedOnce() {
        SharedValues shared = new SharedValues();
        List<String> prepared = new ArrayList<>();
        String first = shared.shareAs("k1", new String("a"), v -> { prepared.add(v); return v; });

        assertThat(shared.shareAs(new String("k1"), new String("a"), v -> { prepared.add(v); return v; })).isSameAs(first);
        assertThat(shared.shareAs("k2", new String("a"), v -> v)).isNotSameAs(first).isEqualTo("a");
        // Keyed values and values shared by their own equality are held apart.
        assertThat(shared.share(new String("a"))).isNotSameAs(first);
        assertThat(shared.shareAs("k3", (String) null, v -> v)).isNull();
        assertThat(prepared).hasSize(1);
        assertThat(shared.size()).isEqualTo(3);
    }
}
