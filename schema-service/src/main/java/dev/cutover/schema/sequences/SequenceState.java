package dev.cutover.schema.sequences;

/**
 * Where a sequence stands, as {@code setval(name, value, called)} takes it.
 *
 * @param name      qualified and quoted, e.g. {@code public."Order_id_seq"}
 * @param lastValue the sequence's {@code last_value}
 * @param called    its {@code is_called}: false until the first {@code nextval}, which then returns {@code lastValue}
 */
public record SequenceState(String name, long lastValue, boolean called) {
}
