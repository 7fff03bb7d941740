package dev.cutover.sandbox.client;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct causes of failed attempts (SQLState and exception class), numbered so that each failed attempt
 * stores one byte; the first message of each cause is kept as an example. Shared by all workers.
 */
final class FailureCauses {

    /** A byte holds 128 causes; more distinct ones than that share the last slot. */
    private static final int MAX = 127;

    private final Map<String, Integer> indexes = new HashMap<>();
    private final List<FailureCause> causes = new ArrayList<>();

    synchronized int indexOf(SQLException failure) {
        String state = failure.getSQLState() == null ? "" : failure.getSQLState();
        String type = failure.getClass().getSimpleName();
        Integer known = indexes.get(state + " " + type);
        if (known != null) {
            return known;
        }
        if (causes.size() == MAX) {
            return MAX - 1;
        }
        int index = causes.size();
        causes.add(new FailureCause(state, type, message(failure)));
        indexes.put(state + " " + type, index);
        return index;
    }

    /**
     * The server's own words where there are some: the pool's timeout wraps the last error of opening a connection
     * (e.g. a role not permitted to log in), which says more than the timeout.
     */
    private static String message(SQLException failure) {
        if (failure.getCause() instanceof SQLException cause && cause.getMessage() != null) {
            return cause.getMessage();
        }
        return String.valueOf(failure.getMessage());
    }

    synchronized List<FailureCause> all() {
        return List.copyOf(causes);
    }
}
