package dev.cutover.cutover.runner;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import dev.cutover.cutover.saga.DatabaseName;

/**
 * Every saga of one kind folded from its own events, in log order: the pure part of {@link SagaProjection}. A saga
 * whose history the decider refuses (an event that does not fit its state) is set aside as unreadable rather than
 * shown in a state it never had; nobody acts on it, and the log line says which saga and why.
 *
 * @param <K> the saga's id
 * @param <S> its state
 * @param <E> its own events
 */
final class SagaFold<K, S, E> {

    private final S initial;
    private final BiFunction<S, E, S> evolve;
    private final Predicate<S> isActive;
    private final Map<K, SagaEntry<S>> sagas = new LinkedHashMap<>();
    private final Set<K> unreadable = new HashSet<>();

    SagaFold(S initial, BiFunction<S, E, S> evolve, Predicate<S> isActive) {
        this.initial = initial;
        this.evolve = evolve;
        this.isActive = isActive;
    }

    /**
     * Folds one event read from {@code partition}; the saga's partition is the one its latest event came from.
     *
     * @return why the saga became unreadable with this event, or empty
     */
    Optional<String> apply(K id, DatabaseName database, int partition, E event) {
        if (unreadable.contains(id)) {
            return Optional.empty();
        }
        SagaEntry<S> before = sagas.get(id);
        S state = before == null ? initial : before.state();
        try {
            S next = evolve.apply(state, event);
            sagas.put(id, new SagaEntry<>(next, before == null ? database : before.database(), partition));
            return Optional.empty();
        } catch (RuntimeException e) {
            sagas.remove(id);
            unreadable.add(id);
            return Optional.of(e.getMessage() == null ? e.getClass().getName() : e.getMessage());
        }
    }

    Optional<S> state(K id) {
        return Optional.ofNullable(sagas.get(id)).map(SagaEntry::state);
    }

    /** The sagas whose messages are on one of {@code partitions}. */
    Map<K, SagaEntry<S>> in(Set<Integer> partitions) {
        Map<K, SagaEntry<S>> found = new HashMap<>();
        sagas.forEach((id, saga) -> {
            if (partitions.contains(saga.partition())) {
                found.put(id, saga);
            }
        });
        return found;
    }

    /** An active saga of {@code database} other than {@code except}, on none of {@code excluded}. */
    Optional<K> active(DatabaseName database, K except, Set<Integer> excluded) {
        return sagas.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(except) && !excluded.contains(entry.getValue().partition()))
                .filter(entry -> entry.getValue().database().equals(database) && isActive.test(entry.getValue().state()))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
