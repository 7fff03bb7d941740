package dev.cutover.cutover.saga;

import java.time.Duration;
import java.util.Objects;

/** The checks and wording shared by the sagas' values, so every rejection reads the same way. */
public final class Text {

    private Text() {
    }

    public static String notBlank(String value, String what) {
        Objects.requireNonNull(value, what + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    /** A name that ends up in SQL, DNS or an audit line: no surrounding spaces, no control characters. */
    public static String name(String value, String what, int maxLength) {
        notBlank(value, what);
        if (!value.strip().equals(value)) {
            throw new IllegalArgumentException(what + " must not start or end with spaces: '" + value + "'");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must not contain control characters");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(what + " must be at most " + maxLength + " characters: " + value);
        }
        return value;
    }

    public static Duration positive(Duration value, String what) {
        Objects.requireNonNull(value, what + " must not be null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + human(value));
        }
        return value;
    }

    public static Duration notNegative(Duration value, String what) {
        Objects.requireNonNull(value, what + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + human(value));
        }
        return value;
    }

    /** "5s" or "250 ms": reasons are read by people during an incident, not parsed. */
    public static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + " ms";
    }
}
