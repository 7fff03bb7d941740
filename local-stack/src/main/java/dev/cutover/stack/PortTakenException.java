package dev.cutover.stack;

/** The address and port a server was asked to listen on is already used by another process. */
public class PortTakenException extends StackException {

    private final String host;
    private final int port;

    public PortTakenException(String what, String host, int port) {
        super("%s cannot listen on %s:%d: the port is taken by another process. Stop that process (see `ss -ltnup 'sport = :%d'`) or ask for another port (0 picks a free one)."
                .formatted(what, host, port, port));
        this.host = host;
        this.port = port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }
}
