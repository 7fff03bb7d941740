package dev.cutover.ctl;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Cutover ids as {@code <database>-<yyyyMMdd-HHmmss>-<4 hex>} in UTC (migration ids with {@code -migration} after
 * the database): readable in a log line, sorted by time per
 * database, and unlikely to collide when two operators start within the same second. The console makes its ids here
 * too, so a cutover's id reads the same whoever started it.
 */
public final class CutoverIds {

    /** The saga's limit for an id; also the Kafka key, so every message of the cutover carries it. */
    static final int MAX_LENGTH = 128;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private CutoverIds() {
    }

    public static String generate(String database, Clock clock, RandomGenerator random) {
        return check(database + "-" + stamp(clock, random), "--database");
    }

    /**
     * {@code <database>-migration-<yyyyMMdd-HHmmss>-<4 hex>}: a migration's messages share the topics with cutovers',
     * so the word keeps the two apart for a person reading either.
     */
    static String generateMigration(String database, Clock clock, RandomGenerator random) {
        return check(database + "-migration-" + stamp(clock, random), "--database");
    }

    private static String stamp(Clock clock, RandomGenerator random) {
        return STAMP.format(clock.instant()) + "-" + HexFormat.of().toHexDigits((short) random.nextInt(0x10000));
    }

    /** An id as given by an operator; the saga refuses the same things, but the tool says so before publishing. */
    static String check(String id, String option) {
        if (id.isBlank() || id.chars().anyMatch(Character::isWhitespace) || id.length() > MAX_LENGTH) {
            throw new UsageException(option + " must make an id without whitespace of at most " + MAX_LENGTH
                    + " characters, was '" + id + "'");
        }
        return id;
    }
}
