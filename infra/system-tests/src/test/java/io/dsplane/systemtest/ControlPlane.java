package io.dsplane.systemtest;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ControlPlane starts what a user starts: Apache Kafka's broker and the four packaged services, each as
 * its own JVM process with its own port, against a database of its own (dsplane_it, schemas dropped
 * first). One control plane serves every test class of a run; processes can be killed with SIGKILL
 * and started again to test recovery.
 */
public final class ControlPlane {

    public static final String NODE_REGISTRY = "node-registry-service";
    public static final String DAEMONSET = "daemonset-service";
    public static final String SCHEDULER = "scheduler-service";
    public static final String POD = "pod-service";
    public static final List<String> SERVICES = List.of(NODE_REGISTRY, DAEMONSET, SCHEDULER, POD);

    /** 120 s: a cold JVM start of a service on a busy 2-core machine stays well inside this. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final String DB = "dsplane_it";

    private static ControlPlane shared;

    private final Path root;
    private final Path workDir;
    private final int kafkaPort;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    private ControlPlane() throws IOException {
        root = Path.of(System.getProperty("dsplane.root", "../..")).toAbsolutePath().normalize();
        workDir = Files.createDirectories(root.resolve("infra/system-tests/target/control-plane"));
        kafkaPort = freePort();
        for (String s : SERVICES) {
            ports.put(s, freePort());
        }
    }

    /** get starts the shared control plane once per JVM and stops it when the JVM exits. */
    public static synchronized ControlPlane get() {
        if (shared == null) {
            try {
                ControlPlane cp = new ControlPlane();
                cp.start();
                Runtime.getRuntime().addShutdownHook(new Thread(cp::stopAll));
                shared = cp;
            } catch (Exception e) {
                throw new IllegalStateException("control plane did not start: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    public String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    private void start() throws Exception {
        killLeftovers();
        resetDatabase();
        deleteRecursively(workDir.resolve("kafka"));
        try (var dirs = Files.list(workDir)) {
            for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith("state-")).toList()) {
                deleteRecursively(d);
            }
        }
        startBroker();
        for (String s : SERVICES) {
            startService(s);
        }
        for (String s : SERVICES) {
            awaitReady(s);
        }
    }

    private void resetDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            var rs = c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DB + "'");
            if (!rs.next()) {
                c.createStatement().execute("CREATE DATABASE " + DB);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB, "postgres", "");
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS node_registry, daemonsets, pods CASCADE");
        }
    }

    private void startBroker() throws Exception {
        Path brokerDir = root.resolve("infra/broker/target");
        String cp = brokerDir.resolve("lib") + File.separator + "*" + File.pathSeparator
                + brokerDir.resolve("broker-0.1.0-SNAPSHOT.jar");
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx512m", "-cp", cp, "io.dsplane.broker.BrokerLauncher",
                "--data-dir", workDir.resolve("kafka").toString(), "--port", Integer.toString(kafkaPort),
                "--controller-port", Integer.toString(freePort()), "--log-level", "WARN");
        pb.redirectErrorStream(true).redirectOutput(workDir.resolve("kafka.log").toFile());
        processes.put("kafka", remember(pb.start()));
        awaitPort(kafkaPort, "kafka");
    }

    /** restart starts one service process again (after {@link #kill}) and waits until it is ready. */
    public void restart(String service) throws Exception {
        startService(service);
        awaitReady(service);
    }

    /**
     * startInstance starts one more instance of a service under its own name, port and state
     * directory (e.g. a second scheduler), and waits until it is ready.
     */
    public void startInstance(String service, String instance) throws Exception {
        ports.putIfAbsent(instance, freePort());
        startProcess(service, instance);
        awaitReady(instance);
    }

    private void startService(String service) throws IOException {
        startProcess(service, service);
    }

    private void startProcess(String service, String instance) throws IOException {
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package)");
        }
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx384m", "-jar", jar.toString());
        Map<String, String> env = pb.environment();
        env.put("HTTP_PORT", Integer.toString(ports.get(instance)));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap());
        env.put("DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + DB);
        env.put("DB_USER", "postgres");
        env.put("STATE_DIR", workDir.resolve("state-" + instance).toString());
        env.put("RESYNC_INTERVAL", "5s");
        env.put("EXPECTATION_TIMEOUT", "30s");
        pb.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve(instance + ".log").toFile()));
        processes.put(instance, remember(pb.start()));
    }

    /**
     * killLeftovers stops the processes an earlier run started and could not stop (its JVM was killed):
     * they would share the database and disturb this run. Their pids are in {@code pids}.
     */
    private void killLeftovers() throws IOException {
        Path pids = workDir.resolve("pids");
        if (Files.exists(pids)) {
            for (String line : Files.readAllLines(pids)) {
                if (!line.isBlank()) {
                    // Only a process that is still one of ours: a pid may have been reused since.
                    ProcessHandle.of(Long.parseLong(line.trim()))
                            .filter(h -> h.info().commandLine().map(c -> c.contains(root.toString())).orElse(false))
                            .ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            Files.delete(pids);
        }
    }

    private Process remember(Process p) throws IOException {
        Files.writeString(workDir.resolve("pids"), p.pid() + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return p;
    }

    /** kill sends SIGKILL to a service instance: no shutdown hooks, no flushing, as a machine crash. */
    public void kill(String service) throws InterruptedException {
        Process p = processes.remove(service);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private void awaitReady(String service) throws Exception {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Process p = processes.get(service);
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException(service + " exited; see " + workDir.resolve(service + ".log"));
            }
            if (status(url(service) + "/q/health/ready") == 200) {
                return;
            }
            pause(p, 250);
        }
        throw new IllegalStateException(service + " not ready after " + READY_TIMEOUT + "; see "
                + workDir.resolve(service + ".log"));
    }

    /** pause waits up to {@code millis} for the process to exit: a bounded poll interval that ends early on a crash. */
    private static void pause(Process p, long millis) throws Exception {
        try {
            p.onExit().get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException stillRunning) {
            // the usual case: it runs and is not ready yet
        }
    }

    private static int status(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private void awaitPort(int port, String what) throws Exception {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Process p = processes.get(what);
                if (p != null && p.onExit().isDone()) {
                    throw new IllegalStateException(what + " exited; see its log in " + workDir);
                }
                if (p != null) {
                    pause(p, 200);
                }
            }
        }
        throw new IllegalStateException(what + " did not listen on " + port);
    }

    private void stopAll() {
        List<Process> all = new ArrayList<>(processes.values());
        java.util.Collections.reverse(all);
        for (Process p : all) {
            p.destroy();
        }
        for (Process p : all) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Ports handed out in this run: never the same one twice. */
    private static final java.util.Set<Integer> TAKEN = new java.util.HashSet<>();

    /**
     * freePort picks a port that is free now, never one handed out before in this run, and below the
     * kernel's ephemeral range (32768 and up), where an outgoing connection of any client could take
     * it before the service binds it. (Asking the kernel for port 0 twice can return the same port.)
     */
    private static synchronized int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 20000 + random.nextInt(12000);
            if (TAKEN.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port)) {
                TAKEN.add(port);
                return port;
            } catch (IOException inUse) {
                // taken by something else: try another
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
