package dev.cutover.sandbox.rehearsal;

import java.io.IOException;
import java.time.Duration;

import dev.cutover.sandbox.client.ClientKind;
import dev.cutover.sandbox.client.ClientSettings;
import dev.cutover.sandbox.client.DnsCache;
import dev.cutover.sandbox.client.Fleet;
import dev.cutover.sandbox.client.RehearsalClient;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.PgBouncerServer;

/**
 * The rehearsal's client as a fleet ({@link FleetOptions}): for {@code --client pgbouncer}, a PgBouncer in front of the
 * source that dns-switcher repoints instead of the DNS name, started before the services; then the client's instances.
 */
final class ClientFleet implements AutoCloseable {

    private final FleetOptions options;
    private PgBouncerServer pgbouncer;

    ClientFleet(FleetOptions options) {
        this.options = options;
    }

    /** Before the services start: with PgBouncer, starts it on the source and switches through it. */
    void prepare(LocalStack stack, Services services) throws IOException {
        if (options.client() != ClientKind.PGBOUNCER) {
            return;
        }
        pgbouncer = PgBouncerServer.start(PgBouncerServer.Options.of()
                .withUser(SeedData.ROLE, SeedData.PASSWORD)
                .withDatabase(SeedData.DATABASE, "host=" + stack.source().host() + " port=" + stack.source().port()
                        + " dbname=" + SeedData.DATABASE));
        services.switchThroughPgBouncer(new Services.Database(SeedData.DATABASE, stack.source(), stack.target(),
                SeedData.ROLE, null), pgbouncer, SeedData.DATABASE);
    }

    /** The client's instances, writing as {@code settings} says between them. */
    RehearsalClient start(ClientSettings settings, LocalStack stack, Duration ttl) {
        boolean starter = options.client() == ClientKind.STARTER;
        return RehearsalClient.start(settings, new Fleet(options.instances(), options.client(),
                options.dnsCache() == null ? new DnsCache(ttl, false) : options.dnsCache(),
                starter ? stack.kafkaBootstrapServers() : null, starter ? SeedData.DATABASE : null,
                pgbouncer == null ? null : pgbouncer.host() + ":" + pgbouncer.port()));
    }

    String describe(Duration ttl) {
        return options.describe(ttl) + (pgbouncer == null ? "" : " (PgBouncer on " + pgbouncer.host() + ":" + pgbouncer.port() + ")");
    }

    @Override
    public void close() {
        if (pgbouncer != null) {
            pgbouncer.close();
        }
    }
}
