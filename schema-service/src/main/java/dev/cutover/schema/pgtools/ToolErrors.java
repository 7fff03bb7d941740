package dev.cutover.schema.pgtools;

import java.util.Arrays;
import java.util.Locale;

/**
 * Turns what a failed client program printed into a reason an operator can act on. The programs'
 * messages are stable across versions ("ERROR:  relation \"x\" already exists"); matching them here
 * keeps the advice in one place.
 */
final class ToolErrors {

    /**
     * What went wrong.
     *
     * @param reason    a sentence that says what to do
     * @param retryable whether the same command may succeed later without a change by a person
     */
    record Explanation(String reason, boolean retryable) {
    }

    private ToolErrors() {
    }

    static Explanation explain(String program, String server, String output) {
        String first = firstError(output);
        String lower = output.toLowerCase(Locale.ROOT);
        if (lower.contains("server version mismatch")) {
            return new Explanation(program + " is older than the server at " + server + " (" + first
                    + "): install the PostgreSQL client of the server's major version or newer and point "
                    + "cutover.schema.client-bin at it", false);
        }
        if (lower.contains("already exists")) {
            return new Explanation("the target at " + server + " already has an object the schema creates (" + first
                    + "): apply the schema to an empty database, or drop what is there and send the command again",
                    false);
        }
        if (lower.contains("role \"") && lower.contains("does not exist")) {
            return new Explanation("a role the schema names is missing at " + server + " (" + first
                    + "): create it there (preflight's schema_roles finding gives the SQL for every missing role), or set"
                    + " cutover.databases.<name>.create-missing-roles=true so that pre-data creates them, then run the"
                    + " step again", false);
        }
        if (lower.contains("permission denied") || lower.contains("must be owner") || lower.contains("must be superuser")) {
            return new Explanation("the user has too few privileges at " + server + " (" + first
                    + "): use a superuser (or on RDS the master user) in cutover.databases.<name>", false);
        }
        if (lower.contains("password authentication failed") || lower.contains("no pg_hba.conf entry")) {
            return new Explanation(program + " could not log in to " + server + " (" + first
                    + "): check the user, its password and pg_hba.conf", false);
        }
        if (lower.contains("could not connect") || lower.contains("connection refused") || lower.contains("timeout expired")
                || lower.contains("server closed the connection")) {
            return new Explanation(program + " could not reach " + server + " (" + first
                    + "): check that the server is up and reachable; the command can be sent again", true);
        }
        return new Explanation(program + " failed against " + server + ": " + first, false);
    }

    /** The first line that says ERROR (psql, pg_restore) or the program's own error, else the first line. */
    static String firstError(String output) {
        String[] lines = output.strip().split("\n");
        return Arrays.stream(lines)
                .filter(line -> line.contains("ERROR:") || line.contains("error:") || line.contains("FATAL:"))
                .findFirst()
                .or(() -> Arrays.stream(lines).filter(line -> !line.isBlank()).findFirst())
                .map(String::strip)
                .orElse("no output");
    }
}
