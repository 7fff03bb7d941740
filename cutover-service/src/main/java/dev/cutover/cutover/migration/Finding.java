package dev.cutover.cutover.migration;

import dev.cutover.cutover.saga.Text;
import java.util.Objects;
import java.util.Optional;

/** One thing a preflight check found: a blocker stops the migration before it touches anything, a warning is passed on. */
public record Finding(Severity severity, String check, String object, String message, Optional<String> remedy) {

    public enum Severity {
        BLOCKER,
        WARNING
    }

    public Finding {
        Objects.requireNonNull(severity, "severity must not be null");
        Text.notBlank(check, "check");
        Text.notBlank(object, "object");
        Text.notBlank(message, "message");
        Objects.requireNonNull(remedy, "remedy must not be null");
    }

    public boolean isBlocker() {
        return severity == Severity.BLOCKER;
    }

    /** "wal_level on server: must be logical (set wal_level = logical and restart)": one line an operator reads. */
    public String describe() {
        return check + " on " + object + ": " + message + remedy.map(fix -> " (" + fix + ")").orElse("");
    }
}
