package io.dsplane.fleetsim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchMarksTest {

    @Test
    void aCountThatJumpsPastSeveralSharesMarksThemAllAndLaterLooksMarkNothingAgain() {
        double[] shares = {0.5, 0.9, 0.99};
        double[] seconds = {Double.NaN, Double.NaN, Double.NaN};

        Bench.mark(shares, seconds, 400, 1000, 1_000_000_000L);
        assertThat(seconds).containsExactly(Double.NaN, Double.NaN, Double.NaN);
        Bench.mark(shares, seconds, 600, 1000, 2_000_000_000L);
        assertThat(seconds).containsExactly(2.0, Double.NaN, Double.NaN);
        Bench.mark(shares, seconds, 1000, 1000, 3_500_000_000L);
        assertThat(seconds).containsExactly(2.0, 3.5, 3.5);
        Bench.mark(shares, seconds, 1000, 1000, 9_000_000_000L);
        assertThat(seconds).containsExactly(2.0, 3.5, 3.5);
    }
}
