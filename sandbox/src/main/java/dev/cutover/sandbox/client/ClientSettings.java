package dev.cutover.sandbox.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the rehearsal client connects and how hard it writes.
 *
 * @param host the DNS name the client connects to, e.g. {@code db.cutover.test}: never an address, or a DNS flip
 *     would not move it
 * @param port the port both source and target listen on (a DNS name carries no port)
 * @param database the database on both servers
 * @param user the application role the cutover fences, not a superuser
 * @param password its password
 * @param workers threads writing in parallel, each with one transaction in flight
 * @param poolSize HikariCP connections; as many as workers so that each has a persistent one; 0 for no pool: each
 *     worker keeps a connection of its own and reconnects through the name after any failure, as libpq applications do
 * @param transactionsPerSecond the target rate of all workers together
 * @param updateShare the share of transactions that update an earlier insert rather than insert (0 to 1)
 * @param connectionTimeout how long a worker waits for a pooled connection before it counts a failed attempt and
 *     retries (HikariCP's {@code connectionTimeout}, at least 250 ms)
 * @param retryDelay the pause after a failed attempt before the next one, so that an instant failure does not spin
 * @param sourceAddress the address the source answers on ({@code inet_server_addr()}), e.g. {@code 127.0.0.2}
 * @param targetAddress the address the target answers on, e.g. {@code 127.0.0.3}
 * @param dnsServer the DNS server the JVM must ask (the stack's BIND); {@code null} to leave the JVM's resolver as
 *     its command line set it up
 * @param dnsCacheTtl how long the JVM keeps a resolved address ({@code networkaddress.cache.ttl}, whole seconds;
 *     zero resolves on every new connection)
 * @param table the table written to, {@code notifications} or {@code schema.notifications}
 */
public record ClientSettings(
        String host,
        int port,
        String database,
        String user,
        String password,
        int workers,
        int poolSize,
        double transactionsPerSecond,
        double updateShare,
        Duration connectionTimeout,
        Duration retryDelay,
        String sourceAddress,
        String targetAddress,
        InetSocketAddress dnsServer,
        Duration dnsCacheTtl,
        String table) {

    private static final Duration HIKARI_MINIMUM_TIMEOUT = Duration.ofMillis(250);

    public ClientSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(targetAddress, "targetAddress");
        Objects.requireNonNull(dnsCacheTtl, "dnsCacheTtl");
        Objects.requireNonNull(table, "table");
        if (host.matches("[0-9.]+|.*:.*")) {
            throw new IllegalArgumentException("host must be a DNS name, so that a DNS flip moves the client, but is the address " + host);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, but is " + port);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, but is " + workers);
        }
        if (poolSize != 0 && poolSize < workers) {
            throw new IllegalArgumentException("poolSize (" + poolSize + ") must be at least workers (" + workers
                    + "), or workers wait for each other's connections and the rate measures the pool, not the server");
        }
        if (!(transactionsPerSecond > 0)) {
            throw new IllegalArgumentException("transactionsPerSecond must be positive, but is " + transactionsPerSecond);
        }
        if (!(updateShare >= 0 && updateShare <= 1)) {
            throw new IllegalArgumentException("updateShare must be between 0 and 1, but is " + updateShare);
        }
        if (connectionTimeout.compareTo(HIKARI_MINIMUM_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250 ms (HikariCP's minimum), but is " + connectionTimeout);
        }
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("retryDelay must not be negative, but is " + retryDelay);
        }
        if (dnsCacheTtl.isNegative() || dnsCacheTtl.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("dnsCacheTtl must be whole seconds (the JVM's cache counts in seconds), but is " + dnsCacheTtl);
        }
        if (!table.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?")) {
            throw new IllegalArgumentException("table must be a plain lower-case name, optionally schema-qualified, but is '" + table + "'");
        }
        if (sourceAddress.equals(targetAddress)) {
            throw new IllegalArgumentException("source and target must answer on different addresses to tell their acknowledgements apart, but both are " + sourceAddress);
        }
    }

    /**
     * The seed's application: 8 workers on 8 persistent connections, 1,000 transactions/s, half of them updates,
     * a 250 ms connection timeout, 10 ms between retries, source on 127.0.0.2 and target on 127.0.0.3, a 1 s DNS
     * cache, the JVM's resolver left as it is.
     */
    public static ClientSettings defaults(String host, int port, String database, String user, String password) {
        return new ClientSettings(host, port, database, user, password, 8, 8, 1_000, 0.5,
                Duration.ofMillis(250), Duration.ofMillis(10), "127.0.0.2", "127.0.0.3", null, Duration.ofSeconds(1), "notifications");
    }

    /** {@code jdbc:postgresql://host:port/database}: the name, resolved on every new connection. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The database at {@code address} rather than the name: a connection made where a DNS answer said. */
    String jdbcUrlAt(String address) {
        return "jdbc:postgresql://" + address + ":" + port + "/" + database;
    }

    /**
     * PgJDBC's properties for every connection of the client: the role, and timeouts so that a connection attempt to a
     * server that is gone fails fast and a statement on a silent server does not hang a worker for the rest of the run.
     */
    java.util.Properties driverProperties() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "cutover-rehearsal-client");
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "10");
        return properties;
    }

    public ClientSettings withRate(double perSecond) {
        return new ClientSettings(host, port, database, user, password, workers, poolSize, perSecond, updateShare,
                connectionTimeout, retryDelay, sourceAddress, targetAddress, dnsServer, dnsCacheTtl, table);
    }

    /** That many workers on a pool of as many connections. */
    public ClientSettings withWorkers(int count) {
        return new ClientSettings(host, port, database, user, password, count, count, transactionsPerSecond, updateShare,
                connectionTimeout, retryDelay, sourceAddress, targetAddress, dnsServer, dnsCacheTtl, table);
    }

    /** No pool: each worker keeps one connection of its own, reopened through the name after any failed attempt. */
    public ClientSettings withoutPool() {
        return new ClientSettings(host, port, database, user, password, workers, 0, transactionsPerSecond, updateShare,
                connectionTimeout, retryDelay, sourceAddress, targetAddress, dnsServer, dnsCacheTtl, table);
    }

    public boolean pooled() {
        return poolSize > 0;
    }

    public ClientSettings withUpdateShare(double share) {
        return new ClientSettings(host, port, database, user, password, workers, poolSize, transactionsPerSecond, share,
                connectionTimeout, retryDelay, sourceAddress, targetAddress, dnsServer, dnsCacheTtl, table);
    }

    public ClientSettings withConnectionTimeout(Duration timeout) {
        return new ClientSettings(host, port, database, user, password, workers, poolSize, transactionsPerSecond, updateShare,
                timeout, retryDelay, sourceAddress, targetAddress, dnsServer, dnsCacheTtl, table);
    }

    public ClientSettings withRetryDelay(Duration delay) {
        return new ClientSettings(host, port, database, user, password, workers, poolSize, transactionsPerSecond, updateShare,
                connectionTimeout, delay, sourceAddress, targetAddress, dnsServer, dnsCacheTtl, table);
    }

    public ClientSettings withAddresses(String source, String target) {
        return new ClientSettings(host, port, database, user, password, workers, poolSize, transactionsPerSecond, updateShare,
                connectionTimeout, retryDelay, source, target, dnsServer, dnsCacheTtl, table);
    }

    /** Makes dnsjava the JVM's resolver, asking only this server, with this cache TTL ({@link JvmDns#install}). */
    public ClientSettings withDns(InetSocketAddress server, Duration cacheTtl) {
        return new ClientSettings(host, port, database, user, password, workers, poolSize, transactionsPerSecond, updateShare,
                connectionTimeout, retryDelay, sourceAddress, targetAddress, server, cacheTtl, table);
    }

    public ClientSettings withTable(String name) {
        return new ClientSettings(host, port, database, user, password, workers, poolSize, transactionsPerSecond, updateShare,
                connectionTimeout, retryDelay, sourceAddress, targetAddress, dnsServer, dnsCacheTtl, name);
    }

    Server serverAt(String address) {
        if (sourceAddress.equals(address)) {
            return Server.SOURCE;
        }
        if (targetAddress.equals(address)) {
            return Server.TARGET;
        }
        return Server.OTHER;
    }
}
