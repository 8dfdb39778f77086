package io.dsplane.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Starts Apache Kafka's own broker, standalone, as a single KRaft node in combined mode (broker and
 * controller in one process): the same broker as the release tarball, assembled from the Maven
 * Central jars in {@code infra/broker/target/lib}.
 *
 * <pre>
 * java -Xmx512m -cp 'infra/broker/target/lib/*:infra/broker/target/broker-0.1.0-SNAPSHOT.jar' \
 *      io.dsplane.broker.BrokerLauncher --data-dir .local/kafka --port 9092 --controller-port 9093
 * </pre>
 *
 * <p>Each start (re)writes {@code server.properties} and {@code log4j2.properties} in the data
 * directory, formats the storage only when it has not been formatted yet (so a restart, also after
 * {@code kill -9}, keeps every topic and record) and then runs {@code kafka.Kafka} in this JVM. The
 * broker logs to standard output; SIGTERM shuts it down cleanly.
 *
 * <p>Layout of the data directory: {@code server.properties}, {@code log4j2.properties},
 * {@code kraft/} (Kafka's {@code log.dirs}: metadata log and topic partitions) and
 * {@code cluster.id}.
 */
public final class BrokerLauncher {

    static final String USAGE = """
            Usage: BrokerLauncher [options]
              --data-dir DIR          data directory (env KAFKA_DATA_DIR, default .local/kafka)
              --host HOST             address to listen on and advertise (env KAFKA_HOST, default 127.0.0.1)
              --port PORT             client (PLAINTEXT) port (env KAFKA_PORT, default 9092)
              --controller-port PORT  KRaft controller port (env KAFKA_CONTROLLER_PORT, default 9093)
              --num-partitions N      default partitions of new topics (env KAFKA_NUM_PARTITIONS, default 1)
              --auto-create-topics B  allow implicit topic creation (env KAFKA_AUTO_CREATE_TOPICS, default false)
              --log-level LEVEL       root log level (env KAFKA_LOG_LEVEL, default INFO)
              --property KEY=VALUE    extra broker property, repeatable (overrides everything above)
              --help                  print this text
            """;

    /** Kafka's {@code log.dirs} inside the data directory. */
    static final String LOG_DIR_NAME = "kraft";
    static final int NODE_ID = 1;

    private BrokerLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args, System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println("BrokerLauncher: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(USAGE);
            return;
        }
        Path serverProperties = prepare(options);
        System.out.println("BrokerLauncher: starting Kafka (KRaft combined mode, node " + NODE_ID + ") on "
                + options.host + ":" + options.port + ", controller port " + options.controllerPort
                + ", data in " + options.dataDir);
        kafka.Kafka.main(new String[] {serverProperties.toString()});
    }

    /**
     * Writes the configuration files and formats the storage if needed; does not start the broker.
     * Must run before anything touches SLF4J/Log4j (it points Log4j at the written configuration).
     *
     * @return the path of {@code server.properties}
     */
    static Path prepare(Options options) throws IOException {
        Path dataDir = options.dataDir.toAbsolutePath().normalize();
        Path logDir = dataDir.resolve(LOG_DIR_NAME);
        Files.createDirectories(logDir);

        Path log4j = dataDir.resolve("log4j2.properties");
        writeAtomically(log4j, log4jProperties(options.logLevel));
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", log4j.toUri().toString());
        }

        Path serverProperties = dataDir.resolve("server.properties");
        writeAtomically(serverProperties, toText(serverProperties(options, logDir),
                "Written by io.dsplane.broker.BrokerLauncher on every start; edits are overwritten."));

        if (Files.exists(logDir.resolve("meta.properties"))) {
            System.out.println("BrokerLauncher: storage in " + logDir + " already formatted (cluster "
                    + readClusterId(logDir) + "), keeping its data");
        } else {
            format(dataDir, serverProperties);
        }
        return serverProperties;
    }

    static Map<String, String> serverProperties(Options options, Path logDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + options.host + ":" + options.controllerPort);
        p.put("listeners", "PLAINTEXT://" + options.host + ":" + options.port
                + ",CONTROLLER://" + options.host + ":" + options.controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + options.host + ":" + options.port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.putAll(SingleNodeDefaults.brokerProperties(options.numPartitions, options.autoCreateTopics));
        p.putAll(options.extraProperties);
        return p;
    }

    /** Formats the storage with a fresh cluster id (Kafka's StorageTool, in this JVM). */
    private static void format(Path dataDir, Path serverProperties) throws IOException {
        Path clusterIdFile = dataDir.resolve("cluster.id");
        String clusterId = Files.exists(clusterIdFile)
                ? Files.readString(clusterIdFile, StandardCharsets.UTF_8).trim()
                : "";
        if (clusterId.isEmpty()) {
            StorageToolResult uuid = storageTool("random-uuid");
            clusterId = uuid.output.trim();
            if (uuid.exitCode != 0 || clusterId.isEmpty() || clusterId.contains(" ")) {
                throw new IllegalStateException("kafka.tools.StorageTool random-uuid gave no cluster id (exit "
                        + uuid.exitCode + "): '" + uuid.output + "'");
            }
            writeAtomically(clusterIdFile, clusterId + "\n");
        }
        System.out.println("BrokerLauncher: formatting storage with cluster id " + clusterId);
        StorageToolResult result = storageTool("format", "--cluster-id", clusterId,
                "--config", serverProperties.toString(), "--ignore-formatted");
        System.out.print(result.output);
        if (result.exitCode != 0) {
            throw new IllegalStateException("kafka.tools.StorageTool format failed (exit " + result.exitCode
                    + "): " + result.output);
        }
    }

    private record StorageToolResult(int exitCode, String output) {
    }

    private static StorageToolResult storageTool(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            // execute() reports through its return value; main() would call System.exit.
            exitCode = kafka.tools.StorageTool.execute(args, out);
        }
        return new StorageToolResult(exitCode, buffer.toString(StandardCharsets.UTF_8));
    }

    private static String readClusterId(Path logDir) throws IOException {
        Properties meta = new Properties();
        try (var in = Files.newInputStream(logDir.resolve("meta.properties"))) {
            meta.load(in);
        }
        return meta.getProperty("cluster.id", "?");
    }

    static String log4jProperties(String level) {
        return """
                # Written by io.dsplane.broker.BrokerLauncher on every start; edits are overwritten.
                status = warn
                name = dsplane-broker
                # Kafka's own shutdown hook logs the clean shutdown; Log4j must not stop before it.
                shutdownHook = disable
                appender.stdout.type = Console
                appender.stdout.name = STDOUT
                appender.stdout.layout.type = PatternLayout
                appender.stdout.layout.pattern = [%d] %p %m (%c)%n
                rootLogger.level = LEVEL
                rootLogger.appenderRefs = stdout
                rootLogger.appenderRef.stdout.ref = STDOUT
                logger.request.name = kafka.request.logger
                logger.request.level = WARN
                logger.authorizer.name = kafka.authorizer.logger
                logger.authorizer.level = WARN
                """.replace("LEVEL", level);
    }

    private static String toText(Map<String, String> properties, String header) {
        StringBuilder sb = new StringBuilder("# ").append(header).append('\n');
        properties.forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
        return sb.toString();
    }

    private static String escape(String value) {
        // server.properties is read with java.util.Properties: backslashes must be doubled.
        return value.replace("\\", "\\\\");
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Command-line options; each falls back to an environment variable, then to a default. */
    static final class Options {
        Path dataDir;
        String host;
        int port;
        int controllerPort;
        int numPartitions;
        boolean autoCreateTopics;
        String logLevel;
        final Map<String, String> extraProperties = new LinkedHashMap<>();
        boolean help;

        static Options parse(String[] args, Function<String, String> env) {
            Map<String, String> given = new LinkedHashMap<>();
            List<String> extra = new ArrayList<>();
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String name;
                String value;
                if (arg.equals("--help") || arg.equals("-h")) {
                    help = true;
                    continue;
                }
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(2, eq);
                    value = arg.substring(eq + 1);
                } else {
                    name = arg.substring(2);
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("option --" + name + " needs a value");
                    }
                    value = args[++i];
                }
                switch (name) {
                    case "data-dir", "host", "port", "controller-port", "num-partitions",
                            "auto-create-topics", "log-level" -> given.put(name, value);
                    case "property" -> extra.add(value);
                    default -> throw new IllegalArgumentException("unknown option --" + name);
                }
            }
            Options o = new Options();
            o.help = help;
            o.dataDir = Path.of(pick(given, env, "data-dir", "KAFKA_DATA_DIR", ".local/kafka"));
            o.host = pick(given, env, "host", "KAFKA_HOST", "127.0.0.1");
            o.port = port(pick(given, env, "port", "KAFKA_PORT", "9092"), "port");
            o.controllerPort = port(pick(given, env, "controller-port", "KAFKA_CONTROLLER_PORT", "9093"),
                    "controller-port");
            if (o.port == o.controllerPort) {
                throw new IllegalArgumentException("--port and --controller-port must differ");
            }
            o.numPartitions = positive(pick(given, env, "num-partitions", "KAFKA_NUM_PARTITIONS", "1"),
                    "num-partitions");
            o.autoCreateTopics = bool(pick(given, env, "auto-create-topics",
                    SingleNodeDefaults.AUTO_CREATE_TOPICS_ENV, "false"), "auto-create-topics");
            o.logLevel = pick(given, env, "log-level", "KAFKA_LOG_LEVEL", "INFO").toUpperCase(Locale.ROOT);
            for (String kv : extra) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--property wants KEY=VALUE, got '" + kv + "'");
                }
                o.extraProperties.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            return o;
        }

        private static String pick(Map<String, String> given, Function<String, String> env, String option,
                                   String envName, String fallback) {
            String v = given.get(option);
            if (v == null || v.isBlank()) {
                v = env.apply(envName);
            }
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        private static int port(String v, String option) {
            int p = positive(v, option);
            if (p > 65535) {
                throw new IllegalArgumentException("--" + option + " must be a TCP port, got " + v);
            }
            return p;
        }

        private static int positive(String v, String option) {
            try {
                int n = Integer.parseInt(v);
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + option + " must be a positive number, got '" + v + "'");
            }
        }

        private static boolean bool(String v, String option) {
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw new IllegalArgumentException("--" + option + " must be true or false, got '" + v + "'");
        }
    }
}
