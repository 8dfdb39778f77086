package io.dsplane.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dsplane.contracts.event.EventCodec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class DecodedStoreTest {

    private KeyValueStore<String, byte[]> store;

    @BeforeEach
    void setUp() {
        MockProcessorContext<String, Output> context = new MockProcessorContext<>();
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata().build();
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void loadReadsTheStoreAsItIsThenAndKeysAfterFollowItsOrder() {
        store.put("n2", EventCodec.encode(pod("n2")));
        store.put("n1", EventCodec.encode(pod("n1")));
        DecodedStore<Pod> decoded = new DecodedStore<>(store, Pod.class);

        decoded.load();
        store.delete("n1"); // behind the view's back: a loaded view no longer reads the store

        assertThat(decoded.get("n1")).isNotNull();
        assertThat(decoded.keyAfter(null)).isEqualTo("n1");
        assertThat(decoded.keyAfter("n1")).isEqualTo("n2");
        assertThat(decoded.keyAfter("n2")).isNull();
    }

    @Test
    void visitsKeysInTheStoresByteOrderAndPrefixesLikeAPrefixScan() {
        List<String> keys = List.of("n1|b", "n10|a", "n1|a", "n2|a", "n1|\u00e9", "n1|\uff21", "n1|\ud83d\ude00", "n1", "n1|");
        DecodedStore<Pod> decoded = new DecodedStore<>(store, Pod.class, UnaryOperator.identity(), DecodedStoreTest::node);
        keys.forEach(k -> decoded.put(k, pod(k)));

        List<String> storeOrder = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> storeOrder.add(kv.key));
        }
        List<String> scanned = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("n1|", new StringSerializer())) {
            it.forEachRemaining(kv -> scanned.add(kv.key));
        }
        assertThat(names(decoded.values())).containsExactlyElementsOf(storeOrder);
        assertThat(names(decoded.inGroup("n1"))).containsExactlyElementsOf(scanned).hasSize(6);
        assertThat(names(decoded.inGroup("n10"))).containsExactly("n10|a");
        assertThat(decoded.inGroup("n3")).isEmpty();
    }

    /** The group of a key: what comes before its first '|', or "" for a key without one. */
    private static String node(String key) {
        int bar = key.indexOf('|');
        return bar < 0 ? "" : key.substring(0, bar);
    }

    @Test
    void groupsFollowPutsAndDeletesAndAreReadBackFromTheStore() {
        DecodedStore<Pod> decoded = new DecodedStore<>(store, Pod.class, UnaryOperator.identity(), DecodedStoreTest::node);
        decoded.put("n1|b", pod("b"));
        decoded.put("n1|a", pod("a"));
        decoded.put("n2|c", pod("c"));
        List<Pod> before = decoded.inGroup("n1");

        decoded.put("n1|a", pod("a2")); // replaced
        decoded.delete("n2|c");
        decoded.delete("n2|never-there");

        assertThat(names(before)).containsExactly("a", "b"); // a snapshot
        assertThat(names(decoded.inGroup("n1"))).containsExactly("a2", "b");
        assertThat(decoded.inGroup("n2")).isEmpty();
        // A view filled from the store (after a restore) has the same groups.
        DecodedStore<Pod> restored = new DecodedStore<>(store, Pod.class, UnaryOperator.identity(), DecodedStoreTest::node);
        assertThat(names(restored.inGroup("n1"))).containsExactly("a2", "b");
        assertThat(restored.inGroup("n2")).isEmpty();
        restored.delete("n1|a");
        restored.delete("n1|b");
        assertThat(restored.inGroup("n1")).isEmpty();
        assertThat(restored.values()).isEmpty();
    }

    @Test
    void aStoreWithoutGroupsRefusesToReadOne() {
        DecodedStore<Pod> decoded = new DecodedStore<>(store, Pod.class);

        assertThatThrownBy(() -> decoded.inGroup("n1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keepsTheHandedOverObjectAndTheStoreHoldsTheSameValue() {
        DecodedStore<Pod> decoded = new DecodedStore<>(store, Pod.class);
        Pod handedOver = pod("a");
        Pod stored = decoded.put("k", handedOver);

        // No second decode: the view keeps the object it was given ...
        assertThat(stored).isSameAs(handedOver);
        assertThat(decoded.get("k")).isSameAs(handedOver);
        // ... and a view rebuilt from the store (after a restart) holds an equal one.
        assertThat(EventCodec.decode(store.get("k"), Pod.class)).isEqualTo(handedOver);
        assertThat(new DecodedStore<>(store, Pod.class).get("k")).isEqualTo(handedOver).isNotSameAs(handedOver);
        decoded.delete("k");
        assertThat(store.get("k")).isNull();
        assertThat(decoded.containsKey("k")).isFalse();
    }

    @Test
    void aNewViewFillsFromWhatTheStoreHoldsNow() {
        store.put("restored", EventCodec.encode(pod("restored")));
        DecodedStore<Pod> decoded = new DecodedStore<>(store, Pod.class);

        assertThat(decoded.get("restored").getMetadata().getName()).isEqualTo("restored");
        assertThat(decoded.entries()).extracting(e -> e.getKey()).containsExactly("restored");
    }

    @Test
    void memoryMayHoldLessThanTheStoreAndTheStoredValueStaysWhole() {
        UnaryOperator<Pod> nameOnly = p -> new PodBuilder().withNewMetadata().withName(p.getMetadata().getName())
                .endMetadata().build();
        DecodedStore<Pod> decoded = new DecodedStore<>(store, Pod.class, nameOnly);
        Pod whole = new PodBuilder(pod("a")).withNewSpec().withNodeName("node-1").endSpec().build();

        Pod held = decoded.put("k", whole);

        assertThat(held).isSameAs(decoded.get("k"));
        assertThat(held.getSpec()).isNull();
        assertThat(held.getMetadata().getNamespace()).isNull();
        Pod stored = decoded.stored("k");
        assertThat(stored).isEqualTo(whole).isNotSameAs(whole);
        // Filled again from the store (a restart), memory holds the same function of what is stored.
        Pod reloaded = new DecodedStore<>(store, Pod.class, nameOnly).get("k");
        assertThat(reloaded).isEqualTo(held);
        assertThat(decoded.stored("missing")).isNull();
    }
}
