package dev.cutover.sandbox.zoo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.cutover.stack.Postgres;

/**
 * {@code pg_dump --schema-only} of both sides, normalised and compared line by line: the schema half of the
 * independent check where one pg_dump can read both servers. pg_dump refuses a server of a newer major version than
 * its own (Debian 12 ships pg_dump 15 and no newer client), so {@link #canDump} says whether this one applies.
 *
 * <p>Normalised: comments, blank lines, session settings and the {@code \restrict} guards (random per dump) go;
 * so do a range type's {@code multirange_type_name} (14 and later name the multirange every range type gets) and
 * the public schema's owner (15 and later give it to {@code pg_database_owner}, the database's owner by another
 * name, which pg_dump leaves unsaid; the catalogue compares it);
 * a procedure's arguments lose the {@code IN} that servers from 14 on print; a trigger executes a {@code FUNCTION}
 * where 11 prints {@code PROCEDURE}. Nothing else.
 */
final class SchemaDump {

    private static final Pattern MULTIRANGE_NAME = Pattern.compile("\\s*multirange_type_name = .*");
    private static final Pattern PROCEDURE_IN = Pattern.compile("(\\(|, )IN ");

    private SchemaDump() {
    }

    /** The major version of the pg_dump on the PATH, or 0 if there is none. */
    static int pgDumpMajor() {
        try {
            Process process = new ProcessBuilder("pg_dump", "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            var matcher = Pattern.compile("\\) (\\d+)").matcher(version);
            return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static boolean canDump(Postgres server) {
        return pgDumpMajor() >= server.majorVersion();
    }

    /** The lines on one side only, each as often as it is missing on the other. */
    static List<String> compare(Postgres source, Postgres target, String database) throws IOException, InterruptedException {
        Map<String, Integer> balance = new HashMap<>();
        dump(source, database).forEach(line -> balance.merge(line, 1, Integer::sum));
        dump(target, database).forEach(line -> balance.merge(line, -1, Integer::sum));
        List<String> differences = new ArrayList<>();
        balance.entrySet().stream().filter(e -> e.getValue() != 0).sorted(Map.Entry.comparingByKey())
                .forEach(e -> differences.add("pg_dump: " + (e.getValue() > 0 ? "source" : "target") + " only: " + e.getKey()));
        return differences;
    }

    static List<String> dump(Postgres server, String database) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("pg_dump", "--schema-only", "--no-publications", "--no-subscriptions",
                "--exclude-schema=cutover", "--host", server.host(), "--port", String.valueOf(server.port()),
                "--username", server.superuser(), "--dbname", database);
        builder.environment().put("PGPASSWORD", server.password());
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("pg_dump of " + database + " on " + server.host() + ":" + server.port()
                    + " failed: " + output);
        }
        return output.lines().filter(SchemaDump::kept).map(SchemaDump::normalise).toList();
    }

    /**
     * The replicator's record of changed rows on the target (its functions are in the cutover schema, left out above,
     * but pg_dump still prints their triggers on the application's tables) is cutover's own, not the schema's.
     */
    private static boolean kept(String line) {
        return !line.isBlank() && !line.contains(" TRIGGER cutover_changed_") && !MULTIRANGE_NAME.matcher(line).matches() && !line.startsWith("ALTER SCHEMA public OWNER TO ") && !line.startsWith("--") && !line.startsWith("SET ") && !line.startsWith("\\restrict")
                && !line.startsWith("\\unrestrict") && !line.startsWith("SELECT pg_catalog.set_config(");
    }

    private static String normalise(String line) {
        String kept = line.replace(" EXECUTE PROCEDURE ", " EXECUTE FUNCTION ");
        return kept.contains("PROCEDURE ") ? PROCEDURE_IN.matcher(kept).replaceAll("$1") : kept;
    }
}
