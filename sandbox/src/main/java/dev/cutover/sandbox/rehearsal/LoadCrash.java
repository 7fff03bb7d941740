package dev.cutover.sandbox.rehearsal;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.FullLoadResumed;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationStepStarted;
import dev.cutover.events.TableCopied;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;

/**
 * {@code --kill-replicator-mid-load}: a replicator process killed with SIGKILL as the full load's first table is
 * reported copied, as a crash or the OOM killer ends it, in the production layout. With one replicator it is started
 * again at once; with several, it stays dead until the migration is ready and the others must finish the load. The
 * report then says how the load went on (taken up from its record on the target, or the killed instance's tasks copied
 * by the others), whether any table was reported copied twice, and how long the load took, to compare with a run
 * without the crash.
 */
final class LoadCrash implements AutoCloseable {

    private final KafkaProbe watch;
    private final Services services;
    private final boolean restart;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Instant killedAt;
    private volatile int tablesBefore;
    private volatile String failure;

    /** @param restart start the killed process again at once (one replicator), else leave it dead for now */
    LoadCrash(Map<String, Object> busLogin, Services services, boolean restart) {
        this.watch = new KafkaProbe(busLogin);
        this.services = services;
        this.restart = restart;
        this.thread = Thread.ofPlatform().name("load-crash").daemon().unstarted(this::run);
    }

    /** Starts watching the bus, before the migration starts. */
    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (!stopping && killedAt == null) {
                List<SpecificRecord> polled = watch.poll(Duration.ofMillis(20));
                long copied = polled.stream().filter(TableCopied.class::isInstance).count();
                if (copied > 0) {
                    services.stop(Services.Service.REPLICATOR);
                    killedAt = Instant.now();
                    tablesBefore = (int) copied;
                    if (restart) {
                        services.start(Services.Service.REPLICATOR);
                    }
                }
            }
        } catch (RuntimeException e) {
            failure = "the replicator's crash could not be staged: " + e;
        }
    }

    /** The killed instance started again, once the migration is ready and the cutover may need it for its tidy-up. */
    void restoreReplicator() {
        if (!restart && killedAt != null) {
            services.start(Services.Service.REPLICATOR);
        }
    }

    /** How the load went on after the crash, read from the messages the rehearsal saw on the bus. */
    void report(List<SpecificRecord> seen, PrintStream out) {
        if (failure != null) {
            out.printf("  crash      %s%n", failure);
            return;
        }
        if (killedAt == null) {
            out.println("  crash      no table was reported copied, so no replicator was killed");
            return;
        }
        Optional<Instant> loadStarted = first(seen, MigrationStepStarted.class,
                step -> "FULL_LOAD".equals(step.getStep()));
        Optional<Instant> loadEnded = first(seen, MigrationStepStarted.class, step -> "POST_DATA".equals(step.getStep()));
        Optional<Instant> ready = first(seen, MigrationReady.class, any -> true);
        Map<String, Long> reports = seen.stream().filter(TableCopied.class::isInstance).map(TableCopied.class::cast)
                .collect(Collectors.groupingBy(copied -> copied.getTable().toString(), Collectors.counting()));
        long twice = reports.values().stream().filter(count -> count > 1).count();
        out.printf("  crash      replicator killed (SIGKILL) %s into the full load, as %d table(s) were reported"
                + " copied; %s%n", loadStarted.map(start -> seconds(start, killedAt)).orElse("?"), tablesBefore,
                restart ? "started again at once" : "left dead until the migration was ready");
        Optional<FullLoadResumed> resumed = seen.stream().filter(FullLoadResumed.class::isInstance)
                .map(FullLoadResumed.class::cast).findFirst();
        long tasksCopiedTwice = SharedLoad.copiedTwice(seen);
        String how = resumed.map(load -> "taken up from its record on the target: " + load.getKeptTables().size()
                + " table(s) kept, not copied again; " + load.getWithheldTables().size() + " left to the subscription's"
                + " table synchronisation").orElse(seen.stream().anyMatch(FullLoadCompleted.class::isInstance)
                ? "finished by the load that was running (the instance killed held none of its snapshot)"
                : "not finished");
        out.printf("  crash      the load was %s; tables reported copied twice: %d; shared tasks copied twice: %d%n",
                how, twice, tasksCopiedTwice);
        out.printf("  crash      full load %s, migration ready %s after the load began%n",
                loadStarted.flatMap(start -> loadEnded.map(end -> seconds(start, end))).orElse("?"),
                loadStarted.flatMap(start -> ready.map(end -> seconds(start, end))).orElse("?"));
    }

    private static <T extends SpecificRecord> Optional<Instant> first(List<SpecificRecord> seen, Class<T> type,
            Predicate<T> matches) {
        return seen.stream().filter(type::isInstance).map(type::cast).filter(matches)
                .map(message -> MessagePublisher.metadataOf(message).getOccurredAt()).findFirst();
    }

    private static String seconds(Instant from, Instant to) {
        return String.format(java.util.Locale.ROOT, "%.1f s", Duration.between(from, to).toMillis() / 1000.0);
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(Duration.ofSeconds(5));
        watch.close();
    }
}
