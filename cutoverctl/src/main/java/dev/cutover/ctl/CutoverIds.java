package dev.cutover.ctl;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Cutover ids as {@code <database>-<yyyyMMdd-HHmmss>-<4 hex>} in UTC: readable in a log line, sorted by time per
 * database, and unlikely to collide when two operators start within the same second.
 */
final class CutoverIds {

    /** The saga's limit for an id; also the Kafka key, so every message of the cutover carries it. */
    static final int MAX_LENGTH = 128;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private CutoverIds() {
    }

    static String generate(String database, Clock clock, RandomGenerator random) {
        var suffix = HexFormat.of().toHexDigits((short) random.nextInt(0x10000));
        return check(database + "-" + STAMP.format(clock.instant()) + "-" + suffix, "--database");
    }

    /** An id as given by an operator; the saga refuses the same things, but the tool says so before publishing. */
    static String check(String id, String option) {
        if (id.isBlank() || id.chars().anyMatch(Character::isWhitespace) || id.length() > MAX_LENGTH) {
            throw new UsageException(option + " must make a cutover id without whitespace of at most " + MAX_LENGTH
                    + " characters, was '" + id + "'");
        }
        return id;
    }
}
