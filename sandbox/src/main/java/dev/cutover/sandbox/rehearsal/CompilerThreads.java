package dev.cutover.sandbox.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /** Empty where {@code /proc} does not show the process's threads and their time (not Linux, or no schedstat). */
    static Optional<Duration> cpu(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isReadable(tasks.resolve(Long.toString(pid)).resolve("schedstat"))) {
            return Optional.empty();
        }
        long nanos = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                nanos += compilerNanos(thread);
            }
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(nanos));
    }

    private static long compilerNanos(Path thread) {
        try {
            if (!Files.readString(thread.resolve("comm")).contains(NAME)) {
                return 0;
            }
            String schedstat = Files.readString(thread.resolve("schedstat")).strip();
            return Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            // The thread ended while it was read (HotSpot starts and stops compiler threads as work comes and goes).
            return 0;
        }
    }
}
