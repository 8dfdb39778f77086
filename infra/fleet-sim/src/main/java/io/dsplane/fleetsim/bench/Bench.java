package io.dsplane.fleetsim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.Topics;
import io.dsplane.fleetsim.AgentMessages;
import io.dsplane.fleetsim.Args;
import io.dsplane.fleetsim.FleetSimulator;
import io.dsplane.fleetsim.Profile;
import io.dsplane.fleetsim.SimNode;

/**
 * Bench measures the running local control plane (infra/bench/run starts it and gives it a fresh
 * state): M1 cold convergence, M4 memory at the end of M1, the raw Kafka/PostgreSQL floor, M2 node-join
 * latency under churn, and M3 the highest sustained node-status input rate. Prints a text report and
 * writes the same figures as JSON. See docs/benchmarks.md.
 */
public final class Bench {

    static final String USAGE = """
            Usage: infra/bench/run [--reuse] [options]      (the script passes the options on to this program)
              --nodes N              nodes registered for M1 (500)
              --daemonsets D         DaemonSets, each on every node (10)
              --churn-rate R         M2 background churn, workload pod creates+deletes per second on pod-service (50)
              --out FILE             JSON report (infra/bench/results/bench-<N>x<D>-<time>.json)
              --profile FILE         node profile (infra/sim/profiles/default.yaml)
              --joins J              M2: nodes that join, one by one (50)
              --join-interval D      M2: pause between joins (250ms)
              --join-timeout D       M2: give up on joins this long after the last one (180s)
              --churn-lead D         M2: the churn runs this long before the first join (30s)
              --churn-tail D         M2: the churn stops this long after the last join, or when all joins completed (30s)
              --churn-pool P         M2: workload pods kept alive by the churn (500)
              --m2-drain-timeout D   the floor and M2: wait at most this long for the backlog M1 left to drain (300s)
              --m1-timeout D         M1: give up after this (30m)
              --m1-stall D           M1: give up when no new pod appeared for this long (150s)
              --m3-start R           M3: first rate, events/s (1000)
              --m3-factor F          M3: rate growth per step (2)
              --m3-max R             M3: highest rate tried (64000)
              --m3-step D            M3: duration of a step (30s)
              --m3-refinements K     M3: bisections after the first failure (2)
              --m3-heartbeat-share S M3: share of pure heartbeats among the events (0.5); the rest change status
              --m3-drain-timeout D   M3: wait at most this long for the backlog to drain before a step (180s)
              --heartbeat-interval D fleet heartbeat period per node (10s)
              --skip LIST            leave out phases: m2, m3, floor (comma-separated)
              --warmup NxD           before M1, converge N nodes x D DaemonSets in namespace bench-warmup and remove
                                     them again, so that M1 runs on warm JVMs (off; reported when used)
              --jfr DIR              record M1, M2 and M3 with JFR in every service, files in DIR
              --pod-status           agents also report pods Running (off: M1 measures materialization only)
              --bootstrap HOST:PORT  Kafka (127.0.0.1:9092)
              --db-url URL           the control plane's database (jdbc:postgresql://127.0.0.1:5432/dsplane)
              --db-user USER         (postgres)
              --root DIR             repository root, for .local/pids (.)
              --note TEXT            free text stored in the JSON report""";

    static final String NAMESPACE = "bench";
    static final List<String> SERVICES = List.of("node-registry-service", "daemonset-service", "scheduler-service",
            "pod-service");

    private final Args args;
    private final String bootstrap;
    private final Path root;
    private final Rest rest = new Rest();
    private final ObjectNode json = JsonNodeFactory.instance.objectNode();
    private final StringBuilder report = new StringBuilder();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private volatile String phase = "setup";
    private final Map<String, Map<String, Long>> maxBacklog = new ConcurrentHashMap<>();
    /**
     * M3 samples the backlog five times per commit interval of the services' consumers (1 s), so that
     * the minimum over a third of a step sees the trough right after a commit. At one sample per second,
     * samples and commits ran at the same period; the phase between them drifted over a step and read
     * as a growth (or shrink) of up to one second of input, which failed steps the machine was idle in.
     */
    private static final long M3_SAMPLE_MS = 200;
    private volatile Map<String, Long> lastLag = Map.of();
    private volatile Map<String, Long> lastOutbox = Map.of();
    private CpuAccounting cpu;

    private Bench(Args args) {
        this.args = args;
        this.bootstrap = args.get("bootstrap", "127.0.0.1:9092");
        this.root = Path.of(args.get("root", "."));
        ports.put("node-registry-service", envPort("NODE_REGISTRY_PORT", 8081));
        ports.put("daemonset-service", envPort("DAEMONSET_PORT", 8082));
        ports.put("scheduler-service", envPort("SCHEDULER_PORT", 8083));
        ports.put("pod-service", envPort("POD_PORT", 8084));
    }

    private static int envPort(String name, int def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }

