package dev.cutover.schema.preflight;

import java.util.Arrays;

/**
 * Which checks run. {@code MIGRATION} runs all of them before the target is prepared; {@code CUTOVER}
 * runs, just before traffic stops, only those about things that can appear while a migration streams
 * (a new table without a key, a new large object, an app role dropped): the rest cannot change by then
 * or no longer apply (the target is no longer empty, the slot exists).
 */
public enum Scope {
    MIGRATION, CUTOVER;

    public static Scope parse(String text) {
        return Arrays.stream(values())
                .filter(scope -> scope.name().equalsIgnoreCase(text == null ? "" : text.strip()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown preflight scope '" + text
                        + "': use MIGRATION or CUTOVER"));
    }
}
