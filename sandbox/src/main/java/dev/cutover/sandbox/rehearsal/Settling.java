package dev.cutover.sandbox.rehearsal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits, before a cutover, until the service processes have gone quiet: in production a cutover comes hours after the
 * migration, when the services' JVMs have long compiled their hot code, while a rehearsal starts it seconds after
 * {@code MigrationReady}, with the JIT compilers of five fresh JVMs still at work on the full load's code (measured at
 * 0.3-1.0 of the two cores until the switch, decision 119). Quiet: what the {@link Gauge} measures used less than its
 * share of one core over the last {@link #WINDOW}; the wait ends after {@code atMost} whatever the CPU.
 */
final class Settling {

    static final Duration WINDOW = Duration.ofSeconds(1);

    private Settling() {
    }

    /**
     * What is waited for.
     *
     * @param what  named in the line the wait prints
     * @param cpu   the CPU time so far of each of its threads or processes, by a key that names one; empty when it
     *              cannot be read, which is never taken for quiet
     * @param quiet the share of one core under which it is quiet
     */
    record Gauge(String what, Supplier<Optional<Map<String, Duration>>> cpu, double quiet) {

        /**
         * The services' JIT compiler threads, at most 2% of a core: the services' own idle work (a saga's polls, a
         * monitor's schedule) goes on in production too, and is not waited out (decision 126).
         */
        static Gauge compilers(Supplier<Optional<Map<String, Duration>>> cpu) {
            return new Gauge("the services' JIT compilers", cpu, 0.02);
        }

        /** The service processes as a whole, at most 10% of a core: where their threads cannot be told apart. */
        static Gauge processes(Supplier<Map<String, Duration>> cpu) {
            return new Gauge("the services", () -> Optional.of(cpu.get()), 0.10);
        }
    }

    /** What the wait found. */
    record Settled(String what, Duration waited, double cores, boolean quiet) {

        String describe() {
            if (Double.isNaN(cores)) {
                return String.format("%s could not be read after %.1f s: cutting over anyway", what,
                        waited.toMillis() / 1000.0);
            }
            return quiet
                    ? String.format("%s quiet after %.1f s (%.0f%% of a core over the last second)", what,
                            waited.toMillis() / 1000.0, cores * 100)
                    : String.format("%s still at %.0f%% of a core after %.1f s: cutting over anyway", what, cores * 100,
                            waited.toMillis() / 1000.0);
        }
    }

    /** @throws InterruptedException when interrupted while waiting */
    static Settled await(Gauge gauge, Duration atMost, PrintStream out) throws InterruptedException {
        long began = System.nanoTime();
        while (true) {
            Optional<Map<String, Duration>> before = gauge.cpu().get();
            long from = System.nanoTime();
            Thread.sleep(WINDOW);
            Optional<Map<String, Duration>> after = gauge.cpu().get();
            // Unreadable is not quiet: NaN is under no share of a core.
            double cores = before.isEmpty() || after.isEmpty() ? Double.NaN
                    : (double) CompilerThreads.growth(before.get(), after.get()).toNanos() / (System.nanoTime() - from);
            Duration waited = Duration.ofNanos(System.nanoTime() - began);
            boolean quiet = cores < gauge.quiet();
            if (quiet || waited.compareTo(atMost) >= 0) {
                Settled settled = new Settled(gauge.what(), waited, cores, quiet);
                out.printf("settled      %s%n", settled.describe());
                return settled;
            }
        }
    }
}
