package io.dsplane.fleetsim.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * RateStepper finds the highest input rate the control plane sustains (M3): it proposes a rate, the
 * benchmark holds it for one step while sampling the backlog (consumer lag plus outbox rows), and
 * {@link #judge} decides whether the backlog stayed bounded. Rates grow by {@code factor} until a step
 * fails; then a few geometric bisections between the last sustained and the first failed rate narrow
 * the answer. If the very first step fails, the rate goes down by {@code factor} instead.
 *
 * <p>Bounded means, with the backlog taken as the MINIMUM over each third of the step (committed
 * offsets move in jumps, every few seconds for some consumers, so single samples saw-tooth): the
 * minimum of the last third is at most {@code max(backlogAllowance, target x maxBacklogSeconds)}, and
 * it grew from the first third by at most {@link Criteria#maxGrowth} events per second. The
 * producer must also have reached {@code minAchievedShare} of the target, or the step says nothing
 * about the control plane.
 */
public final class RateStepper {

    /**
     * Criteria of a sustained step; {@link #DEFAULT}: 95 % achieved, growth <= max(2 % of the rate,
     * 10 events/s), backlog <= max(2,000, 5 s of input).
     */
    public record Criteria(double minAchievedShare, double maxGrowthShare, double minGrowthAllowance,
            double maxBacklogSeconds, long backlogAllowance) {
        public static final Criteria DEFAULT = new Criteria(0.95, 0.02, 10, 5.0, 2000);

        /** maxGrowth is the backlog growth (events/s) still counted as bounded at {@code rate}. */
        public double maxGrowth(double rate) {
            return Math.max(maxGrowthShare * rate, minGrowthAllowance);
        }
    }

    /** One backlog sample, {@code atSeconds} after the step began. */
    public record Sample(double atSeconds, long backlog) {
    }

    /** The verdict on one step. {@code growthPerSecond} is the trend of the windowed minimum. */
    public record Step(double target, double achieved, long startBacklog, long endBacklog, double growthPerSecond,
            boolean sustained, String why) {
    }

    private final double start;
    private final double factor;
    private final double max;
    private final double min;
    private final int refinements;
    private final double tolerance;
    private final List<Step> steps = new ArrayList<>();
    private double lastPass = Double.NaN;
    private double firstFail = Double.NaN;
    private int refined;

    /**
     * @param start       first rate (events/s)
     * @param factor      growth per step (> 1)
     * @param max         never propose more than this
     * @param refinements bisections after the first failure (or steps down if the first step fails)
     * @param tolerance   stop refining once firstFail / lastPass <= 1 + tolerance
     */
    public RateStepper(double start, double factor, double max, int refinements, double tolerance) {
        if (!(start > 0) || !(factor > 1) || !(max >= start) || refinements < 0 || tolerance < 0) {
            throw new IllegalArgumentException("need start > 0, factor > 1, max >= start, refinements >= 0");
        }
        this.start = start;
        this.factor = factor;
        this.max = max;
        this.min = start / Math.pow(factor, refinements);
        this.refinements = refinements;
        this.tolerance = tolerance;
    }

    /** next is the rate of the next step, or empty when the search is over; it changes nothing. */
    public OptionalDouble next() {
        if (steps.isEmpty()) {
            return OptionalDouble.of(start);
        }
        if (Double.isNaN(firstFail)) {
            if (lastPass >= max) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(Math.min(max, lastPass * factor));
        }
        if (refined >= refinements) {
            return OptionalDouble.empty();
        }
        if (Double.isNaN(lastPass)) {
            double down = firstFail / factor;
            return down < min * 0.999 ? OptionalDouble.empty() : OptionalDouble.of(down);
        }
        if (firstFail / lastPass <= 1 + tolerance) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.sqrt(lastPass * firstFail));
    }

    /** record adds the verdict on the step just run. */
    public void record(Step step) {
        if (!Double.isNaN(firstFail)) {
            refined++; // every step after the first failure is a refinement
        }
        steps.add(step);
        if (step.sustained()) {
            lastPass = Double.isNaN(lastPass) ? step.target() : Math.max(lastPass, step.target());
        } else {
            firstFail = Double.isNaN(firstFail) ? step.target() : Math.min(firstFail, step.target());
        }
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** best is the achieved rate of the highest sustained step, if any. */
    public OptionalDouble best() {
        return steps.stream().filter(Step::sustained).mapToDouble(Step::achieved).max();
    }

    /** judge decides whether a step of {@code target} events/s (the producer reached {@code achieved}) was sustained. */
    public static Step judge(double target, double achieved, List<Sample> samples, Criteria c) {
        if (samples.size() < 3) {
            return new Step(target, achieved, -1, -1, Double.NaN, false, "too few backlog samples");
        }
        double span = samples.get(samples.size() - 1).atSeconds() - samples.get(0).atSeconds();
        double t0 = samples.get(0).atSeconds();
        long firstMin = Long.MAX_VALUE;
        long lastMin = Long.MAX_VALUE;
        double firstAt = 0;
        double lastAt = 0;
        int firstN = 0;
        int lastN = 0;
        for (Sample s : samples) {
            double rel = span <= 0 ? 0 : (s.atSeconds() - t0) / span;
            if (rel <= 1.0 / 3) {
                firstMin = Math.min(firstMin, s.backlog());
                firstAt += s.atSeconds();
                firstN++;
            }
            if (rel >= 2.0 / 3) {
                lastMin = Math.min(lastMin, s.backlog());
                lastAt += s.atSeconds();
                lastN++;
            }
        }
        if (firstN == 0 || lastN == 0) {
            return new Step(target, achieved, -1, -1, Double.NaN, false, "too few backlog samples");
        }
        double dt = lastAt / lastN - firstAt / firstN;
        double growth = dt <= 0 ? 0 : (lastMin - firstMin) / dt;
        long allowed = Math.max(c.backlogAllowance(), Math.round(target * c.maxBacklogSeconds()));
        String why;
        boolean ok;
        if (achieved < c.minAchievedShare() * target) {
            ok = false;
            why = String.format("the generator reached only %.0f of %.0f events/s", achieved, target);
        } else if (lastMin > allowed) {
            ok = false;
            why = String.format("backlog %d > allowed %d", lastMin, allowed);
        } else if (growth > c.maxGrowth(target)) {
            ok = false;
            why = String.format("backlog grew %.0f/s > %.0f/s", growth, c.maxGrowth(target));
        } else {
            ok = true;
            why = String.format("backlog %d (<= %d), trend %+.0f/s", lastMin, allowed, growth);
        }
        return new Step(target, achieved, firstMin, lastMin, growth, ok, why);
    }
}
