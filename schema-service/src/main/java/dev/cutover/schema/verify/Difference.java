package dev.cutover.schema.verify;

/**
 * One way the target's schema differs from the source's.
 *
 * @param kind   MISSING_&lt;KIND&gt; (only on the source), EXTRA_&lt;KIND&gt; (only on the target) or &lt;KIND&gt;_DIFFERS
 * @param object the object's qualified name
 * @param source its definition on the source; null when it is only on the target
 * @param target its definition on the target; null when it is only on the source
 */
public record Difference(String kind, String object, String source, String target) {
}
