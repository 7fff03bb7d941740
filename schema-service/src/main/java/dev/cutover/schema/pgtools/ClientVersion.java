package dev.cutover.schema.pgtools;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of a PostgreSQL client program, as printed by {@code --version}.
 *
 * @param major major version: 15 for 15.18, 9 for 9.6.24
 * @param text  the whole version as printed, for messages
 */
public record ClientVersion(int major, String text) {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(\\.\\d+)?([^\\s]*)");

    public ClientVersion {
        if (major < 1) {
            throw new IllegalArgumentException("major version must be positive, was " + major);
        }
    }

    /** Reads {@code pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)}. */
    public static ClientVersion parse(String versionLine) {
        Matcher matcher = VERSION.matcher(versionLine);
        if (!matcher.find()) {
            throw new IllegalArgumentException("not a PostgreSQL client version: " + versionLine.strip());
        }
        int major = Integer.parseInt(matcher.group(1));
        return new ClientVersion(major, matcher.group(0).substring("(PostgreSQL) ".length()));
    }

    /** pg_dump refuses to dump a server whose major version is newer than its own. */
    public boolean canDump(int serverMajor) {
        return serverMajor <= major;
    }
}
