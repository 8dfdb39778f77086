package io.dsplane.fleetsim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

class RateStepperTest {

    private static final RateStepper.Criteria C = RateStepper.Criteria.DEFAULT;

    private static List<RateStepper.Sample> samples(int seconds, DoubleUnaryOperator backlogAt) {
        List<RateStepper.Sample> out = new ArrayList<>();
        for (int t = 0; t <= seconds; t++) {
            out.add(new RateStepper.Sample(t, Math.round(backlogAt.applyAsDouble(t))));
        }
        return out;
    }

    @Test
    void aFlatOrSawToothBacklogIsSustained() {
        assertThat(RateStepper.judge(1000, 990, samples(20, t -> 100), C).sustained()).isTrue();
        // Committed offsets jump every 5 s: the lag saw-tooths between 0 and 5 s of input without growing.
        RateStepper.Step sawTooth = RateStepper.judge(1000, 1000, samples(30, t -> (t % 5) * 1000), C);
        assertThat(sawTooth.sustained()).as(sawTooth.why()).isTrue();
        assertThat(sawTooth.growthPerSecond()).isEqualTo(0);
    }

    @Test
    void atLowRatesAFewEventsOfNoiseAreNotGrowth() {
        // 100 events/s: 2 % would be 2/s; noise of a few events per second must not fail the step.
        RateStepper.Step s = RateStepper.judge(100, 100, samples(20, t -> 100 + 5 * t), C);
        assertThat(s.sustained()).as(s.why()).isTrue();
        assertThat(C.maxGrowth(100)).isEqualTo(10);
        assertThat(C.maxGrowth(10_000)).isEqualTo(200);
    }

    @Test
    void aGrowingBacklogIsNot() {
        RateStepper.Step s = RateStepper.judge(1000, 1000, samples(20, t -> 200 * t), C);
        assertThat(s.sustained()).isFalse();
        assertThat(s.why()).contains("grew");
        assertThat(s.growthPerSecond()).isCloseTo(200, within(1.0));
    }

    @Test
    void aLargeBacklogIsNotEvenIfFlat() {
        RateStepper.Step s = RateStepper.judge(1000, 1000, samples(20, t -> 9000), C);
        assertThat(s.sustained()).isFalse();
        assertThat(s.why()).contains("allowed 5000");
    }

    @Test
    void aGeneratorThatFallsShortSaysNothing() {
        RateStepper.Step s = RateStepper.judge(1000, 500, samples(20, t -> 0), C);
        assertThat(s.sustained()).isFalse();
        assertThat(s.why()).contains("generator");
    }

    @Test
    void stepsUpUntilAFailureThenBisects() {
        RateStepper r = new RateStepper(1000, 2, 100_000, 2, 0.1);
        List<Double> proposed = new ArrayList<>();
        double capacity = 5000; // the system sustains up to this
        for (int i = 0; i < 20 && r.next().isPresent(); i++) {
            double rate = r.next().getAsDouble();
            proposed.add(rate);
            r.record(new RateStepper.Step(rate, rate, 0, 0, 0, rate <= capacity, ""));
        }
        // 1000, 2000, 4000 pass, 8000 fails, then sqrt(4000*8000)=5657 fails, sqrt(4000*5657)=4757 passes.
        assertThat(proposed).hasSize(6);
        assertThat(proposed.subList(0, 4)).containsExactly(1000.0, 2000.0, 4000.0, 8000.0);
        assertThat(proposed.get(4)).isCloseTo(5656.9, within(0.1));
        assertThat(proposed.get(5)).isCloseTo(4756.8, within(0.1));
        assertThat(r.best().getAsDouble()).isCloseTo(4756.8, within(0.1));
    }

    @Test
    void stopsAtTheMaximumAndStepsDownWhenTheFirstStepFails() {
        RateStepper up = new RateStepper(1000, 2, 3000, 2, 0.1);
        up.record(new RateStepper.Step(1000, 1000, 0, 0, 0, true, ""));
        assertThat(up.next().getAsDouble()).isEqualTo(2000);
        up.record(new RateStepper.Step(2000, 2000, 0, 0, 0, true, ""));
        assertThat(up.next().getAsDouble()).isEqualTo(3000);
        up.record(new RateStepper.Step(3000, 3000, 0, 0, 0, true, ""));
        assertThat(up.next()).isEmpty();

        RateStepper down = new RateStepper(1000, 2, 8000, 2, 0.1);
        down.record(new RateStepper.Step(1000, 1000, 0, 0, 0, false, ""));
        assertThat(down.next().getAsDouble()).isEqualTo(500);
        down.record(new RateStepper.Step(500, 500, 0, 0, 0, false, ""));
        assertThat(down.next().getAsDouble()).isEqualTo(250);
        down.record(new RateStepper.Step(250, 250, 0, 0, 0, false, ""));
        assertThat(down.next()).isEmpty();
        assertThat(down.best()).isEmpty();
    }
}
