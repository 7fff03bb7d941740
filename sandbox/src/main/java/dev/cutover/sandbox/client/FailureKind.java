package dev.cutover.sandbox.client;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** What a failed attempt ran into, from its SQLState. */
public enum FailureKind {
    /** 23505: the id the sequence gave already exists; the target's sequence was not synced. */
    DUPLICATE_KEY,
    /** 57P01-57P03 and class 08: the session was terminated or the connection broke or could not be opened. */
    CONNECTION,
    /** Class 28: the role may not log in (a fenced or still locked server) or the password was refused. */
    LOGIN_REFUSED,
    /** 25006: the server accepts only reads. */
    READ_ONLY,
    /** No connection became free within the pool's connection timeout, without a server error to say why. */
    POOL_TIMEOUT,
    /** Anything else. */
    OTHER;

    private static final FailureKind[] ALL = values();

    static FailureKind of(SQLException failure) {
        String state = failure.getSQLState();
        if (state == null) {
            return failure instanceof SQLTransientConnectionException ? POOL_TIMEOUT : OTHER;
        }
        if (state.equals("23505")) {
            return DUPLICATE_KEY;
        }
        if (state.equals("25006")) {
            return READ_ONLY;
        }
        if (state.startsWith("08") || state.startsWith("57P")) {
            return CONNECTION;
        }
        if (state.startsWith("28")) {
            return LOGIN_REFUSED;
        }
        return OTHER;
    }

    static FailureKind ofOrdinal(int ordinal) {
        return ALL[ordinal];
    }
}
