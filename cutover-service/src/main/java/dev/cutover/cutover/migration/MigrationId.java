package dev.cutover.cutover.migration;

import dev.cutover.cutover.saga.Text;

/** Names one attempt at preparing a target; it is the Kafka key, so every message of a migration stays in order in one partition. */
public record MigrationId(String value) {

    public MigrationId {
        Text.name(value, "migration id", 128);
        if (value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("migration id must not contain whitespace: '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
