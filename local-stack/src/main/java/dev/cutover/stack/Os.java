package dev.cutover.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Running commands, switching to the postgres user when we are root, and file chores. */
final class Os {

    private static final Logger log = LoggerFactory.getLogger(Os.class);

    static final String POSTGRES_USER = "postgres";

    private static final boolean ROOT = detectRoot();
    private static volatile boolean userSwitchWorks;

    private Os() {
    }

    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    static boolean isRoot() {
        return ROOT;
    }

    private static boolean detectRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * The command as it must run for PostgreSQL, which refuses to run as root: unchanged for other
     * users, and under {@code setpriv} as the postgres user for root.
     */
    static List<String> asPostgresUser(List<String> command) {
        if (!ROOT) {
            return command;
        }
        List<String> switched = new ArrayList<>(List.of(
                "setpriv", "--reuid=" + POSTGRES_USER, "--regid=" + POSTGRES_USER, "--clear-groups", "--reset-env",
                "env", "LC_ALL=C"));
        switched.addAll(command);
        return switched;
    }

    /** When root, checks that the postgres user exists and that we may switch to it. */
    static void checkCanRunAsPostgresUser(Path scratch) {
        if (!ROOT || userSwitchWorks) {
            return;
        }
        Result id = run(List.of("id", "-u", POSTGRES_USER), scratch.resolve("id.out"), Duration.ofSeconds(10));
        if (!id.succeeded()) {
            throw new StackException("PostgreSQL refuses to run as root, and this machine has no '" + POSTGRES_USER
                    + "' user to run it as. Create one (`useradd --system --user-group --home-dir /var/lib/postgresql postgres`) "
                    + "or run the build as a non-root user.");
        }
        Result probe = run(asPostgresUser(List.of("true")), scratch.resolve("setpriv.out"), Duration.ofSeconds(10));
        if (!probe.succeeded()) {
            throw new StackException("PostgreSQL refuses to run as root, and switching to the '" + POSTGRES_USER
                    + "' user with setpriv failed: " + probe.output().strip()
                    + ". Run the build as a non-root user, or as root with the CAP_SETUID and CAP_SETGID capabilities "
                    + "(in a container: do not drop them), and install util-linux for setpriv.");
        }
        userSwitchWorks = true;
    }

    /** Makes the postgres user own the tree, when we are root. */
    static void giveToPostgresUser(Path path) {
        if (!ROOT) {
            return;
        }
        Path output = Path.of(System.getProperty("java.io.tmpdir"),
                "cutover-chown-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId() + ".out");
        Result chown = run(List.of("chown", "-R", POSTGRES_USER + ":" + POSTGRES_USER, path.toString()), output, Duration.ofMinutes(1));
        try {
            Files.deleteIfExists(output);
        } catch (IOException ignored) {
            // a scratch file in the temp directory
        }
        if (!chown.succeeded()) {
            throw new StackException("cannot give " + path + " to the " + POSTGRES_USER + " user: " + chown.output());
        }
    }

    /**
     * When root, checks that the postgres user can reach the directory: every parent must be
     * searchable by others (a directory under /root is not).
     */
    static void checkReachableByPostgresUser(Path directory) {
        if (!ROOT) {
            return;
        }
        for (Path p = directory.toAbsolutePath(); p != null; p = p.getParent()) {
            try {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new StackException(directory + " is not reachable by the " + POSTGRES_USER + " user, which runs PostgreSQL, because "
                            + p + " is not searchable by others (mode " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                            + "). Use a work directory under /tmp or /var/tmp.");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Whether the process still runs. A server started through pg_ctl is the child of init, and
     * some inits reap only now and then: a zombie has finished, though {@link ProcessHandle#isAlive()}
     * says otherwise.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** Waits until the process has finished; false if it still runs at the deadline. */
    static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning(process);
            }
        }
        return true;
    }

    /**
     * Stops a server process: SIGTERM, then SIGKILL if it still runs after {@code patience}.
     *
     * @param name for the warning when it had to be killed, e.g. "named" or "Kafka at 127.0.0.1:9092"
     */
    static void terminate(Process process, String name, Duration patience) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(process.toHandle(), patience)) {
            log.warn("{} did not stop within {} s of SIGTERM; killing it", name, patience.toSeconds());
            process.destroyForcibly();
            awaitExit(process.toHandle(), patience);
        }
    }

    /** Runs a command to completion, its output (both streams) going to a file. */
    static Result run(List<String> command, Path outputFile, Duration timeout) {
        try {
            Files.createDirectories(outputFile.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", command) + "\n" + read(outputFile));
            }
            return new Result(process.exitValue(), read(outputFile));
        } catch (IOException e) {
            return new Result(-1, "cannot run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while running " + String.join(" ", command), e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            return "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines of a log file, to put in an error message. */
    static String tail(Path file, int lines) {
        List<String> all = read(file).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** An executable by name: from a system property, else PATH, else the extra directories. */
    static Optional<Path> findExecutable(String name, String property, List<String> extraDirectories) {
        String configured = System.getProperty(property);
        if (configured != null) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        directories.addAll(extraDirectories);
        return directories.stream()
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** A new directory in the temp directory that other users (postgres) can enter, marked with our pid. */
    static Path createWorkDirectory(String kind) {
        try {
            Reaper.reapAbandonedOnce();
            Path directory = Files.createTempDirectory("cutover-" + kind + "-");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(directory.resolve(Reaper.OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return directory;
        } catch (IOException e) {
            throw new StackException("cannot create a work directory in " + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new StackException("cannot create " + directory + ": " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
