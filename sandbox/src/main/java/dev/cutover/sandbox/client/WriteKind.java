package dev.cutover.sandbox.client;

/** The two transactions the client sends. */
public enum WriteKind {
    INSERT,
    UPDATE;

    private static final WriteKind[] ALL = values();

    static WriteKind ofOrdinal(int ordinal) {
        return ALL[ordinal];
    }
}
