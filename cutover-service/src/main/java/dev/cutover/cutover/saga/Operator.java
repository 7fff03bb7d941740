package dev.cutover.cutover.saga;

/** The person (or automation account) who asked for a cutover or an abort; kept in the audit trail. */
public record Operator(String value) {

    public Operator {
        Text.name(value, "operator", 128);
    }

    @Override
    public String toString() {
        return value;
    }
}
