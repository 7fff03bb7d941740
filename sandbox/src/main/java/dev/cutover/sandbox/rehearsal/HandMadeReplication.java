package dev.cutover.sandbox.rehearsal;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import dev.cutover.events.ReplicationStopped;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.sandbox.client.JvmDns;
import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;

/**
 * The seed's tables replicated the way a team does without cutover: the same tables created empty on the target, a
 * publication of them on the source (without cutover's own tables) and a native subscription that copies and streams
 * them. The cutover is told their names; with {@code adopted} its preflight takes the replication over, without it
 * preflight must refuse the cutover before anything is disrupted.
 */
final class HandMadeReplication {

    static final String PUBLICATION = "team_pub";
    static final String SUBSCRIPTION = "team_sub";

    private static final List<String> TABLES = List.of("services", "users", "templates", "jobs", "notifications");
    private static final Duration POLL = Duration.ofMillis(50);

    private final boolean adopted;

    HandMadeReplication(boolean adopted) {
        this.adopted = adopted;
    }

    /**
     * What the cutover left behind, read once it ended.
     *
     * @param dnsAnswer       the address the DNS server answers for the database's name
     * @param appRoleCanLogin whether the application role may still log in to the source
     * @param subscriptions   the subscriptions on the target
     * @param slots           the replication slots on the source
     * @param publications    the publications on the source
     * @param stopped         the tidy-up's report, when the cutover completed
     */
    record Aftermath(String dnsAnswer, boolean appRoleCanLogin, List<String> subscriptions, List<String> slots,
            List<String> publications, Optional<ReplicationStopped> stopped) {
    }

    boolean adopted() {
        return adopted;
    }

    /** Creates the target's tables, the publication and the subscription, and waits until the copy is done. */
    void create(LocalStack stack, Duration timeout) throws SQLException {
        SeedData.createTables(stack.target());
        Postgres source = stack.source();
        execute(source, "create publication " + PUBLICATION + " for table " + String.join(", ", TABLES));
        execute(stack.target(), "create subscription " + SUBSCRIPTION + " connection 'host=" + source.host() + " port="
                + source.port() + " dbname=" + SeedData.DATABASE + " user=" + source.superuser() + " password="
                + source.password() + "' publication " + PUBLICATION);
        Instant deadline = Instant.now().plus(timeout);
        while (strings(stack.target(), "select srrelid::regclass::text from pg_subscription_rel where srsubstate = 'r'")
                .size() < TABLES.size()) {
            if (Instant.now().isAfter(deadline)) {
                throw new RehearsalFailed("the subscription " + SUBSCRIPTION + " did not copy the " + TABLES.size()
                        + " tables within " + timeout);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /** The settings that tell every service which replication carries the database. */
    void configure(Services services) {
        String prefix = "cutover.databases." + SeedData.DATABASE + ".replication.";
        services.configure(prefix + "adopted", String.valueOf(adopted));
        services.configure(prefix + "publication", PUBLICATION);
        services.configure(prefix + "subscription", SUBSCRIPTION);
    }

    /** Reads what the cutover left; after a completed one, once the tidy-up has reported stopping the replication. */
    Aftermath observe(LocalStack stack, KafkaProbe bus, String cutoverId, CutoverResult result, Duration timeout)
            throws SQLException {
        Optional<ReplicationStopped> stopped = result == CutoverResult.COMPLETED
                ? Optional.of(bus.await(ReplicationStopped.class,
                        m -> cutoverId.equals(MessagePublisher.metadataOf(m).getCutoverId()), timeout))
                : Optional.empty();
        String answer = JvmDns.resolveNow(stack.dns().databaseName(),
                new InetSocketAddress(stack.dns().host(), stack.dns().port()));
        boolean canLogin = strings(stack.source(), "select rolcanlogin::text from pg_roles where rolname = '"
                + SeedData.ROLE + "'").equals(List.of("true"));
        return new Aftermath(answer, canLogin, strings(stack.target(), "select subname from pg_subscription"),
                strings(stack.source(), "select slot_name from pg_replication_slots"),
                strings(stack.source(), "select pubname from pg_publication"), stopped);
    }

    private static void execute(Postgres server, String sql) throws SQLException {
        try (Connection c = server.connect(SeedData.DATABASE); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of every row {@code sql} returns in the rehearsal's database on {@code server}. */
    static List<String> strings(Postgres server, String sql) throws SQLException {
        try (Connection c = server.connect(SeedData.DATABASE); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
