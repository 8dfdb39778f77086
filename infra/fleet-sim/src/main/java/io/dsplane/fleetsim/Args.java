package io.dsplane.fleetsim;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Args is the command-line parser of the simulator and the benchmark: {@code --name value},
 * {@code --name=value} and value-less flags. Unknown options are refused, so a typo never silently
 * runs a different experiment.
 */
public final class Args {

    private final Map<String, String> values;
    private final Set<String> flags;

    private Args(Map<String, String> values, Set<String> flags) {
        this.values = values;
        this.flags = flags;
    }

    /**
     * parse reads {@code argv}. {@code valued} names the options that take a value, {@code flagNames}
     * those that do not (both without the leading dashes).
     */
    /**
     * parseOrExit is {@link #parse} for a command's main: a bad argument prints the error and the usage
     * and exits 2; {@code --help} prints the usage and returns null (the command then just returns).
     */
    public static Args parseOrExit(String[] argv, Set<String> valued, Set<String> flagNames, String usage) {
        Args args;
        try {
            args = parse(argv, valued, flagNames);
        } catch (IllegalArgumentException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return null;
        }
        if (args.has("help")) {
            System.out.println(usage);
            return null;
        }
        return args;
    }

    public static Args parse(String[] argv, Set<String> valued, Set<String> flagNames) {
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> flags = new TreeSet<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options look like --name value)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flagNames.contains(name)) {
                if (value != null) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                flags.add(name);
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = argv[++i];
                }
                values.put(name, value);
            } else {
                Set<String> known = new TreeSet<>(valued);
                known.addAll(flagNames);
                throw new IllegalArgumentException("unknown option --" + name + " (known: --" + String.join(", --", known) + ")");
            }
        }
        return new Args(values, flags);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String def) {
        return values.getOrDefault(name, def);
    }

    public int getInt(String name, int def) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + v + "'");
        }
    }

    public double getDouble(String name, double def) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, not '" + v + "'");
        }
    }

    public Duration getDuration(String name, Duration def) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            return duration(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + ": " + e.getMessage());
        }
    }

    /** format prints a duration the way {@link #duration} reads it: 250ms, 10s, 2m. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** duration reads {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    public static Duration duration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        long factorMillis;
        String number;
        if (s.endsWith("ms")) {
            factorMillis = 1;
            number = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            factorMillis = 1000;
            number = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            factorMillis = 60_000;
            number = s.substring(0, s.length() - 1);
        } else if (s.endsWith("h")) {
            factorMillis = 3_600_000;
            number = s.substring(0, s.length() - 1);
        } else {
            factorMillis = 1000;
            number = s;
        }
        try {
            double n = Double.parseDouble(number);
            if (n < 0 || Double.isNaN(n) || Double.isInfinite(n)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(Math.round(n * factorMillis * 1_000_000d));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 250ms, 10s, 2m)");
        }
    }
}
