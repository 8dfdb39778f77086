package io.dsplane.fleetsim;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * FleetSimMain runs the simulator until it is stopped (or for {@code --duration}); started by
 * infra/sim/run and infra/sim/demo. Prints a status line every {@code --status-every}.
 */
public final class FleetSimMain {

    static final String USAGE = """
            Usage: infra/sim/run [options]
              --bootstrap HOST:PORT      Kafka (127.0.0.1:9092)
              --nodes N                  nodes to simulate (36)
              --profile FILE             node profile, YAML or JSON (infra/sim/profiles/default.yaml)
              --prefix NAME              node names are NAME-<pool>-NNNN (sim)
              --heartbeat-interval D     per node (10s; the node lifecycle grace period is 40s)
              --ready-delay D            bound pod -> Running report (2s, +-20 %)
              --fail-fraction F          share of pods reported Failed instead of Running (0)
              --seed N                   random seed (1)
              --duration D               stop after this long (default: run until killed)
              --status-every D           status line period (10s)
              --no-pod-status            register and heartbeat only; do not report pod status
            Durations: 250ms, 10s, 2m.""";

    private FleetSimMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parseOrExit(argv, Set.of("bootstrap", "nodes", "profile", "prefix", "heartbeat-interval",
                    "ready-delay", "fail-fraction", "seed", "duration", "status-every"), Set.of("no-pod-status", "help"), USAGE);
        if (args == null) {
            return;
        }
        int n = args.getInt("nodes", 36);
        Profile profile = Profile.load(Path.of(args.get("profile", "infra/sim/profiles/default.yaml")));
        double fail = args.getDouble("fail-fraction", 0);
        if (fail < 0 || fail > 1) {
            throw new IllegalArgumentException("--fail-fraction must be within [0, 1]");
        }
        FleetSimulator.Config config = new FleetSimulator.Config(args.get("bootstrap", "127.0.0.1:9092"),
                args.getDuration("heartbeat-interval", Duration.ofSeconds(10)), !args.has("no-pod-status"),
                args.getDuration("ready-delay", Duration.ofSeconds(2)), fail, true, args.getInt("seed", 1));
        Duration duration = args.getDuration("duration", Duration.ZERO);
        Duration statusEvery = args.getDuration("status-every", Duration.ofSeconds(10));
        List<SimNode> nodes = profile.nodes(args.get("prefix", "sim"), n, 0);

        CountDownLatch stop = new CountDownLatch(1);
        try (FleetSimulator sim = new FleetSimulator(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            sim.start();
            List<java.util.concurrent.CompletableFuture<Long>> acks = sim.register(nodes);
            sim.flush();
            for (java.util.concurrent.CompletableFuture<Long> f : acks) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    System.err.println("ERROR: registration not acknowledged by Kafka at " + config.bootstrap() + ": "
                            + e.getMessage());
                    System.exit(1);
                }
            }
            StringBuilder pools = new StringBuilder();
            int[] counts = profile.apportion(n);
            for (int i = 0; i < counts.length; i++) {
                pools.append(i == 0 ? "" : ", ").append(counts[i]).append(' ').append(profile.pools().get(i).name());
            }
            System.out.printf("%s fleet-sim: %d nodes registered (%s); heartbeat every %s; pod status %s%n", now(), n,
                    pools, Args.format(config.heartbeatInterval()), config.reportPodStatus()
                            ? "after ~" + Args.format(config.readyDelay()) + (fail > 0 ? ", " + fail * 100 + " % Failed" : "")
                            : "off");
            long end = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                long wait = Math.min(statusEvery.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000));
                if (stop.await(wait, TimeUnit.MILLISECONDS)) {
                    break;
                }
                System.out.printf("%s fleet-sim: nodes %d, heartbeats %d, pods reported Running %d / Failed %d / "
                        + "stopped %d, send errors %d%s%n", now(), sim.nodes().size(), sim.heartbeatsSent.get(),
                        sim.runningReported.get(), sim.failedReported.get(), sim.stoppedReported.get(),
                        sim.sendErrors.get(),
                        sim.lastError() == null ? "" : " (last: " + sim.lastError() + ")");
            }
            System.out.printf("%s fleet-sim: stopping%n", now());
        }
    }

    private static LocalTime now() {
        return LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
