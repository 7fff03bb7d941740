package dev.cutover.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure no server outlives the JVM that started it: a shutdown hook closes every running part
 * (Ctrl-C, a test run that ends without closing its stack), and the first start in a JVM stops
 * servers left behind by a JVM that was killed outright.
 */
final class Reaper {

    static final String OWNER_FILE = ".cutover-owner-pid";

    private static final Logger log = LoggerFactory.getLogger(Reaper.class);
    private static final Deque<AutoCloseable> RUNNING = new ConcurrentLinkedDeque<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    private static final AtomicBoolean REAPED = new AtomicBoolean();

    private Reaper() {
    }

    static void register(AutoCloseable part) {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(Reaper::closeAll, "cutover-stack-shutdown"));
        }
        RUNNING.add(part);
    }

    static void unregister(AutoCloseable part) {
        RUNNING.remove(part);
    }

    private static void closeAll() {
        for (Iterator<AutoCloseable> it = RUNNING.descendingIterator(); it.hasNext(); ) {
            AutoCloseable part = it.next();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("could not stop {} at JVM exit", part, e);
            }
        }
    }

    /** Stops servers whose work directory belongs to a JVM that no longer runs, and deletes those directories. */
    static void reapAbandonedOnce() {
        if (!REAPED.compareAndSet(false, true)) {
            return;
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(temp)) {
            entries.filter(p -> p.getFileName().toString().startsWith("cutover-"))
                    .filter(p -> Files.isRegularFile(p.resolve(OWNER_FILE)))
                    .filter(Reaper::ownerIsGone)
                    .forEach(Reaper::reap);
        } catch (IOException | RuntimeException e) {
            log.warn("could not look for servers left behind in {}", temp, e);
        }
    }

    private static boolean ownerIsGone(Path directory) {
        try {
            long owner = Long.parseLong(Files.readString(directory.resolve(OWNER_FILE)).strip());
            return ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void reap(Path directory) {
        log.info("stopping servers left behind by a JVM that is gone, in {}", directory);
        try (Stream<Path> files = Files.walk(directory, 4)) {
            for (Path pidFile : files.filter(Reaper::isPidFile).toList()) {
                String name = pidFile.getFileName().toString();
                boolean postgres = name.equals("postmaster.pid");
                String program = postgres ? "postgres" : name.substring(0, name.length() - ".pid".length());
                pidIn(pidFile)
                        .flatMap(ProcessHandle::of)
                        .filter(p -> p.info().command().map(c -> c.endsWith(program)).orElse(false))
                        .ifPresent(process -> stop(process, postgres ? "-QUIT" : "-TERM"));
            }
            Os.deleteRecursively(directory);
        } catch (IOException | RuntimeException e) {
            log.warn("could not clean up {}", directory, e);
        }
    }

    private static boolean isPidFile(Path file) {
        String name = file.getFileName().toString();
        return name.equals("postmaster.pid") || name.equals("named.pid") || name.equals("pgbouncer.pid");
    }

    private static Optional<Long> pidIn(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void stop(ProcessHandle process, String signal) {
        Path output = Path.of(System.getProperty("java.io.tmpdir"), "cutover-reaper-" + ProcessHandle.current().pid() + ".out");
        Os.run(List.of("kill", signal, Long.toString(process.pid())), output, Duration.ofSeconds(10));
        try {
            Files.deleteIfExists(output);
        } catch (IOException ignored) {
            // only a scratch file in the temp directory
        }
        if (!Os.awaitExit(process, Duration.ofSeconds(10))) {
            process.destroyForcibly();
        }
    }
}
