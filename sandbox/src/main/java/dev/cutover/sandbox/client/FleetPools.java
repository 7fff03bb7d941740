package dev.cutover.sandbox.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.cutover.client.CutoverClient;

/** The pool of each application instance of a {@link Fleet}, made the way its kind of application makes it. */
final class FleetPools implements AutoCloseable {

    /** How long a starter instance may take to reach the events' topics before the client refuses to start. */
    private static final Duration FOLLOW_TIMEOUT = Duration.ofSeconds(30);

    private final List<DataSource> pools = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    private FleetPools() {
    }

    static FleetPools open(ClientSettings settings, Fleet fleet) {
        if (settings.workers() < fleet.instances()) {
            throw new IllegalArgumentException("--workers (" + settings.workers() + ") must be at least --instances ("
                    + fleet.instances() + "): every instance writes through at least one connection");
        }
        FleetPools opened = new FleetPools();
        try {
            for (int instance = 0; instance < fleet.instances(); instance++) {
                opened.pools.add(opened.pool(settings, fleet, instance));
            }
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    DataSource pool(int instance) {
        return pools.get(instance);
    }

    private DataSource pool(ClientSettings settings, Fleet fleet, int instance) {
        int size = fleet.workersOf(instance, settings.workers());
        HikariConfig config = RehearsalClient.poolConfig(settings, "rehearsal-client-" + instance, size);
        return switch (fleet.kind()) {
            case PLAIN -> {
                if (settings.dnsServer() == null) {
                    throw new IllegalArgumentException("plain instances resolve the name themselves: give the client a DNS server (withDns)");
                }
                // Instances started at different times hold answers of different ages: spread over one TTL.
                Duration age = fleet.dnsCache().ttl().multipliedBy(instance).dividedBy(fleet.instances());
                InstanceDns dns = new InstanceDns(fleet.dnsCache(), age,
                        () -> JvmDns.resolveNow(settings.host(), settings.dnsServer()), System::nanoTime);
                config.setJdbcUrl(null);
                config.setUsername(null);
                config.setPassword(null);
                config.setDataSource(new InstanceDataSource(settings, dns));
                yield kept(new HikariDataSource(config));
            }
            case STARTER -> {
                CutoverClient follower = kept(CutoverClient.start(
                        dev.cutover.client.ClientSettings.of(fleet.kafkaBootstrapServers(), fleet.followedDatabase())));
                awaitFollowing(follower, instance);
                yield kept(follower.follow(config));
            }
            case PGBOUNCER -> {
                config.setJdbcUrl("jdbc:postgresql://" + fleet.pgbouncer() + "/" + settings.database());
                // Transaction pooling: a statement PgJDBC prepared on one server connection is unknown to the next.
                config.addDataSourceProperty("prepareThreshold", "0");
                yield kept(new HikariDataSource(config));
            }
        };
    }

    private static void awaitFollowing(CutoverClient follower, int instance) {
        try {
            if (!follower.awaitFollowing(FOLLOW_TIMEOUT)) {
                throw new IllegalStateException("instance " + instance + "'s cutover-client did not reach the events' topics at "
                        + follower.settings().bootstrapServers() + " within " + FOLLOW_TIMEOUT.toSeconds() + " s: is Kafka up?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while instance " + instance + " began following the cutover", e);
        }
    }

    private <T extends AutoCloseable> T kept(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Closes the pools, then the followers, in the reverse order of their making. */
    @Override
    public void close() {
        IllegalStateException failed = null;
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                // The others are still closed: a pool left open would keep its connections to the end of the JVM.
                if (failed == null) {
                    failed = new IllegalStateException("could not close " + resource + ": " + e.getMessage(), e);
                }
            }
        }
        resources.clear();
        if (failed != null) {
            throw failed;
        }
    }
}
