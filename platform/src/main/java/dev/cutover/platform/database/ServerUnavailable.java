package dev.cutover.platform.database;

import java.sql.SQLException;

/**
 * Whether a failure only says that the server could not be talked to for now: the connection broke or could not be
 * opened (class 08), or the server is shutting down, crashed or still starting (57P01, 57P02, 57P03). A step that
 * failed that way may succeed when sent again; any other failure needs a person.
 */
public final class ServerUnavailable {

    private ServerUnavailable() {
    }

    public static boolean is(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }
}
