package dev.cutover.schema.sequences;

/**
 * A sequence's name and bounds, which limit where a margin may move it.
 *
 * @param name      qualified and quoted, e.g. {@code public."Order_id_seq"}
 * @param increment positive for ascending sequences, negative for descending ones
 * @param min       its MINVALUE
 * @param max       its MAXVALUE
 */
public record SequenceDefinition(String name, long increment, long min, long max) {

    public SequenceDefinition {
        if (increment == 0) {
            throw new IllegalArgumentException("a sequence's increment cannot be 0: " + name);
        }
        if (min > max) {
            throw new IllegalArgumentException("MINVALUE above MAXVALUE for " + name);
        }
    }

    /**
     * Where the target's copy of this sequence goes: the source's position moved {@code margin} steps
     * further in the sequence's direction, within its bounds, so that the target never hands out a
     * value the source may already have used.
     */
    SequenceState onTarget(SequenceState source, long margin) {
        if (margin == 0) {
            return source;
        }
        long step;
        long moved;
        try {
            step = Math.multiplyExact(margin, Long.signum(increment));
            moved = Math.addExact(source.lastValue(), step);
        } catch (ArithmeticException overflow) {
            moved = increment > 0 ? max : min;
        }
        return new SequenceState(name, Math.max(min, Math.min(max, moved)), source.called());
    }
}
