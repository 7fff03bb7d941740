package dev.cutover.lag.stale;

/**
 * Client sessions on the source that are not cutover's own, grouped.
 *
 * @param role        the role they logged in as
 * @param client      their address, or {@code local} for a Unix socket
 * @param application their application_name
 * @param count       how many such sessions
 */
record Session(String role, String client, String application, int count) {

    String describe() {
        return count + " session(s) of " + role + " from " + client
                + (application == null || application.isBlank() ? "" : " (" + application + ")");
    }
}
