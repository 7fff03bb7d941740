package dev.cutover.schema.section;

import java.time.Duration;
import java.util.Optional;

/**
 * What applying a section did.
 *
 * @param statements  archive entries executed (each one or a few SQL statements)
 * @param indexes     indexes created
 * @param constraints constraints created (keys, checks, foreign keys)
 * @param skipped     entries not run because the target already had them (a repeated command)
 * @param duration    from the dump of the source to the last statement on the target, the statistics gathered
 *                    after it included
 * @param note        what was done instead of applying the section, when that differs (a target whose schema was
 *                    created beforehand)
 */
public record SectionReport(int statements, int indexes, int constraints, int skipped, Duration duration,
        Optional<String> note) {

    /** A section applied as dumped. */
    public SectionReport(int statements, int indexes, int constraints, int skipped, Duration duration) {
        this(statements, indexes, constraints, skipped, duration, Optional.empty());
    }

    /** The same report, with a note on what was done differently. */
    public SectionReport noted(String text) {
        return new SectionReport(statements, indexes, constraints, skipped, duration, Optional.of(text));
    }

    /** What this and {@code other} did, one after the other; the notes are joined. */
    public SectionReport plus(SectionReport other) {
        Optional<String> notes = note.isEmpty() ? other.note
                : other.note.map(text -> note.get() + "; " + text).or(() -> note);
        return new SectionReport(statements + other.statements, indexes + other.indexes,
                constraints + other.constraints, skipped + other.skipped, duration.plus(other.duration), notes);
    }

    /** The same report, taking {@code duration} in all. */
    public SectionReport took(Duration duration) {
        return new SectionReport(statements, indexes, constraints, skipped, duration, note);
    }
}
