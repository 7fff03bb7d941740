package dev.cutover.cutover.runner;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import dev.cutover.cutover.saga.DatabaseName;

/**
 * The sagas of one kind that this instance acts on: those on the partitions its saga consumer was given. Not
 * thread-safe: the runner that holds it keeps it to one thread (the cutover saga's loop) or guards it with a lock, so
 * a revocation never lands in the middle of a decision.
 *
 * @param <K> the saga's id
 * @param <S> its state
 */
public final class OwnedSagas<K, S> {

    private final Map<K, SagaEntry<S>> sagas = new HashMap<>();
    private final Set<Integer> partitions = new HashSet<>();

    /** Takes over {@code partitions} with their sagas as the log had them when they were given to this instance. */
    public void adopt(Set<Integer> given, Map<K, SagaEntry<S>> found) {
        found.forEach((id, saga) -> {
            if (!given.contains(saga.partition())) {
                throw new IllegalArgumentException("saga " + id + " is on partition " + saga.partition()
                        + ", not on one of " + given);
            }
        });
        partitions.addAll(given);
        sagas.putAll(found);
    }

    /** Forgets the partitions and their sagas: another instance acts on them from now on. */
    public void release(Set<Integer> taken) {
        partitions.removeAll(taken);
        sagas.values().removeIf(saga -> taken.contains(saga.partition()));
    }

    public boolean owns(int partition) {
        return partitions.contains(partition);
    }

    /** Refuses a message from a partition this instance has not taken over: its sagas were not read back. */
    public void requireOwned(int partition, String message) {
        if (!owns(partition)) {
            throw new PartitionNotOwned(message + " came from partition " + partition + ", whose sagas this"
                    + " instance has not read back from the log (it owns " + partitions + ")");
        }
    }

    public Set<Integer> partitions() {
        return Set.copyOf(partitions);
    }

    public Optional<SagaEntry<S>> get(K id) {
        return Optional.ofNullable(sagas.get(id));
    }

    /** Records a saga's state after a decision; only sagas on owned partitions are acted on. */
    public void put(K id, SagaEntry<S> saga) {
        if (!owns(saga.partition())) {
            throw new PartitionNotOwned("saga " + id + " is on partition " + saga.partition()
                    + ", which this instance does not own (it owns " + partitions + ")");
        }
        sagas.put(id, saga);
    }

    /**
     * Puts back what a saga was before a decision whose transaction rolled back ({@code empty}: it was not known
     * here); nothing, if its partition has been released meanwhile.
     */
    public void restore(K id, Optional<SagaEntry<S>> before) {
        if (before.isEmpty()) {
            sagas.remove(id);
        } else if (owns(before.get().partition())) {
            sagas.put(id, before.get());
        }
    }

    /**
     * A message or decision for a partition this instance does not hold (yet, or any more): not the message's fault,
     * so it is delivered again rather than refused.
     */
    public static final class PartitionNotOwned extends IllegalStateException {

        PartitionNotOwned(String message) {
            super(message);
        }
    }

    /** An active saga of {@code database} other than {@code except}. */
    public Optional<K> active(DatabaseName database, K except, Predicate<S> isActive) {
        return sagas.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(except))
                .filter(entry -> entry.getValue().database().equals(database) && isActive.test(entry.getValue().state()))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** Every owned saga of {@code database} that is active. */
    public List<Map.Entry<K, SagaEntry<S>>> activeOf(DatabaseName database, Predicate<S> isActive) {
        return sagas.entrySet().stream()
                .filter(entry -> entry.getValue().database().equals(database) && isActive.test(entry.getValue().state()))
                .map(entry -> Map.entry(entry.getKey(), entry.getValue()))
                .toList();
    }

    /** The sagas whose deadline has passed at {@code now}. */
    public List<Map.Entry<K, SagaEntry<S>>> due(Instant now, BiFunction<S, DatabaseName, Optional<Instant>> deadline) {
        return sagas.entrySet().stream()
                .filter(entry -> deadline.apply(entry.getValue().state(), entry.getValue().database())
                        .filter(at -> !now.isBefore(at)).isPresent())
                .map(entry -> Map.entry(entry.getKey(), entry.getValue()))
                .toList();
    }

    public int size() {
        return sagas.size();
    }

    public long count(Predicate<S> predicate) {
        return sagas.values().stream().filter(saga -> predicate.test(saga.state())).count();
    }
}
