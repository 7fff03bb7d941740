package dev.cutover.sandbox.client;

/** Which server acknowledged a write, told apart by the address the server answered on. */
public enum Server {
    SOURCE,
    TARGET,
    /** An address that is neither the source's nor the target's: the name pointed somewhere unexpected. */
    OTHER;

    private static final Server[] ALL = values();

    static Server ofOrdinal(int ordinal) {
        return ALL[ordinal];
    }
}
