package dev.cutover.schema.pgtools;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.Endpoint;

/**
 * PostgreSQL's client programs, run as processes. Passwords go through {@code PGPASSWORD}, never the
 * command line (where {@code ps} shows them); every other {@code PG*} variable of this process is
 * dropped so that a stray {@code PGHOST} or {@code PGOPTIONS} cannot redirect a dump.
 */
public final class PgTools {

    private final Path binDirectory;
    private final Path workDirectory;
    private final Duration timeout;

    /**
     * @param binDirectory  where pg_dump, pg_restore and psql are; {@code null} to find them on the PATH
     * @param workDirectory where archives and scripts are written while a command runs
     * @param timeout       how long one program may run before it is stopped
     */
    public PgTools(Path binDirectory, Path workDirectory, Duration timeout) {
        this.binDirectory = binDirectory;
        this.workDirectory = workDirectory;
        this.timeout = timeout;
    }

    /**
     * The installed pg_dump's version, or empty when there is none where it is expected. Asked anew every time
     * ({@code pg_dump --version}, a process: tens of milliseconds on a busy host), not remembered: an operator told
     * that pg_dump is missing or too old installs another and checks again, and behind Debian's and Ubuntu's
     * {@code pg_wrapper} (the {@code pg_dump} on the PATH of this service's image) a newly installed client answers
     * without any file at the configured path changing. The cutover's preflight, where every millisecond counts, does
     * not ask.
     */
    public Optional<ClientVersion> pgDumpVersion() {
        try {
            Result result = run(List.of(program("pg_dump"), "--version"), null);
            return result.exitCode() == 0 ? Optional.of(ClientVersion.parse(result.output())) : Optional.empty();
        } catch (StepFailure e) {
            return Optional.empty();
        }
    }

    /** Fails with what to install unless pg_dump exists and can dump a server of {@code serverMajor}. */
    public ClientVersion requirePgDump(int serverMajor) {
        ClientVersion version = pgDumpVersion().orElseThrow(() -> new StepFailure(
                "pg_dump was not found at " + program("pg_dump") + ": install the PostgreSQL " + serverMajor
                        + " client (or newer), or point cutover.schema.client-bin at its bin directory", false));
        if (!version.canDump(serverMajor)) {
            throw new StepFailure("pg_dump " + version.text() + " cannot dump a PostgreSQL " + serverMajor
                    + " server: install the PostgreSQL " + serverMajor + " client (or newer) and point "
                    + "cutover.schema.client-bin at it", false);
        }
        return version;
    }

    /**
     * Dumps part of the source's schema into a custom-format archive; the caller deletes the file.
     *
     * @param options pg_dump options besides the connection and the output, e.g. {@code --section=post-data}
     */
    public Path dump(Endpoint source, List<String> options) {
        Path archive = temporaryFile("dump");
        List<String> command = new ArrayList<>(List.of(program("pg_dump"), "--no-password", "--format=custom",
                "--file=" + archive));
        command.addAll(connection(source));
        command.addAll(options);
        check("pg_dump", source, run(command, source));
        return archive;
    }

    /** The archive's table of contents. */
    public Toc list(Path archive) {
        Result result = run(List.of(program("pg_restore"), "--list", archive.toString()), null);
        if (result.exitCode() != 0) {
            throw new StepFailure("pg_restore could not read the archive " + archive + ": "
                    + ToolErrors.firstError(result.output()), false);
        }
        return Toc.parse(result.output());
    }

    /** The SQL script for the chosen entries of an archive, in the order pg_dump wrote them. */
    public String script(Path archive, Toc selection) {
        Path listFile = temporaryFile("list");
        Path scriptFile = temporaryFile("sql");
        try {
            Files.writeString(listFile, selection.listFile(), StandardCharsets.UTF_8);
            Result result = run(List.of(program("pg_restore"), "--use-list=" + listFile, "--file=" + scriptFile,
                    archive.toString()), null);
            if (result.exitCode() != 0) {
                throw new StepFailure("pg_restore could not write a script from " + archive + ": "
                        + ToolErrors.firstError(result.output()), false);
            }
            return Files.readString(scriptFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StepFailure("cannot use the work directory " + workDirectory + " (" + e.getMessage()
                    + "): point cutover.schema.work-directory at a writable directory", false, e);
        } finally {
            delete(listFile);
            delete(scriptFile);
        }
    }

    /**
     * Runs a script with psql in one transaction that stops at the first error, so the target gets all
     * of it or nothing. psql, not JDBC: pg_dump's scripts hold psql commands such as {@code \restrict}.
     */
    public void apply(Endpoint target, String script) {
        Path scriptFile = temporaryFile("sql");
        try {
            Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(program("psql"), "--no-password", "--no-psqlrc", "--quiet",
                    "--set=ON_ERROR_STOP=1", "--single-transaction", "--file=" + scriptFile));
            command.addAll(connection(target));
            check("psql", target, run(command, target));
        } catch (IOException e) {
            throw new StepFailure("cannot write to the work directory " + workDirectory + " (" + e.getMessage()
                    + "): point cutover.schema.work-directory at a writable directory", false, e);
        } finally {
            delete(scriptFile);
        }
    }

    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A left-over temporary file is harmless; the next command writes a new one.
        }
    }

    private static List<String> connection(Endpoint endpoint) {
        return List.of("--host=" + endpoint.host(), "--port=" + endpoint.port(), "--username=" + endpoint.user(),
                "--dbname=" + endpoint.database());
    }

    private void check(String program, Endpoint endpoint, Result result) {
        if (result.exitCode() != 0) {
            ToolErrors.Explanation explanation = ToolErrors.explain(program, endpoint.describe(), result.output());
            throw new StepFailure(explanation.reason(), explanation.retryable());
        }
    }

    private String program(String name) {
        return binDirectory == null ? name : binDirectory.resolve(name).toString();
    }

    private Path temporaryFile(String suffix) {
        try {
            Files.createDirectories(workDirectory);
            return Files.createTempFile(workDirectory, "schema-", "." + suffix);
        } catch (IOException e) {
            throw new StepFailure("cannot write to the work directory " + workDirectory + " (" + e.getMessage()
                    + "): point cutover.schema.work-directory at a writable directory", false, e);
        }
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs a program with stdout and stderr merged into a file, so a chatty program never blocks on a full pipe. */
    private Result run(List<String> command, Endpoint endpoint) {
        Path output = temporaryFile("out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("PG"));
        environment.put("PGCONNECT_TIMEOUT", "10");
        environment.put("PGAPPNAME", "cutover-schema-service");
        if (endpoint != null) {
            environment.put("PGPASSWORD", endpoint.resolvePassword());
        }
        try {
            Process process = start(builder, command.getFirst());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new StepFailure(command.getFirst() + " did not finish within " + timeout
                        + ": raise cutover.schema.tool-timeout or look for locks on the server", true);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while " + command.getFirst() + " ran", true, e);
        } catch (IOException e) {
            throw new StepFailure("cannot read the output of " + command.getFirst() + ": " + e.getMessage(), false, e);
        } finally {
            delete(output);
        }
    }

    private static Process start(ProcessBuilder builder, String program) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new StepFailure(program + " cannot be run (" + e.getMessage() + "): install the PostgreSQL client "
                    + "programs or point cutover.schema.client-bin at their bin directory", false, e);
        }
    }
}