    private String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parseOrExit(argv, Set.of("nodes", "daemonsets", "churn-rate", "out", "profile", "joins",
                    "join-interval", "join-timeout", "churn-pool", "m2-drain-timeout", "churn-lead", "churn-tail", "m1-timeout", "m1-stall", "m3-start", "m3-factor", "m3-max",
                    "m3-step", "m3-refinements", "m3-heartbeat-share", "m3-drain-timeout", "heartbeat-interval", "skip",
                    "jfr", "bootstrap", "db-url", "db-user", "root", "note", "warmup"), Set.of("pod-status", "help"), USAGE);
        if (args == null) {
            return;
        }
        int code = new Bench(args).run();
        System.exit(code);
    }

    // ------------------------------------------------------------------ the run

    private int run() throws Exception {
        int n = args.getInt("nodes", 500);
        int d = args.getInt("daemonsets", 10);
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("--nodes and --daemonsets must be >= 1");
        }
        Set<String> skip = Set.of(args.get("skip", "").split(","));
        String out = args.get("out", "infra/bench/results/bench-" + n + "x" + d + "-"
                + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "") + ".json");
        Profile profile = Profile.load(Path.of(args.get("profile", "infra/sim/profiles/default.yaml")));
        Path jfrDir = args.isSet("jfr") ? Path.of(args.get("jfr", "")) : null;
        if (jfrDir != null) {
            Files.createDirectories(jfrDir);
        }

        machine();
        for (String svc : SERVICES) {
            if (!rest.ready(url(svc))) {
                System.err.println("ERROR: " + svc + " is not ready at " + url(svc) + " (start it: infra/local/up)");
                return 1;
            }
            pids.put(svc, readPid(svc));
        }
        pids.put("kafka", readPid("kafka"));
        cpu = new CpuAccounting(pids);
        StreamHealth.Snapshot healthAtStart = streamHealth();
        var existing = rest.get(url("daemonset-service") + "/apis/apps/v1/namespaces/" + NAMESPACE + "/daemonsets");
        if (existing.statusCode() == 200 && existing.body().contains("\"uid\"")) {
            System.err.println("ERROR: namespace " + NAMESPACE + " already has DaemonSets from an earlier benchmark; "
                    + "run infra/bench/run without --reuse (it starts from a purged state)");
            return 1;
        }
        ObjectNode config = json.putObject("config");
        config.put("nodes", n).put("daemonsets", d).put("expectedPods", (long) n * d)
                .put("profile", args.get("profile", "infra/sim/profiles/default.yaml"))
                .put("heartbeatInterval", args.get("heartbeat-interval", "10s"))
                .put("podStatusReports", args.has("pod-status")).put("note", args.get("note", ""));
        say("dsplane benchmark: %d nodes x %d DaemonSets = %d daemon pods; services %s", n, d, (long) n * d, pids);

        String dbUrl = args.get("db-url", "jdbc:postgresql://127.0.0.1:5432/dsplane");
        String dbUser = args.get("db-user", "postgres");
        try (LagProbe lag = new LagProbe(bootstrap, dbUrl, dbUser);
                Watch watch = new Watch(bootstrap, NAMESPACE);
                FleetSimulator fleet = new FleetSimulator(new FleetSimulator.Config(bootstrap,
                        args.getDuration("heartbeat-interval", Duration.ofSeconds(10)), args.has("pod-status"),
                        Duration.ofSeconds(2), 0, false, 1))) {
            List<String> groups = lag.groups();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-lag-sampler");
                t.setDaemon(true);
                return t;
            });
            List<String>[] groupRef = new List[] {groups};
            sampler.scheduleWithFixedDelay(() -> sampleBacklog(lag, groupRef), 0, 1, TimeUnit.SECONDS);
            fleet.start();
            if (args.isSet("warmup")) {
                warmup(lag, groups, profile, args.get("warmup", ""));
            }

            List<SimNode> nodes = profile.nodes("bn", n, 0);
            boolean converged = m1(fleet, watch, lag, nodes, d, jfrDir);
            groupRef[0] = lag.groups();
            m4();
            if (!skip.contains("floor")) {
                // A floor measured beside M1's backlog would share the machine with it (at 5,000 x 20 the
                // scheduler used 8.6 CPU-s during the floor).
                Drained drained = drainM1Backlog(lag, groupRef);
                floor(lag, (long) n * d, watch, dbUrl, dbUser, drained.seconds(), drained.drained());
            }
            if (!skip.contains("m2") && converged) {
                // Joins behind M1's backlog would time its drain, not a join.
                Drained drained = drainM1Backlog(lag, groupRef);
                m2(fleet, watch, profile, nodes, n, d, jfrDir, drained.seconds(), drained.drained(),
                        backlog(lag, groupRef[0]));
            }
            if (!skip.contains("m3") && converged) {
                groupRef[0] = lag.groups();
                m3(fleet, watch, lag, groupRef[0], jfrDir);
            }
            sampler.shutdownNow();
            StreamHealth.Snapshot health = streamHealth().since(healthAtStart);
            json.set("streamHealth", healthJson(health));
            report.append("Fences and rebalances over the whole run: ").append(health.text()).append('\n');
            json.putObject("loadAverageEnd").put("loadavg", readFile("/proc/loadavg").trim());
            if (watch.error() != null) {
                json.put("watchError", watch.error());
            }
        }

        Path outPath = Path.of(out);
        if (outPath.getParent() != null) {
            Files.createDirectories(outPath.getParent());
        }
        Files.writeString(outPath, KubeJson.json().copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(json) + "\n");
        System.out.println();
        System.out.println("==================== dsplane benchmark report ====================");
        System.out.print(report);
        System.out.println("JSON: " + outPath);
        return 0;
    }

    // ------------------------------------------------------------------ warm-up

    /** The namespace of the warm-up DaemonSets; M1's watch counts only {@link #NAMESPACE}. */
    static final String WARMUP_NAMESPACE = "bench-warmup";

    /**
     * warmup converges {@code spec} (NODESxDAEMONSETS) in a namespace of its own, with agents of their
     * own, then deletes those DaemonSets and nodes and waits until their pods are gone and every backlog
     * has drained: M1 then starts from the same empty fleet, but with JVMs (broker and services) whose
     * hot paths are compiled. Reported, so that cold and warm runs are never mixed up.
     */
    private void warmup(LagProbe lag, List<String> groups, Profile profile, String spec) throws Exception {
        String[] nd = spec.toLowerCase(Locale.ROOT).split("x");
        if (nd.length != 2) {
            throw new IllegalArgumentException("--warmup wants NODESxDAEMONSETS, e.g. 200x5: " + spec);
        }
        int wn = Integer.parseInt(nd[0].trim());
        int wd = Integer.parseInt(nd[1].trim());
        phase = "warmup";
        say("warm-up: %d nodes x %d DaemonSets in namespace %s, then removed ...", wn, wd, WARMUP_NAMESPACE);
        long t0 = System.nanoTime();
        List<SimNode> nodes = profile.nodes("wu", wn, 0);
        String dsUrl = url("daemonset-service") + "/apis/apps/v1/namespaces/" + WARMUP_NAMESPACE + "/daemonsets";
        try (Watch watch = new Watch(bootstrap, WARMUP_NAMESPACE);
                FleetSimulator agents = new FleetSimulator(new FleetSimulator.Config(bootstrap, Duration.ofSeconds(10),
                        false, Duration.ofSeconds(2), 0, false, 1))) {
            agents.start();
            for (CompletableFuture<Long> f : agents.register(nodes)) {
                f.get(120, TimeUnit.SECONDS);
            }
            for (int i = 1; i <= wd; i++) {
                var resp = rest.post(dsUrl, daemonSetJson(i));
                if (resp.statusCode() != 201) {
                    throw new IllegalStateException("warm-up DaemonSet " + i + " answered " + resp.statusCode());
                }
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (watch.daemonPods() < (long) wn * wd) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("warm-up did not converge: " + watch.daemonPods() + " of "
                            + (long) wn * wd + " pods");
                }
                Thread.sleep(200);
            }
        } // the warm-up agents stop here, so nothing registers their nodes again
        long converged = System.nanoTime();
        // Nodes first: the pods of a deleted node go at once, while those of a deleted DaemonSet would
        // wait out their grace period (their agents are gone and never report them stopped).
        List<CompletableFuture<?>> deletes = new ArrayList<>();
        for (SimNode node : nodes) {
            deletes.add(rest.deleteAsync(url("node-registry-service") + "/api/v1/nodes/" + node.name()));
        }
        for (CompletableFuture<?> f : deletes) {
            f.get(60, TimeUnit.SECONDS);
        }
        deletes.clear();
        for (int i = 1; i <= wd; i++) {
            deletes.add(rest.deleteAsync(dsUrl + "/" + daemonSetName(i)));
        }
        for (CompletableFuture<?> f : deletes) {
            f.get(60, TimeUnit.SECONDS);
        }
        String podsUrl = url("pod-service") + "/api/v1/namespaces/" + WARMUP_NAMESPACE + "/pods";
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (rest.get(podsUrl).body().contains("\"uid\"") || !drain(lag, groups, RateStepper.Criteria.DEFAULT,
                Duration.ofSeconds(1))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the warm-up's pods were not removed within 5 minutes");
            }
            Thread.sleep(500);
        }
        double convergeSeconds = (converged - t0) / 1e9;
        double totalSeconds = (System.nanoTime() - t0) / 1e9;
        json.putObject("warmup").put("nodes", wn).put("daemonsets", wd).put("pods", (long) wn * wd)
                .put("secondsToConverge", convergeSeconds).put("secondsInAll", totalSeconds);
        report.append(String.format(Locale.ROOT, "Warm-up before M1: %d nodes x %d DaemonSets = %d pods converged in"
                + " %.1f s and removed again (%.1f s in all); M1 below runs on warm JVMs%n", wn, wd, (long) wn * wd,
                convergeSeconds, totalSeconds));
        say("warm-up: done after %.1f s", totalSeconds);
    }

    // ------------------------------------------------------------------ M1

    private boolean m1(FleetSimulator fleet, Watch watch, LagProbe lag, List<SimNode> nodes, int d, Path jfrDir)
            throws Exception {
        phase = "m1";
        long expected = (long) nodes.size() * d;
        say("M1: registering %d nodes on %s and creating %d DaemonSets ...", nodes.size(), Topics.NODE_STATUS, d);
        if (jfrDir != null) {
            jfrStart();
        }
        String dbPassword = dbPassword();
        Traffic.Snapshot traffic0 = Traffic.snapshot(lag.admin(), dbUrl(), dbUser(), dbPassword);
        StreamHealth.Snapshot health0 = streamHealth();
        CpuAccounting.Snapshot cpu0 = cpu.snapshot();
        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        List<CompletableFuture<Long>> acks = fleet.register(nodes);
        fleet.flush();
        long dsAck = t0;
        for (int i = 1; i <= d; i++) {
            var resp = rest.post(url("daemonset-service") + "/apis/apps/v1/namespaces/" + NAMESPACE + "/daemonsets",
                    daemonSetJson(i));
            if (resp.statusCode() != 201) {
                throw new IllegalStateException("creating DaemonSet " + i + " answered " + resp.statusCode() + ": "
                        + resp.body());
            }
            dsAck = System.nanoTime();
        }
        long nodeAck = t0;
        for (CompletableFuture<Long> f : acks) {
            nodeAck = Math.max(nodeAck, f.get(120, TimeUnit.SECONDS));
        }
        long lastInput = Math.max(nodeAck, dsAck);
        say("M1: inputs acknowledged after %s (nodes %s, DaemonSets %s); waiting for %d pods", Fmt.seconds(lastInput - t0),
                Fmt.seconds(nodeAck - t0), Fmt.seconds(dsAck - t0), expected);

        long timeout = args.getDuration("m1-timeout", Duration.ofMinutes(30)).toNanos();
        long stall = args.getDuration("m1-stall", Duration.ofSeconds(150)).toNanos();
        long lastPrint = System.nanoTime();
        double[] marks = {0.5, 0.9, 0.99};
        double[] markSeconds = {Double.NaN, Double.NaN, Double.NaN};
        int lastCount = 0;
        long lastProgress = System.nanoTime();
        boolean stalled = false;
        CpuAccounting.Snapshot cpuAtProgress = cpu0;
        while (watch.daemonPods() < expected && System.nanoTime() - t0 < timeout) {
            Thread.sleep(50);
            int count = watch.daemonPods();
            long now = System.nanoTime();
            mark(marks, markSeconds, count, expected, watch.lastPodSeenNanos() - t0);
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
                if (now - cpuAtProgress.nanos() > 1_000_000_000L) {
                    cpuAtProgress = cpu.snapshot(); // so that a stall does not count in the CPU figures
                }
            } else if (count > 0 && now - lastProgress > stall) {
                stalled = true;
                say("M1: no new pod for %s: giving up (see the nodes with missing pods in the report)",
                        Args.format(Duration.ofNanos(stall)));
                break;
            }
            if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                lastPrint = System.nanoTime();
                say("M1: %6d / %d pods, %6d CREATE decisions, lag %s, outbox %s", watch.daemonPods(), expected,
                        watch.benchCreates.get(), lastLag, lastOutbox);
            }
        }
        // The last pods may arrive between the loop's last look and its condition: mark them too.
        mark(marks, markSeconds, watch.daemonPods(), expected, watch.lastPodSeenNanos() - t0);
        boolean done = watch.daemonPods() >= expected;
        CpuAccounting.Snapshot cpu1 = stalled ? cpuAtProgress : cpu.snapshot();
        Thread.sleep(1200); // let the sampler see the end state, and PostgreSQL flush its statistics
        Traffic.Snapshot traffic1 = Traffic.snapshot(lag.admin(), dbUrl(), dbUser(), dbPassword);
        StreamHealth.Snapshot health = streamHealth().since(health0);
        if (jfrDir != null) {
            jfrStop(jfrDir, "m1");
        }
        long lastPod = watch.lastPodSeenNanos();
        long pods = watch.daemonPods();
        ObjectNode m1 = json.putObject("m1");
        m1.put("converged", done).put("expectedPods", expected).put("pods", pods);
        int complete = 0;
        for (SimNode node : nodes) {
            if (watch.podsOn(node.name()) == d) {
                complete++;
            }
        }
        m1.put("nodesWithAllPods", complete).put("stalled", stalled);
        List<String> missing = new ArrayList<>();
        for (SimNode node : nodes) {
            long on = watch.podsOn(node.name());
            if (on != d) {
                missing.add(node.name() + " (" + on + " of " + d + ")");
            }
        }
        if (!missing.isEmpty()) {
            m1.putPOJO("nodesMissingPods", missing.subList(0, Math.min(50, missing.size())));
        }
        ObjectNode mj = m1.putObject("secondsToShareOfPods");
        for (int i = 0; i < marks.length; i++) {
            mj.put(String.valueOf(marks[i]), markSeconds[i]);
        }
        if (pods == 0) {
            report.append("M1 cold convergence: NO pods materialized within the timeout\n");
            m1.put("error", "no pods");
            return false;
        }
        double fromFirst = (lastPod - t0) / 1e9;
        double fromLast = (lastPod - lastInput) / 1e9;
        double lastInputWall = wall0 + (lastInput - t0) / 1e6;
        double commitFromFirst = (watch.lastPodEventMillis() - wall0) / 1e3;
        double commitFromLast = (watch.lastPodEventMillis() - lastInputWall) / 1e3;
        double decisionsDone = watch.lastCreateSeenNanos() < 0 ? Double.NaN : (watch.lastCreateSeenNanos() - t0) / 1e9;
        double firstPod = (watch.firstPodSeenNanos() - t0) / 1e9;
        m1.put("inputsAckedSeconds", (lastInput - t0) / 1e9).put("nodeRegistrationsAckedSeconds", (nodeAck - t0) / 1e9)
                .put("daemonSetsAckedSeconds", (dsAck - t0) / 1e9)
                .put("firstPodSeenSeconds", firstPod)
                .put("lastPodSeenFromFirstInputSeconds", fromFirst).put("lastPodSeenFromLastInputSeconds", fromLast)
                .put("lastPodCommittedFromFirstInputSeconds", commitFromFirst)
                .put("lastPodCommittedFromLastInputSeconds", commitFromLast)
                .put("lastCreateDecisionSeenSeconds", decisionsDone).put("createDecisions", watch.benchCreates.get())
                .put("podsPerSecond", pods / fromFirst).put("averagePodEventBytes", watch.averagePodBytes());
        m1.set("maxBacklog", backlogJson("m1"));
        m1.set("streamHealth", healthJson(health));
        Map<String, Double> cpuM1 = CpuAccounting.between(cpu0, cpu1);
        m1.set("cpuSeconds", cpuJson(cpuM1));
        Map<String, double[]> jvmThreadsM1 = CpuAccounting.jvmThreadsBetween(cpu0, cpu1);
        m1.set("jitAndGcCpuSeconds", jvmThreadsJson(jvmThreadsM1));
        double planeCpu = controlPlaneCpu(cpuM1);
        m1.put("controlPlaneCpuSeconds", planeCpu).put("podsPerControlPlaneCpuSecond", pods / planeCpu);
        Map<String, Long> records = Traffic.topicDelta(traffic0, traffic1);
        Map<String, Long> dbWork = Traffic.databaseDelta(traffic0, traffic1);
        long totalRecords = records.values().stream().mapToLong(Long::longValue).sum();
        ObjectNode rj = m1.putObject("kafkaRecordsAppended");
        records.forEach(rj::put);
        ObjectNode dj = m1.putObject("postgresCounters");
        dbWork.forEach(dj::put);
        List<Traffic.SqlStatement> statements = Traffic.statementDelta(traffic0, traffic1);
        var sj = m1.putArray("postgresStatements");
        statements.stream().limit(20).forEach(st -> sj.addObject().put("totalMillis", st.totalMillis())
                .put("calls", st.calls()).put("rows", st.rows()).put("query", oneLine(st.query(), 400)));
        StringBuilder topRecords = new StringBuilder();
        records.entrySet().stream().limit(6).forEach(e -> topRecords.append(topRecords.length() == 0 ? "" : ", ")
                .append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.1f", e.getValue() / (double) pods)));
        report.append(String.format(Locale.ROOT, "M1 cold convergence (%d nodes x %d DaemonSets = %d pods)%s%n",
                nodes.size(), d, expected, done ? "" : "  *** NOT CONVERGED: " + pods + " pods ***"));
        report.append(new Fmt.Table()
                .row("inputs acknowledged (nodes on Kafka / DaemonSets over REST)", String.format(Locale.ROOT,
                        "%.2f s (%.2f / %.2f)", (lastInput - t0) / 1e9, (nodeAck - t0) / 1e9, (dsAck - t0) / 1e9))
                .row("first pod seen on " + Topics.PODS, String.format(Locale.ROOT, "%.2f s", firstPod))
                .row("last CREATE decision seen (scheduler done)", String.format(Locale.ROOT, "%.2f s", decisionsDone))
                .row("last pod committed (event timestamp) from first / last input",
                        String.format(Locale.ROOT, "%.2f s / %.2f s", commitFromFirst, commitFromLast))
                .row("last pod seen on the topic from first / last input",
                        String.format(Locale.ROOT, "%.2f s / %.2f s", fromFirst, fromLast))
                .row("50 % / 90 % / 99 % of the pods seen after", String.format(Locale.ROOT, "%.2f s / %.2f s / %.2f s",
                        markSeconds[0], markSeconds[1], markSeconds[2]))
                .row("throughput (pods / time from first input)", String.format(Locale.ROOT, "%.0f pods/s", pods / fromFirst))
                .row("nodes with all their pods", complete + " / " + nodes.size())
                .row("nodes still missing pods", missing.isEmpty() ? "none" : missing.size() + ": "
                        + String.join(", ", missing.subList(0, Math.min(5, missing.size()))))
                .row("max backlog during M1", backlogText("m1"))
                .row("fences and rebalances during M1", health.text())
                .row("CPU seconds during M1", cpuText(cpuM1))
                .row("of which JIT compiler / GC threads (CPU-s)", jvmThreadsText(jvmThreadsM1))
                .row("pods per CPU-second of the control plane (4 services + Kafka + PostgreSQL)",
                        String.format(Locale.ROOT, "%.0f  (%.1f ms of CPU per pod)", pods / planeCpu,
                                planeCpu * 1000 / pods))
                .row("Kafka records appended per pod (all topics)" + (stalled ? ", incl. the stall" : ""),
                        String.format(Locale.ROOT, "%.1f; largest: %s", totalRecords / (double) pods, topRecords))
                .row("PostgreSQL per pod (database dsplane)" + (stalled ? ", incl. the stall" : ""),
                        String.format(Locale.ROOT,
                        "%.2f commits, %.1f rows inserted, %.1f updated, %.1f deleted",
                        dbWork.getOrDefault("commits", 0L) / (double) pods,
                        dbWork.getOrDefault("rowsInserted", 0L) / (double) pods,
                        dbWork.getOrDefault("rowsUpdated", 0L) / (double) pods,
                        dbWork.getOrDefault("rowsDeleted", 0L) / (double) pods))
                .render("  "));
        if (traffic1.statements() == null) {
            report.append("  PostgreSQL statements: n/a (pg_stat_statements is not in shared_preload_libraries)\n");
        } else {
            report.append("  PostgreSQL statements during M1, most execution time first (time includes lock waits):\n");
            Fmt.Table table = new Fmt.Table();
            statements.stream().limit(8).forEach(st -> table.row(String.format(Locale.ROOT, "%8.1f s %7d calls %8d rows",
                    st.totalMillis() / 1000, st.calls(), st.rows()), oneLine(st.query(), 100)));
            report.append(table.render("    "));
        }
        say("M1: %s after %.2f s from the first input (%.0f pods/s)", done ? "converged" : "NOT converged", fromFirst,
                pods / fromFirst);
        // A few missing pods (see nodesMissingPods) should not keep M2 and M3 from running.
        return pods >= 0.99 * expected;
    }

    /** mark sets each share of the pods not yet marked that {@code count} reaches to {@code sinceStart}. */
    static void mark(double[] shares, double[] seconds, long count, long expected, long sinceStartNanos) {
        for (int i = 0; i < shares.length; i++) {
            if (Double.isNaN(seconds[i]) && count >= shares[i] * expected) {
                seconds[i] = sinceStartNanos / 1e9;
            }
        }
    }

    /** oneLine is a statement's text on one line, at most {@code max} characters. */
    static String oneLine(String sql, int max) {
        String s = sql.replaceAll("\\s+", " ").trim();
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** daemonSetName is the name of the benchmark's i-th DaemonSet (in M1's and in the warm-up's namespace). */
    static String daemonSetName(int i) {
        return String.format("bench-ds-%02d", i);
    }

    static String daemonSetJson(int i) {
        String name = daemonSetName(i);
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app.kubernetes.io/part-of\":\"dsplane-bench\"}},\"spec\":{\"selector\":{\"matchLabels\":"
                + "{\"app\":\"" + name + "\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name
                + "\"}},\"spec\":{\"tolerations\":[{\"operator\":\"Exists\"}],\"containers\":[{\"name\":\"agent\","
                + "\"image\":\"registry.example/bench-agent:" + i + "\",\"resources\":{\"requests\":{\"cpu\":\"10m\","
                + "\"memory\":\"16Mi\"}}}]}}}}";
    }

    // ------------------------------------------------------------------ M4

    private void m4() {
        phase = "m4";
        ObjectNode m4 = json.putObject("m4");
        Fmt.Table table = new Fmt.Table().row("service", "heap used", "heap live", "heap committed", "RSS",
                "RSS peak (VmHWM)");
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            String svc = e.getKey();
            String status = e.getValue() < 0 ? "" : ProcessMemory.readStatus(e.getValue());
            long rss = ProcessMemory.rssBytes(status);
            long peak = ProcessMemory.peakRssBytes(status);
            long heap = -1;
            long live = -1;
            long committed = -1;
            if (ports.containsKey(svc)) {
                try {
                    String metrics = rest.get(url(svc) + "/q/metrics").body();
                    heap = ProcessMemory.sumMetric(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
                    committed = ProcessMemory.sumMetric(metrics, "jvm_memory_committed_bytes", "area=\"heap\"");
                    // Heap used includes garbage not yet collected; after a full collection it is what
                    // the service really holds.
                    Jcmd.run(e.getValue(), "GC.run");
                    live = ProcessMemory.sumMetric(rest.get(url(svc) + "/q/metrics").body(), "jvm_memory_used_bytes",
                            "area=\"heap\"");
                } catch (IOException ex) {
                    // reported as n/a
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            m4.putObject(svc).put("pid", e.getValue()).put("heapUsedBytes", heap).put("heapLiveBytes", live)
                    .put("heapCommittedBytes", committed).put("rssBytes", rss).put("rssPeakBytes", peak);
            table.row(svc, Fmt.mib(heap), Fmt.mib(live), Fmt.mib(committed), Fmt.mib(rss), Fmt.mib(peak));
        }
        Map<String, String> options = new LinkedHashMap<>();
        pids.forEach((svc, pid) -> options.put(svc, ProcessMemory.jvmOptions(ProcessMemory.readCmdline(pid))));
        m4.putPOJO("jvmOptions", options);
        report.append("M4 memory at the end of M1 (JVM options: ").append(jvmOptionsText(options)).append(")\n")
                .append(table.render("  "));
    }

    // ------------------------------------------------------------------ floor

    private void floor(LagProbe lag, long count, Watch watch, String dbUrl, String dbUser, double drainSeconds,
            boolean drained) throws Exception {
        phase = "floor";
        byte[] sample = watch.samplePodValue();
        if (sample == null) {
            return;
        }
        // One real pod event of M1 (its size is printed next to M1's average pod event size).
        // What Kafka, PostgreSQL and the benchmark use meanwhile (the fleet's heartbeats, the watch, the
        // lag sampler), so that it can be taken out of the floor's CPU: at 5,000 nodes it is about a
        // tenth of a core, and the floor's CPU is only a few seconds.
        CpuAccounting.Snapshot quiet0 = cpu.snapshot();
        Thread.sleep(3000);
        Map<String, Double> quiet = CpuAccounting.between(quiet0, cpu.snapshot());
        double backgroundPerSecond = floorCpu(quiet) / quiet.get("wall");
        say("floor: raw Kafka produce -> consume of %d records of %d bytes ...", count, sample.length);
        CpuAccounting.Snapshot cpu0 = cpu.snapshot();
        Floor.Result kafka = Floor.kafka(lag.admin(), bootstrap, partitions(lag), count, sample);
        say("floor: raw PostgreSQL batched insert of %d pod rows ...", count);
        String adminUrl = dbUrl.replaceFirst("/[^/?]*(\\?|$)", "/postgres$1");
        Floor.Result pg = Floor.postgres(adminUrl, dbUser, dbPassword(),
                "dsplane_bench_floor", count, sample);
        Map<String, Double> cpuFloor = CpuAccounting.between(cpu0, cpu.snapshot());
        ObjectNode f = json.putObject("floor");
        f.put("drainedBefore", drained).put("drainSeconds", drainSeconds);
        f.putObject("kafka").put("records", kafka.records()).put("valueBytes", kafka.valueBytes())
                .put("seconds", kafka.nanos() / 1e9).put("perSecond", kafka.perSecond());
        f.putObject("postgres").put("rows", pg.records()).put("bodyBytes", pg.valueBytes())
                .put("seconds", pg.nanos() / 1e9).put("perSecond", pg.perSecond());
        double sum = (kafka.nanos() + pg.nanos()) / 1e9;
        double max = Math.max(kafka.nanos(), pg.nanos()) / 1e9;
        double m1 = json.path("m1").path("lastPodSeenFromFirstInputSeconds").asDouble(Double.NaN);
        f.put("floorSeconds", sum).put("floorSecondsIfOverlapped", max).put("m1OverFloor", m1 / sum)
                .put("m1OverOverlappedFloor", m1 / max);
        f.set("cpuSeconds", cpuJson(cpuFloor));
        double background = backgroundPerSecond * cpuFloor.get("wall");
        double floorCpu = Math.max(0.01, floorCpu(cpuFloor) - background);
        double m1Cpu = json.path("m1").path("controlPlaneCpuSeconds").asDouble(Double.NaN);
        f.put("floorCpuSeconds", floorCpu).put("floorCpuSecondsWithBackground", floorCpu(cpuFloor))
                .put("backgroundCpuPerSecond", backgroundPerSecond).put("m1CpuOverFloorCpu", m1Cpu / floorCpu);
        report.append(String.format(Locale.ROOT, "Floor (same machine, same run, %d records; measured once the"
                + " control plane's backlog %s: waited %.1f s)%n", count, drained ? "drained" : "had NOT drained",
                drainSeconds));
        report.append(new Fmt.Table()
                .row("raw Kafka produce -> consume", String.format(Locale.ROOT, "%.2f s  (%.0f records/s, %d bytes each)",
                        kafka.nanos() / 1e9, kafka.perSecond(), kafka.valueBytes()))
                .row("raw PostgreSQL batched insert", String.format(Locale.ROOT, "%.2f s  (%.0f rows/s, %d-byte JSONB)",
                        pg.nanos() / 1e9, pg.perSecond(), pg.valueBytes()))
                .row("floor = Kafka + PostgreSQL", String.format(Locale.ROOT, "%.2f s  (overlapped: %.2f s)", sum, max))
                .row("M1 / floor", String.format(Locale.ROOT, "%.1fx  (vs overlapped floor: %.1fx); target <= 3x",
                        m1 / sum, m1 / max))
                .row("CPU seconds during the floor", cpuText(cpuFloor))
                .row("M1's CPU / the floor's CPU", String.format(Locale.ROOT, "%.1fx  (%.1f CPU-s of the 4 services,"
                        + " Kafka and PostgreSQL / %.1f CPU-s of Kafka, PostgreSQL and the benchmark, less the %.2f"
                        + " CPU-s/s they used just before it)", m1Cpu / floorCpu, m1Cpu, floorCpu, backgroundPerSecond))
                .render("  "));
    }

    private static int partitions(LagProbe lag) throws Exception {
        return lag.admin().describeTopics(List.of(Topics.PODS)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(Topics.PODS).partitions().size();
    }

    // ------------------------------------------------------------------ M2

    private void m2(FleetSimulator fleet, Watch watch, Profile profile, List<SimNode> nodes, int n, int d,
            Path jfrDir, double drainSeconds, boolean drained, long backlogAtStart) throws Exception {
        phase = "m2";
        double churnRate = args.getDouble("churn-rate", 50);
        int joins = args.getInt("joins", 50);
        Duration interval = args.getDuration("join-interval", Duration.ofMillis(250));
        Duration joinTimeout = args.getDuration("join-timeout", Duration.ofSeconds(180));
        int pool = args.getInt("churn-pool", 500);
        List<String> names = nodes.stream().map(SimNode::name).toList();
        Histogram latency = new Histogram(3_600_000_000L, 3);
        Map<String, Long> pending = new ConcurrentHashMap<>();
        JoinStages stages = new JoinStages(d);
        watch.onHops(stages::nodeEvent, stages::create);
        watch.onDaemonPodAdded((node, seen) -> {
            Long t0 = pending.get(node);
            if (t0 != null && watch.podsOn(node) >= d && pending.remove(node) != null) {
                synchronized (latency) {
                    latency.recordValue(Math.max(0, (seen - t0) / 1000));
                }
                stages.allPods(node, seen);
            }
        });
        say("M2: churn %.0f pod operations/s on pod-service, then %d node joins every %s ...", churnRate, joins,
                Args.format(interval));
        long churnStart = System.nanoTime();
        Churn churn = new Churn(rest, url("pod-service"), churnRate, pool, 64, names);
        List<SimNode> joiners = profile.nodes("bj", joins, n);
        Duration churnTail = args.getDuration("churn-tail", Duration.ofSeconds(30));
        // 30 s: joins then meet the churn's steady state. Started 5 s before them, as until round 10, the
        // churn's REST paths were still being compiled while the first joins ran (half of every JVM's
        // CPU was the JIT's, no core idle), and p99 measured that warm-up: 560-685 ms against 244-329.
        Duration churnLead = args.getDuration("churn-lead", Duration.ofSeconds(30));
        CpuAccounting.Snapshot cpu0 = cpu.snapshot();
        int completedUnderChurn;
        double churnSeconds;
        if (jfrDir != null) {
            jfrStart();
        }
        try {
            churn.start();
            churnStart = System.nanoTime();
            Thread.sleep(churnLead.toMillis());
            for (SimNode node : joiners) {
                long sent = System.nanoTime();
                stages.sent(node.name(), sent);
                pending.put(node.name(), sent);
                fleet.register(List.of(node));
                Thread.sleep(interval.toMillis());
            }
            // Churn goes on until every join completed or churnTail after the last join; then the joins
            // still open may finish (without churn) until joinTimeout after the last join.
            long lastJoin = System.nanoTime();
            long churnStop = lastJoin + churnTail.toNanos();
            while (!pending.isEmpty() && System.nanoTime() < churnStop) {
                Thread.sleep(50);
            }
            completedUnderChurn = joins - pending.size();
            churn.close();
            churnSeconds = (System.nanoTime() - churnStart) / 1e9;
            long deadline = lastJoin + joinTimeout.toNanos();
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            churn.close();
            if (jfrDir != null) {
                jfrStop(jfrDir, "m2");
            }
        }
        Map<String, Double> cpuM2 = CpuAccounting.between(cpu0, cpu.snapshot());
        Histogram churnLatency = churn.latency();
        watch.onDaemonPodAdded((node, seen) -> { });
        watch.onHops((node, seen) -> { }, (node, seen) -> { });
        ObjectNode m2 = json.putObject("m2");
        m2.put("drainSecondsBefore", drainSeconds).put("drainedBefore", drained).put("backlogAtStart", backlogAtStart);
        m2.put("joins", joins).put("joinIntervalMs", interval.toMillis()).put("incomplete", pending.size())
                .put("completedWhileChurnRan", completedUnderChurn).put("churnTailSeconds", churnTail.toSeconds())
                .put("joinTimeoutSeconds", joinTimeout.toSeconds());
        synchronized (latency) {
            m2.set("joinToAllPods", Fmt.percentilesJson(latency));
        }
        Histogram toNodeEvent = stages.snapshot(stages.toNodeEvent);
        Histogram toCreates = stages.snapshot(stages.toCreates);
        Histogram toPods = stages.snapshot(stages.toPods);
        ObjectNode split = m2.putObject("stages");
        split.set("registrationToNodeEvent", Fmt.percentilesJson(toNodeEvent));
        split.set("nodeEventToAllCreates", Fmt.percentilesJson(toCreates));
        split.set("allCreatesToAllPods", Fmt.percentilesJson(toPods));
        m2.putObject("churn").put("kind", "workload pods POSTed (bound, 1m cpu / 1Mi) and DELETEd on pod-service")
                .put("targetOpsPerSecond", churnRate).put("achievedOpsPerSecond", churn.achievedRate())
                .put("creates", churn.creates.get()).put("deletes", churn.deletes.get())
                .put("errors", churn.errors.get()).put("skippedNoSlot", churn.skipped.get())
                .put("seconds", churnSeconds).put("leadSeconds", churnLead.toMillis() / 1e3)
                .set("requestLatency", Fmt.percentilesJson(churnLatency));
        m2.set("maxBacklog", backlogJson("m2"));
        m2.set("cpuSeconds", cpuJson(cpuM2));
        report.append(String.format(Locale.ROOT, "M2 node join -> all %d pods materialized (%d joins, one every %d ms)%n",
                d, joins, interval.toMillis()));
        report.append(new Fmt.Table()
                .row("backlog left by M1", String.format(Locale.ROOT, "%s in %.1f s before M2 began (backlog then %d)",
                        drained ? "drained" : "NOT drained", drainSeconds, backlogAtStart))
                .row("join latency", Fmt.percentiles(latency) + (pending.isEmpty() ? ""
                        : "  (" + pending.size() + " joins incomplete after " + joinTimeout.toSeconds() + " s)"))
                .row("  registration -> node event", Fmt.percentiles(toNodeEvent))
                .row("  node event -> " + d + "th CREATE", Fmt.percentiles(toCreates))
                .row("  " + d + "th CREATE -> " + d + "th pod", Fmt.percentiles(toPods))
                .row("joins completed while the churn ran", completedUnderChurn + " of " + joins + " (churn starts "
                        + Args.format(churnLead) + " before the first join, stops " + churnTail.toSeconds()
                        + " s after the last)")
                .row("background churn", String.format(Locale.ROOT,
                        "workload pod POST/DELETE on pod-service: target %.0f ops/s, achieved %.0f ops/s "
                                + "(%d creates, %d deletes, %d errors, %d skipped: no free slot of 64)",
                        churnRate, churn.achievedRate(), churn.creates.get(), churn.deletes.get(), churn.errors.get(),
                        churn.skipped.get()))
                .row("churn request latency", Fmt.percentiles(churnLatency))
                .row("max backlog during M2", backlogText("m2"))
                .row("CPU seconds during M2", cpuText(cpuM2))
                .render("  "));
        say("M2: %s", Fmt.percentiles(latency));
    }

    // ------------------------------------------------------------------ M3

    private void m3(FleetSimulator fleet, Watch watch, LagProbe lag, List<String> groups, Path jfrDir)
            throws Exception {
        phase = "m3";
        RateStepper stepper = new RateStepper(args.getDouble("m3-start", 1000), args.getDouble("m3-factor", 2),
                args.getDouble("m3-max", 64000), args.getInt("m3-refinements", 2), 0.1);
        RateStepper.Criteria criteria = RateStepper.Criteria.DEFAULT;
        Duration step = args.getDuration("m3-step", Duration.ofSeconds(30));
        double heartbeatShare = args.getDouble("m3-heartbeat-share", 0.5);
        Duration drainTimeout = args.getDuration("m3-drain-timeout", Duration.ofSeconds(180));
        List<FleetSimulator.NodeState> states = List.copyOf(fleet.nodes());
        say("M3: stepping the node-status input rate (%d nodes, %.0f %% pure heartbeats, %s per step) ...",
                states.size(), heartbeatShare * 100, Args.format(step));
        ArrayNode stepsJson = JsonNodeFactory.instance.arrayNode();
        Fmt.Table table = new Fmt.Table().row("target/s", "achieved/s", "node events/s", "backlog first->last third",
                "verdict");
        if (jfrDir != null) {
            jfrStart();
        }
        boolean recording = jfrDir != null;
        OptionalDouble next;
        while ((next = stepper.next()).isPresent()) {
            double rate = next.getAsDouble();
            if (!drain(lag, groups, criteria, drainTimeout)) {
                say("M3: the backlog did not drain within %s; stopping", Args.format(drainTimeout));
                json.put("m3DrainFailed", true);
                break;
            }
            Instant beat = Instant.now();
            byte[][][] pre = new byte[states.size()][2][];
            for (int i = 0; i < states.size(); i++) {
                FleetSimulator.NodeState s = states.get(i);
                for (int v = 0; v < 2; v++) {
                    pre[i][v] = AgentMessages.nodeReportBytes(s.node(), s.booted(), beat, v);
                }
            }
            CpuAccounting.Snapshot stepCpu0 = cpu.snapshot();
            long beatsBefore = fleet.heartbeatsSent.get();
            long nodeEventsBefore = watch.nodeEvents.get();
            AtomicLong sent = new AtomicLong();
            ScheduledExecutorService gen = Executors.newSingleThreadScheduledExecutor();
            double[] debt = {0, 0};
            int[] cursor = {0};
            // The generator's pure heartbeats reach every node (round robin) during the step, so the fleet's
            // own heartbeats pause and the input rate is the generator's alone.
            fleet.heartbeats(false);
            long t0 = System.nanoTime();
            gen.scheduleAtFixedRate(() -> {
                debt[0] += rate / 200.0;
                while (debt[0] >= 1) {
                    debt[0] -= 1;
                    FleetSimulator.NodeState s = states.get(cursor[0]);
                    int idx = cursor[0];
                    cursor[0] = (cursor[0] + 1) % states.size();
                    debt[1] += 1 - heartbeatShare;
                    int v = s.variant();
                    if (debt[1] >= 1) {
                        debt[1] -= 1;
                        v = 1 - v;
                        s.variant(v);
                    }
                    fleet.send(Topics.NODE_STATUS, s.node().name(), pre[idx][v]);
                    sent.incrementAndGet();
                }
            }, 0, 5, TimeUnit.MILLISECONDS);
            List<RateStepper.Sample> samples = new ArrayList<>();
            long end = t0 + step.toNanos();
            while (System.nanoTime() < end) {
                long at = System.nanoTime();
                samples.add(new RateStepper.Sample((at - t0) / 1e9, backlog(lag, groups)));
                Thread.sleep(Math.max(0, M3_SAMPLE_MS - (System.nanoTime() - at) / 1_000_000));
            }
            gen.shutdownNow();
            gen.awaitTermination(5, TimeUnit.SECONDS);
            fleet.heartbeats(true);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long beats = fleet.heartbeatsSent.get() - beatsBefore;
            double achieved = (sent.get() + beats) / seconds;
            double nodeEvents = (watch.nodeEvents.get() - nodeEventsBefore) / seconds;
            samples.add(new RateStepper.Sample(seconds, backlog(lag, groups)));
            Map<String, Double> stepCpu = CpuAccounting.between(stepCpu0, cpu.snapshot());
            RateStepper.Step verdict = RateStepper.judge(rate, achieved, samples, criteria);
            stepper.record(verdict);
            stepsJson.addObject().put("targetPerSecond", rate).put("achievedPerSecond", achieved)
                    .put("nodeEventsPerSecond", nodeEvents).put("backlogFirstThird", verdict.startBacklog())
                    .put("backlogLastThird", verdict.endBacklog()).put("growthPerSecond", verdict.growthPerSecond())
                    .put("sustained", verdict.sustained()).put("why", verdict.why())
                    .set("cpuSeconds", cpuJson(stepCpu));
            ObjectNode endBacklog = ((ObjectNode) stepsJson.get(stepsJson.size() - 1)).putObject("backlogAtEnd");
            lastLag.forEach((k, v) -> endBacklog.put("lag " + k, v));
            lastOutbox.forEach((k, v) -> endBacklog.put("outbox " + k, v));
            table.row(String.format(Locale.ROOT, "%.0f", rate), String.format(Locale.ROOT, "%.0f", achieved),
                    String.format(Locale.ROOT, "%.0f", nodeEvents),
                    verdict.startBacklog() + " -> " + verdict.endBacklog(),
                    (verdict.sustained() ? "sustained: " : "NOT sustained: ") + verdict.why());
            say("M3: %.0f/s (achieved %.0f/s, node events %.0f/s): %s - %s; CPU s: %s; backlog at the end: lag %s,"
                    + " outbox %s", rate, achieved, nodeEvents, verdict.sustained() ? "sustained" : "NOT sustained",
                    verdict.why(), cpuText(stepCpu), lastLag, lastOutbox);
            if (recording && !verdict.sustained()) {
                jfrStop(jfrDir, "m3");
                recording = false;
            }
        }
        if (recording) {
            jfrStop(jfrDir, "m3");
        }
        ObjectNode m3 = json.putObject("m3");
        m3.put("heartbeatShare", heartbeatShare).put("stepSeconds", step.toSeconds())
                .put("inputs", "v1 Node reports on " + Topics.NODE_STATUS + ": pure heartbeats and allocatable"
                        + " ephemeral-storage flips (a status change placement ignores), round robin over the fleet;"
                        + " the fleet's own heartbeats pause during a step")
                .put("backlog", "sum of consumer-group lag (" + String.join(", ", groups) + ") and outbox rows");
        OptionalDouble best = stepper.best();
        m3.put("highestSustainedPerSecond", best.isPresent() ? best.getAsDouble() : 0);
        m3.set("steps", stepsJson);
        report.append(String.format(Locale.ROOT, "M3 highest sustained node-status input rate: %s%n",
                best.isPresent() ? String.format(Locale.ROOT, "%.0f events/s", best.getAsDouble())
                        : "none of the steps was sustained"));
        report.append(String.format(Locale.ROOT, "  (%.0f %% pure heartbeats, the rest status changes; backlog = lag of %s"
                + " + outbox rows)%n", heartbeatShare * 100, groups));
        report.append(table.render("  "));
        report.append("  max backlog during M3: ").append(backlogText("m3")).append('\n');
        m3.set("maxBacklog", backlogJson("m3"));
    }

    /** How long a drain waited, and whether the backlog drained within its timeout. */
    private record Drained(double seconds, boolean drained) {
    }

    /**
     * drainM1Backlog waits (at most {@code --m2-drain-timeout}) until the services have read what M1
     * made: M1 ends when the last pod is committed, while the services still consume its records (at
     * 5,000 x 20 the scheduler had 100,000 pod events to go). The groups are read again first.
     */
    private Drained drainM1Backlog(LagProbe lag, List<String>[] groupRef) throws Exception {
        groupRef[0] = lag.groups();
        long start = System.nanoTime();
        CpuAccounting.Snapshot cpu0 = cpu.snapshot();
        boolean drained = drain(lag, groupRef[0], RateStepper.Criteria.DEFAULT,
                args.getDuration("m2-drain-timeout", Duration.ofSeconds(300)));
        Drained d = new Drained((System.nanoTime() - start) / 1e9, drained);
        if (!json.path("m1").has("untilDrained")) {
            untilDrained(d, CpuAccounting.between(cpu0, cpu.snapshot()));
        }
        return d;
    }

    /**
     * untilDrained reports M1 with the work it left behind: M1 ends at the last pod committed, but the
     * services may still be reading the records it made (pod events, node states), and a change that
     * makes that reading faster moves CPU into M1's window. M1 plus its drain compares the whole work.
     */
    private void untilDrained(Drained d, Map<String, Double> cpuDrain) {
        ObjectNode m1 = (ObjectNode) json.path("m1");
        double m1Seconds = m1.path("lastPodCommittedFromFirstInputSeconds").asDouble(Double.NaN);
        double m1Cpu = m1.path("controlPlaneCpuSeconds").asDouble(Double.NaN);
        double seconds = m1Seconds + d.seconds();
        double cpuSeconds = m1Cpu + controlPlaneCpu(cpuDrain);
        long pods = m1.path("pods").asLong();
        double cpuMillisPerPod = pods == 0 ? Double.NaN : 1000 * cpuSeconds / pods;
        ObjectNode u = m1.putObject("untilDrained");
        u.put("drained", d.drained()).put("drainSeconds", d.seconds()).put("seconds", seconds)
                .put("controlPlaneCpuSeconds", cpuSeconds).put("cpuMillisPerPod", cpuMillisPerPod);
        u.set("drainCpuSeconds", cpuJson(cpuDrain));
        report.append(String.format(Locale.ROOT, "M1 until its backlog %s (%.1f s after the last pod)%n",
                d.drained() ? "drained" : "had NOT drained", d.seconds()));
        report.append(new Fmt.Table()
                .row("CPU seconds while draining", cpuText(cpuDrain))
                .row("M1 + drain: time from first input, control-plane CPU", String.format(Locale.ROOT,
                        "%.1f s, %.1f CPU-s (%.2f ms of CPU per pod)", seconds, cpuSeconds, cpuMillisPerPod))
                .render("  "));
    }

    private boolean drain(LagProbe lag, List<String> groups, RateStepper.Criteria c, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (backlog(lag, groups) <= c.backlogAllowance() / 4) {
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    private long backlog(LagProbe lag, List<String> groups) {
        try {
            long sum = 0;
            for (long v : lag.lag(groups).values()) {
                sum += v;
            }
            for (long v : lag.outbox().values()) {
                sum += Math.max(0, v);
            }
            return sum;
        } catch (Exception e) {
            return Long.MAX_VALUE / 4;
        }
    }

    // ------------------------------------------------------------------ backlog sampling

    private void sampleBacklog(LagProbe lag, List<String>[] groups) {
        try {
            Map<String, Long> l = lag.lag(groups[0]);
            Map<String, Long> o = lag.outbox();
            lastLag = l;
            lastOutbox = o;
            Map<String, Long> max = maxBacklog.computeIfAbsent(phase, p -> new ConcurrentHashMap<>());
            l.forEach((k, v) -> max.merge("lag " + k, v, Math::max));
            o.forEach((k, v) -> max.merge("outbox " + k, v, Math::max));
        } catch (Exception e) {
            // the next sample will tell
        }
    }

    private ObjectNode backlogJson(String p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        new TreeMap<>(maxBacklog.getOrDefault(p, Map.of())).forEach(o::put);
        return o;
    }

    private String backlogText(String p) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(maxBacklog.getOrDefault(p, Map.of())).forEach((k, v) -> {
            if (v > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
            }
        });
        return sb.length() == 0 ? "none" : sb.toString();
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode cpuJson(Map<String, Double> cpuSeconds) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        cpuSeconds.forEach((k, v) -> o.put(k, Math.round(v * 100) / 100.0));
        return o;
    }

    /** jvmOptionsText names the options once when every service has the same, else per JVM. */
    static String jvmOptionsText(Map<String, String> options) {
        Map<String, List<String>> byOptions = new LinkedHashMap<>();
        options.forEach((svc, o) -> byOptions.computeIfAbsent(o, k -> new ArrayList<>()).add(svc.replace("-service", "")));
        StringBuilder sb = new StringBuilder();
        byOptions.forEach((o, names) -> sb.append(sb.length() == 0 ? "" : "; ").append(String.join(", ", names))
                .append(' ').append(o.isEmpty() ? "(none)" : o));
        return sb.toString();
    }

    private static ObjectNode jvmThreadsJson(Map<String, double[]> threads) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        threads.forEach((k, v) -> o.putObject(k).put("jit", Math.round(v[0] * 100) / 100.0)
                .put("gc", Math.round(v[1] * 100) / 100.0));
        return o;
    }

    /** jvmThreadsText is "node-registry 3.1 / 0.4, ..., all JVMs 20.5 / 2.7": JIT / GC CPU-s per JVM. */
    static String jvmThreadsText(Map<String, double[]> threads) {
        StringBuilder sb = new StringBuilder();
        double jit = 0;
        double gc = 0;
        for (Map.Entry<String, double[]> e : threads.entrySet()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey().replace("-service", "")).append(' ')
                    .append(String.format(Locale.ROOT, "%.1f / %.1f", e.getValue()[0], e.getValue()[1]));
            jit += e.getValue()[0];
            gc += e.getValue()[1];
        }
        return sb.append(String.format(Locale.ROOT, "; all JVMs %.1f / %.1f", jit, gc)).toString();
    }

    private static String cpuText(Map<String, Double> c) {
        StringBuilder sb = new StringBuilder();
        c.forEach((k, v) -> {
            if (!k.equals("wall")) {
                sb.append(sb.length() == 0 ? "" : ", ").append(k.replace("-service", "")).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f", v));
            }
        });
        return sb.append(String.format(Locale.ROOT, " (of %.1f s x %d CPUs)", c.get("wall"),
                Runtime.getRuntime().availableProcessors())).toString();
    }

    /** streamHealth reads the scheduler's fence and rebalance counts now (see {@link StreamHealth}). */
    private StreamHealth.Snapshot streamHealth() throws InterruptedException {
        String metrics;
        try {
            metrics = rest.get(url("scheduler-service") + "/q/metrics").body();
        } catch (IOException e) {
            metrics = ""; // counted as unknown
        }
        return StreamHealth.of(metrics, root.resolve(".local/logs/kafka.log"));
    }

    private static ObjectNode healthJson(StreamHealth.Snapshot h) {
        return JsonNodeFactory.instance.objectNode().put("schedulerTasksClosed", h.tasksClosed())
                .put("schedulerRebalances", h.rebalances()).put("brokerTimeoutRollbacks", h.brokerTimeoutRollbacks());
    }

    /**
     * floorCpu is the CPU of Kafka, PostgreSQL and the benchmark, whose process is the floor's
     * producer, consumer and JDBC client (and meanwhile still the fleet's agents and the watch: the
     * floor subtracts what the three use at rest). The ratio of M1's CPU to the floor's is meant to
     * move less with the machine's speed than the ratio of wall times.
     */
    private static double floorCpu(Map<String, Double> c) {
        return c.getOrDefault("kafka", 0.0) + c.getOrDefault("postgresql", 0.0) + c.getOrDefault("benchmark", 0.0);
    }

    /** controlPlaneCpu is the CPU of the four services, Kafka and PostgreSQL. */
    private static double controlPlaneCpu(Map<String, Double> c) {
        double sum = 0;
        for (String k : List.of("node-registry-service", "daemonset-service", "scheduler-service", "pod-service",
                "kafka", "postgresql")) {
            sum += c.getOrDefault(k, 0.0);
        }
        return sum;
    }

    private String dbUrl() {
        return args.get("db-url", "jdbc:postgresql://127.0.0.1:5432/dsplane");
    }

    private String dbUser() {
        return args.get("db-user", "postgres");
    }

    private static String dbPassword() {
        return System.getenv().getOrDefault("DB_PASSWORD", "");
    }

    /** The JVMs --jfr records: the four services and the broker, whose CPU per record is part of the cost. */
    private static List<String> jfrTargets() {
        List<String> all = new ArrayList<>(SERVICES);
        all.add("kafka");
        return all;
    }

    private void jfrStart() {
        for (String svc : jfrTargets()) {
            long pid = pids.get(svc);
            if (pid > 0) {
                String out = Jfr.start(pid);
                if (!out.contains("Started recording")) {
                    say("JFR start in %s: %s", svc, out);
                }
            }
        }
    }

    private void jfrStop(Path dir, String label) {
        for (String svc : jfrTargets()) {
            long pid = pids.get(svc);
            if (pid > 0) {
                Path file = dir.resolve(svc + "-" + label + ".jfr");
                Jfr.stop(pid, file);
                say("JFR: %s", file);
            }
        }
    }

    private long readPid(String name) {
        try {
            return Long.parseLong(Files.readString(root.resolve(".local/pids/" + name + ".pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private void machine() {
        ObjectNode m = json.putObject("machine");
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        String meminfo = readFile("/proc/meminfo");
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                m.put("memTotal", line.substring(9).trim());
            }
        }
        m.put("java", System.getProperty("java.runtime.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("loadavgStart", readFile("/proc/loadavg").trim());
        m.put("startedAt", Instant.now().toString());
        report.append(String.format(Locale.ROOT, "Machine: %d CPUs, MemTotal %s, %s; load average at start %s%n",
                Runtime.getRuntime().availableProcessors(), m.path("memTotal").asText("?"), m.path("java").asText(),
                m.path("loadavgStart").asText()));
        postgresSettings(m.putObject("postgresql"));
    }

    /**
     * postgresSettings records the settings of the control plane's PostgreSQL that change its numbers:
     * without autovacuum, tables are never analyzed and dead rows are never reclaimed during a run.
     */
    private void postgresSettings(ObjectNode pg) {
        String sql = "SELECT name, setting, unit FROM pg_settings WHERE name IN ('server_version', 'autovacuum',"
                + " 'synchronous_commit', 'fsync', 'shared_buffers') ORDER BY name";
        StringBuilder line = new StringBuilder();
        try (Connection c = DriverManager.getConnection(dbUrl(), dbUser(), dbPassword());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String value = rs.getString(2) + (rs.getString(3) == null ? "" : " x " + rs.getString(3));
                pg.put(rs.getString(1), value);
                line.append(line.length() == 0 ? "" : ", ").append(rs.getString(1)).append(' ').append(value);
            }
        } catch (SQLException e) {
            line.append("settings not readable: ").append(e.getMessage());
        }
        report.append("PostgreSQL: ").append(line).append(System.lineSeparator());
    }

    private static String readFile(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return "";
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + String.format(Locale.ROOT, format,
                args));
    }
}
