package dev.cutover.sandbox.rehearsal;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.CopyLoadTask;
import dev.cutover.events.LoadTaskDone;
import dev.cutover.events.topic.Topics;
import dev.cutover.platform.KafkaProbe;

/**
 * A full load shared by several replicator processes, as the rehearsal shows it: which instance copied how many of
 * the load's tasks, read from the tasks and their answers on the bus.
 */
final class SharedLoad {

    /** The topics besides the probe's usual ones that a shared load's tasks and answers travel on. */
    static final List<String> TOPICS = List.of(Topics.LOAD_TASKS.name(), Topics.LOAD_TASK_RESULTS.name());

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private SharedLoad() {
    }

    /**
     * Reads until every task handed out has an answer that copied it, then prints the tasks by instance; returns the
     * count by instance (empty when no task was handed out: the load was not shared).
     */
    static Map<String, Long> report(KafkaProbe bus, PrintStream out) {
        Instant deadline = Instant.now().plus(PATIENCE);
        bus.poll(Duration.ofMillis(200));
        while (!complete(bus.seen()) && Instant.now().isBefore(deadline)) {
            bus.poll(Duration.ofMillis(200));
        }
        List<SpecificRecord> seen = bus.seen();
        Set<String> handedOut = handedOut(seen);
        Map<String, Long> byInstance = new TreeMap<>(copied(seen).collect(
                Collectors.groupingBy(LoadTaskDone::getCopiedBy, Collectors.counting())));
        if (handedOut.isEmpty()) {
            out.printf("  load       not shared: no task was handed out on %s%n", Topics.LOAD_TASKS.name());
        } else {
            long foundCopied = seen.stream().filter(LoadTaskDone.class::isInstance).map(LoadTaskDone.class::cast)
                    .filter(done -> done.getFailure() == null && done.getAlreadyCopied()).count();
            out.printf("  load       %d tasks shared by %d replicator instances: %s%s%s%n", handedOut.size(),
                    byInstance.size(), byInstance.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")),
                    foundCopied == 0 ? "" : "; " + foundCopied + " found copied already (an earlier delivery committed it)",
                    complete(seen) ? "" : " (not every task's answer was read within " + PATIENCE.toSeconds() + " s)");
        }
        return byInstance;
    }

    private static boolean complete(List<SpecificRecord> seen) {
        Set<String> handedOut = handedOut(seen);
        // A task whose first copier died after committing it is answered by the next one as found copied already.
        Set<String> answered = seen.stream().filter(LoadTaskDone.class::isInstance).map(LoadTaskDone.class::cast)
                .filter(done -> done.getFailure() == null).map(SharedLoad::task).collect(Collectors.toSet());
        return !handedOut.isEmpty() && answered.containsAll(handedOut);
    }

    /** Every task handed out, as load and number. */
    private static Set<String> handedOut(List<SpecificRecord> seen) {
        return seen.stream().filter(CopyLoadTask.class::isInstance).map(CopyLoadTask.class::cast)
                .map(task -> task.getLoadId() + "#" + task.getTask()).collect(Collectors.toSet());
    }

    /** How many tasks more than one answer says it copied: a task copied twice is a load's work done again. */
    static long copiedTwice(List<SpecificRecord> seen) {
        return copied(seen).collect(Collectors.groupingBy(SharedLoad::task, Collectors.counting())).values().stream()
                .filter(count -> count > 1).count();
    }

    private static String task(LoadTaskDone done) {
        return done.getLoadId() + "#" + done.getTask();
    }

    /** The answers that copied a task (not those that found it copied already, nor failures). */
    private static Stream<LoadTaskDone> copied(List<SpecificRecord> seen) {
        return seen.stream().filter(LoadTaskDone.class::isInstance).map(LoadTaskDone.class::cast)
                .filter(done -> done.getFailure() == null && !done.getAlreadyCopied());
    }
}
