package dev.cutover.cutover.saga;

/** Names one cutover; it is the Kafka key, so every message of a cutover stays in order in one partition. */
public record CutoverId(String value) {

    public CutoverId {
        Text.name(value, "cutover id", 128);
        if (value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("cutover id must not contain whitespace: '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
