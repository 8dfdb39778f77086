package io.dsplane.contracts.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * DerivedNames makes object names the way {@code generateName} does, {@code <base>-<5 characters>},
 * but with the suffix derived from inputs instead of drawn at random: the same inputs give the same
 * name, so a repeated decision names the same pod and finds it by name. The scheduler names a daemon
 * pod this way; pod-service names the pod of a decision whose name another pod holds this way too.
 */
public final class DerivedNames {

    /** 63: the longest object name. */
    public static final int MAX_NAME_LENGTH = 63;
    /** 5: the length of generateName's random suffix. */
    public static final int SUFFIX_LENGTH = 5;
    /** 58: generateName cuts its base to this length so that base + suffix fits 63. */
    public static final int MAX_PREFIX_LENGTH = MAX_NAME_LENGTH - SUFFIX_LENGTH;

    /**
     * Suffix alphabet: lowercase consonants and digits without vowels or look-alikes (0, 1, 3), as
     * generated Kubernetes names use, so that suffixes never spell words and read unambiguously.
     */
    public static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private DerivedNames() {
    }

    /** prefix is generateName's base for {@code base}: {@code "<base>-"} cut to 58 characters. */
    public static String prefix(String base) {
        String b = (base == null ? "" : base) + "-";
        return b.length() > MAX_PREFIX_LENGTH ? b.substring(0, MAX_PREFIX_LENGTH) : b;
    }

    /**
     * suffix is 5 characters of {@link #SUFFIX_ALPHABET} derived from a SHA-256 of the inputs, one per
     * line ({@code String.valueOf} of each, so null reads "null").
     */
    public static String suffix(Object... inputs) {
        StringBuilder seed = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            if (i > 0) {
                seed.append('\n');
            }
            seed.append(inputs[i]);
        }
        long bits = ByteBuffer.wrap(sha256(seed.toString().getBytes(StandardCharsets.UTF_8)), 0, Long.BYTES).getLong();
        StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
        int radix = SUFFIX_ALPHABET.length();
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            suffix.append(SUFFIX_ALPHABET.charAt((int) Long.remainderUnsigned(bits, radix)));
            bits = Long.divideUnsigned(bits, radix);
        }
        return suffix.toString();
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
