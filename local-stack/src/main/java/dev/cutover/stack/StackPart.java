package dev.cutover.stack;

/** The parts a {@link LocalStack} can run. */
public enum StackPart {
    KAFKA,
    SOURCE,
    TARGET,
    DNS
}
