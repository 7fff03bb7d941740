package dev.cutover.sandbox.rehearsal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits, before a cutover, until the service processes have gone quiet: in production a cutover comes hours after the
 * migration, when the services' JVMs have long compiled their hot code, while a rehearsal starts it seconds after
 * {@code MigrationReady}, with the JIT compilers of five fresh JVMs still at work on the full load's code (measured at
 * 0.3-1.0 of the two cores until the switch, decision 119). Quiet: the services together used less than
 * {@link #QUIET} of one core over the last {@link #WINDOW}; the wait ends after {@code atMost} whatever the CPU.
 */
final class Settling {

    static final Duration WINDOW = Duration.ofSeconds(1);
    static final double QUIET = 0.10;

    private Settling() {
    }

    /** What the wait found. */
    record Settled(Duration waited, double cores, boolean quiet) {

        String describe() {
            return quiet
                    ? String.format("services quiet after %.1f s (%.0f%% of a core over the last second)",
                            waited.toMillis() / 1000.0, cores * 100)
                    : String.format("services still at %.0f%% of a core after %.1f s: cutting over anyway", cores * 100,
                            waited.toMillis() / 1000.0);
        }
    }

    /**
     * @param cpu the services' CPU time so far
     * @throws InterruptedException when interrupted while waiting
     */
    static Settled await(Supplier<Duration> cpu, Duration atMost, PrintStream out) throws InterruptedException {
        long began = System.nanoTime();
        double cores = Double.NaN;
        while (true) {
            Duration before = cpu.get();
            long from = System.nanoTime();
            Thread.sleep(WINDOW);
            cores = (double) cpu.get().minus(before).toNanos() / (System.nanoTime() - from);
            Duration waited = Duration.ofNanos(System.nanoTime() - began);
            if (cores < QUIET || waited.compareTo(atMost) >= 0) {
                Settled settled = new Settled(waited, cores, cores < QUIET);
                out.printf("settled      %s%n", settled.describe());
                return settled;
            }
        }
    }
}
