package dev.cutover.cutover.runner;

import java.util.Optional;

import dev.cutover.cutover.saga.Cutover;
import dev.cutover.cutover.saga.CutoverId;

/** Read access to the sagas' states, for the ops API. */
public interface CutoverQueries {

    /** Where the cutover stands, as this instance folded it; empty if it never saw the cutover. */
    Optional<Cutover> state(CutoverId id);
}
