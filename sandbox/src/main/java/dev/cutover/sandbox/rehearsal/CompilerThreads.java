package dev.cutover.sandbox.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU time a JVM's JIT compiler threads have used, read from Linux's {@code /proc}: HotSpot names them
 * {@code C1 CompilerThre...} and {@code C2 CompilerThre...} ({@code comm}, cut at 15 characters), and each thread's
 * {@code schedstat} begins with its time on a CPU in nanoseconds.
 */
final class CompilerThreads {

    private static final String NAME = "CompilerThre";

    private CompilerThreads() {
    }

    /**
     * Each compiler thread's CPU time so far, by thread id; empty where {@code /proc} does not show the process's
     * threads and their time (not Linux, or no schedstat).
     */
    static Optional<Map<Long, Duration>> cpu(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isReadable(tasks.resolve(Long.toString(pid)).resolve("schedstat"))) {
            return Optional.empty();
        }
        Map<Long, Duration> compilers = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                compilerNanos(thread).ifPresent(nanos -> compilers.put(Long.parseLong(thread.getFileName().toString()),
                        Duration.ofNanos(nanos)));
            }
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
        return Optional.of(compilers);
    }

    /**
     * The CPU the threads of {@code after} used since {@code before}: a thread in both counts its growth, a thread new
     * since counts all its time, and a thread that ended meanwhile (HotSpot starts and stops compiler threads as work
     * comes and goes) counts nothing, rather than taking its earlier time away from the others.
     */
    static <K> Duration growth(Map<K, Duration> before, Map<K, Duration> after) {
        Duration used = Duration.ZERO;
        for (Map.Entry<K, Duration> thread : after.entrySet()) {
            Duration grown = thread.getValue().minus(before.getOrDefault(thread.getKey(), Duration.ZERO));
            used = used.plus(grown.isNegative() ? Duration.ZERO : grown);
        }
        return used;
    }

    private static Optional<Long> compilerNanos(Path thread) {
        try {
            if (!Files.readString(thread.resolve("comm")).contains(NAME)) {
                return Optional.empty();
            }
            String schedstat = Files.readString(thread.resolve("schedstat")).strip();
            return Optional.of(Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
        } catch (IOException | RuntimeException e) {
            // The thread ended while it was read.
            return Optional.empty();
        }
    }
}
