package dev.cutover.sandbox.rehearsal;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import dev.cutover.events.ReverseReplicationStarted;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.stack.LocalStack;

/**
 * A rehearsal whose cutover prepares a fallback ({@code cutover.databases.app.fallback.prepare}): once the client has
 * stopped, the source must hold exactly the rows the target holds, the client's writes on the target included,
 * carried back by the reverse subscription, while the application still cannot log in to the source.
 */
final class ReverseReplicationCheck {

    static final String SUBSCRIPTION = "cutover_rev_sub_" + SeedData.DATABASE;
    static final String SLOT = "cutover_rev_slot_" + SeedData.DATABASE;

    private static final Duration POLL = Duration.ofMillis(50);
    /** The client's rows, by key and status: what its updates change. The digest reads alike on 11 and 17. */
    private static final String DIGEST = "select count(*) || ' rows, digest ' || coalesce(sum(('x' || substr(md5(id || ':'"
            + " || status), 1, 8))::bit(32)::int::bigint), 0) from notifications";

    /**
     * What the cutover left, read once the source had caught up with the target.
     *
     * @param started          the tidy-up's report of the source subscribing back
     * @param sourceRows       the client's table on the source, counted and digested
     * @param targetRows       the same on the target
     * @param appRoleCanLogin  whether the application role may log in to the source (it must not)
     * @param subscriptions    the subscriptions on the source
     */
    record Aftermath(ReverseReplicationStarted started, String sourceRows, String targetRows, boolean appRoleCanLogin,
            List<String> subscriptions) {
    }

    void configure(Services services) {
        services.configure("cutover.databases." + SeedData.DATABASE + ".fallback.prepare", "true");
    }

    /** Waits for the reverse subscription to start and the source to confirm the target's last write, then reads. */
    Aftermath observe(LocalStack stack, KafkaProbe bus, String cutoverId, Duration timeout) throws SQLException {
        ReverseReplicationStarted started = bus.await(ReverseReplicationStarted.class,
                m -> cutoverId.equals(MessagePublisher.metadataOf(m).getCutoverId()), timeout);
        String end = HandMadeReplication.strings(stack.target(), "select pg_current_wal_lsn()::text").getFirst();
        Instant deadline = Instant.now().plus(timeout);
        while (!HandMadeReplication.strings(stack.target(), "select (confirmed_flush_lsn >= '" + end + "')::text from pg_replication_slots"
                + " where slot_name = '" + SLOT + "'").equals(List.of("true"))) {
            if (Instant.now().isAfter(deadline)) {
                throw new RehearsalFailed("the source did not confirm the target's position " + end + " through "
                        + SLOT + " within " + timeout);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        return new Aftermath(started, HandMadeReplication.strings(stack.source(), DIGEST).getFirst(), HandMadeReplication.strings(stack.target(), DIGEST).getFirst(),
                HandMadeReplication.strings(stack.source(), "select rolcanlogin::text from pg_roles where rolname = '" + SeedData.ROLE + "'")
                        .equals(List.of("true")),
                HandMadeReplication.strings(stack.source(), "select subname from pg_subscription"));
    }
}
