package dev.cutover.sandbox.rehearsal;

/** The rehearsal could not go on; the message says which step and why, as its participant reported it. */
class RehearsalFailed extends RuntimeException {

    RehearsalFailed(String message) {
        super(message);
    }
}
