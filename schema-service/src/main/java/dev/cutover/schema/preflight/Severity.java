package dev.cutover.schema.preflight;

/** A blocker stops the run until someone fixes it; a warning is shown and the run goes on. */
public enum Severity {
    BLOCKER, WARNING
}
