package dev.cutover.cutover.runner;

import java.util.Optional;

import dev.cutover.cutover.saga.Cutover;
import dev.cutover.cutover.saga.CutoverId;

/**
 * Read access to every cutover, for the ops API, on any instance: the cutovers as folded from {@code cutover.events}
 * by this instance's projection, whichever instance runs them, a poll behind the log (tens of milliseconds).
 */
@FunctionalInterface
public interface CutoverQueries {

    /** Where the cutover stands as far as the log has been read; empty if it never started (or not yet). */
    Optional<Cutover> state(CutoverId id);
}
