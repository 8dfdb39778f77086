package io.dsplane.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void readsValuesFlagsAndDurations() {
        Args a = Args.parse(new String[] {"--nodes", "5_000", "--interval=250ms", "--reuse", "--rate", "1.5"},
                Set.of("nodes", "interval", "rate"), Set.of("reuse"));
        assertThat(a.getInt("nodes", 1)).isEqualTo(5000);
        assertThat(a.getDuration("interval", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(a.getDouble("rate", 0)).isEqualTo(1.5);
        assertThat(a.has("reuse")).isTrue();
        assertThat(a.getInt("missing", 7)).isEqualTo(7);
    }

    @Test
    void durations() {
        assertThat(Args.duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Args.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Args.duration("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Args.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> Args.duration("soon")).hasMessageContaining("not a duration");
        assertThat(Args.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(Args.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Args.format(Duration.ofMinutes(2))).isEqualTo("2m");
    }

    @Test
    void refusesUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> Args.parse(new String[] {"--nodez", "1"}, Set.of("nodes"), Set.of()))
                .hasMessageContaining("unknown option --nodez");
        assertThatThrownBy(() -> Args.parse(new String[] {"--nodes"}, Set.of("nodes"), Set.of()))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Args.parse(new String[] {"nodes"}, Set.of("nodes"), Set.of()))
                .hasMessageContaining("unexpected argument");
    }
}
