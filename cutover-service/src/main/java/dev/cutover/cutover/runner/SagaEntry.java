package dev.cutover.cutover.runner;

import dev.cutover.cutover.saga.DatabaseName;

/**
 * One saga as a runner or the projection holds it.
 *
 * @param state     where the saga stands
 * @param database  the database it moves
 * @param partition the partition number its messages are on (the same on {@code cutover.commands} and
 *                  {@code cutover.events}, since they share the saga's key): which instance acts on it
 * @param <S>       the saga's state type
 */
public record SagaEntry<S>(S state, DatabaseName database, int partition) {

    public SagaEntry<S> with(S next) {
        return new SagaEntry<>(next, database, partition);
    }
}
