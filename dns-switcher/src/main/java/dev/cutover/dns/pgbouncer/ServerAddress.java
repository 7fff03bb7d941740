package dev.cutover.dns.pgbouncer;

import java.util.Locale;
import java.util.regex.Pattern;

/** Where a PgBouncer database entry sends its server connections: the entry's {@code host} and {@code port}. */
public record ServerAddress(String host, int port) {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");

    public ServerAddress {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or IPv4 address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + host + " is not between 1 and 65535");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /** Reads {@code host:port}, the form the saga's source and target addresses take in PgBouncer mode. */
    public static ServerAddress parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not host:port: in PgBouncer mode the source and target"
                    + " addresses of the cutover (cutover.saga.dns.<database>.source-address and target-address) are the"
                    + " PostgreSQL servers as host:port, e.g. 10.0.0.5:5432");
        }
        try {
            return new ServerAddress(text.substring(0, colon).strip(), Integer.parseInt(text.substring(colon + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no port number after the colon, e.g. 10.0.0.5:5432");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
