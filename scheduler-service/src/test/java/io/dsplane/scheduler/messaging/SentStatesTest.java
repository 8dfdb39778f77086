package io.dsplane.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SentStatesTest {

    private static byte[] state(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aStateCountsAsChangedTheFirstTimeAndWhenItsBytesDiffer() {
        SentStates sent = new SentStates();
        assertThat(sent.changed("default/a", "n1", state("{\"pods\":0}"))).isTrue();
        assertThat(sent.changed("default/a", "n1", state("{\"pods\":0}"))).isFalse();
        assertThat(sent.changed("default/a", "n1", state("{\"pods\":1}"))).isTrue();
        assertThat(sent.changed("default/a", "n1", state("{\"pods\":0}"))).as("back to an earlier state").isTrue();
        assertThat(sent.size()).isEqualTo(1);
    }

    @Test
    void pairsAreKeptApart() {
        SentStates sent = new SentStates();
        assertThat(sent.changed("default/a", "n1", state("{}"))).isTrue();
        assertThat(sent.changed("default/a", "n2", state("{}"))).isTrue();
        assertThat(sent.changed("default/b", "n1", state("{}"))).isTrue();
        assertThat(sent.changed("default/a", "n1", state("{}"))).isFalse();
        assertThat(sent.size()).isEqualTo(3);
    }

    @Test
    void aForgottenPairOrDaemonSetIsSentAgain() {
        SentStates sent = new SentStates();
        sent.changed("default/a", "n1", state("{}"));
        sent.changed("default/a", "n2", state("{}"));
        sent.changed("default/b", "n1", state("{}"));

        sent.forget("default/a", "n1");
        assertThat(sent.changed("default/a", "n1", state("{}"))).isTrue();

        sent.forgetDaemonSet("default/a");
        assertThat(sent.size()).isEqualTo(1);
        assertThat(sent.changed("default/a", "n2", state("{}"))).isTrue();
        assertThat(sent.changed("default/b", "n1", state("{}"))).isFalse();
    }
}
