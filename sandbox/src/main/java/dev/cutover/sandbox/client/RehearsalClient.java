package dev.cutover.sandbox.client;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Imitates the applications during a rehearsal: {@link #start(ClientSettings) start} it before the cutover,
 * {@link #stop() stop} it after, and hand the {@link ClientRecord} to the report.
 *
 * <p>The pool connects through the DNS name. HikariCP evicts a connection that fails with a connection error or a
 * terminated session (57P01) and opens a new one, which resolves the name again: that is how a DNS flip moves the
 * client, after the JVM's DNS cache TTL. Keepalive is off and the maximum lifetime is HikariCP's default (30 min),
 * so connections are replaced only because they broke, as in the seed's applications. Without a pool
 * ({@link ClientSettings#withoutPool()}) each worker keeps one connection of its own and opens a new one through the
 * name after any failed attempt, as a libpq application does.
 */
public final class RehearsalClient implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ClientSettings settings;
    /** {@code null} without a pool ({@link ClientSettings#pooled()} false) or with a fleet. */
    private final HikariDataSource pool;
    /** {@code null} without a fleet: one instance. */
    private final FleetPools fleetPools;
    private final int instances;
    private final List<ConnectionSource> connections = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final FailureCauses causes = new FailureCauses();
    private final Progress progress = new Progress();
    private final Instant startedAt;
    private final long startNanos;
    private volatile boolean running = true;
    private ClientRecord record;

    private RehearsalClient(ClientSettings settings, Fleet fleet) {
        this.settings = settings;
        if (settings.dnsServer() != null && settings.pooled()) {
            // Without a pool each worker asks the DNS server itself on every connect (PersistentConnection).
            JvmDns.install(settings.dnsServer(), settings.dnsCacheTtl());
            JvmDns.verify(settings.host(), settings.dnsServer());
        }
        if (fleet != null && !settings.pooled()) {
            throw new IllegalArgumentException("the instances of a fleet each have a pool: drop --client-dns none");
        }
        this.fleetPools = fleet == null ? null : FleetPools.open(settings, fleet);
        this.instances = fleet == null ? 1 : fleet.instances();
        this.pool = settings.pooled() && fleet == null ? new HikariDataSource(poolConfig(settings, "rehearsal-client", settings.poolSize())) : null;
        this.startNanos = System.nanoTime();
        this.startedAt = Instant.now();
        for (int number = 0; number < settings.workers(); number++) {
            int instance = fleet == null ? 0 : fleet.instanceOf(number);
            ConnectionSource source = fleetPools != null ? ConnectionSource.pooled(fleetPools.pool(instance),
                    fleet.kind() != ClientKind.PGBOUNCER)
                    : pool != null ? ConnectionSource.pooled(pool) : new PersistentConnection(settings);
            connections.add(source);
            Worker worker = new Worker(number, instance, source, settings, causes, progress, () -> running, startNanos);
            workers.add(worker);
            threads.add(Thread.ofPlatform().name("rehearsal-client-" + number).daemon().unstarted(worker));
        }
        threads.forEach(Thread::start);
    }

    /**
     * Opens the pool (failing if the database cannot be reached now) and starts the workers. With a
     * {@link ClientSettings#dnsServer()}, first makes dnsjava the JVM's resolver and checks that the name resolves
     * through it ({@link JvmDns}).
     */
    public static RehearsalClient start(ClientSettings settings) {
        return new RehearsalClient(settings, null);
    }

    /**
     * The same client as several application instances ({@link Fleet}): the workers split over one pool per instance,
     * each made as the fleet's kind of application makes it. A starter instance has begun following the cutover's
     * events when this returns.
     */
    public static RehearsalClient start(ClientSettings settings, Fleet fleet) {
        return new RehearsalClient(settings, java.util.Objects.requireNonNull(fleet, "fleet"));
    }

    /** The counters so far; cheap enough for a live view refreshed several times a second. */
    public ClientProgress progress() {
        return progress.snapshot();
    }

    public ClientSettings settings() {
        return settings;
    }

    /**
     * Ends the run: each worker finishes the attempt in flight and stops retrying, the pool closes, and the record
     * of the whole run is returned. Calling it again returns the same record.
     */
    public synchronized ClientRecord stop() {
        if (record != null) {
            return record;
        }
        running = false;
        threads.forEach(LockSupport::unpark);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Thread thread : threads) {
            try {
                if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    throw new IllegalStateException(thread.getName() + " did not finish its last write within " + STOP_TIMEOUT
                            + "; its connection is stuck: " + List.of(thread.getStackTrace()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the workers to stop", e);
            }
        }
        long stopNanos = System.nanoTime();
        connections.forEach(ConnectionSource::close);
        if (pool != null) {
            pool.close();
        }
        if (fleetPools != null) {
            fleetPools.close();
        }
        record = new ClientRecord(settings, startedAt, startNanos, stopNanos, instances, workers.stream().map(w -> w.log).toList(), causes.all());
        return record;
    }

    @Override
    public void close() {
        stop();
    }

    static HikariConfig poolConfig(ClientSettings settings, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setAutoCommit(true);
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(settings.connectionTimeout().toMillis());
        config.setKeepaliveTime(0);
        config.addDataSourceProperty("ApplicationName", "cutover-rehearsal-client");
        // A connection attempt to a server that is gone must fail fast, and a statement on a silent server must not
        // hang a worker for the rest of the rehearsal.
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("socketTimeout", "10");
        return config;
    }
}
