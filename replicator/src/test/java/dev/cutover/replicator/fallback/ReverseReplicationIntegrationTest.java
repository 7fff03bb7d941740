package dev.cutover.replicator.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Replication;
import dev.cutover.replicator.copy.FullLoad;
import dev.cutover.replicator.copy.LoadOptions;
import dev.cutover.replicator.postgres.Conninfo;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Removal;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.streaming.Streaming;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.replicator.verify.VerifyMode;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * Forward replication from the source (11) to the target (17) as a migration leaves it, the reverse slot and
 * publication made on the target while it still applies the source's changes, then the switch as the cutover does it:
 * the target's WAL position read before it opens, forward replication stopped, the source subscribed back from there.
 */
@ExtendWith(SharedStackExtension.class)
class ReverseReplicationIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String APP_ROLE = "reverse_app";
    private static final String SHOP_ROWS = "SELECT coalesce(string_agg(id || ':' || n || ':' || note, ',' ORDER BY id), '')"
            + " FROM shop.items";

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase(LocalStack stack) {
        db = TestDatabase.create("reverse", stack.source(), stack.target());
        db.onBoth("DO $$ BEGIN CREATE ROLE " + APP_ROLE + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                "CREATE SCHEMA shop", "CREATE TABLE shop.items (id int PRIMARY KEY, n int, note text)",
                "CREATE SCHEMA beat", "CREATE TABLE beat.heartbeat (id int PRIMARY KEY, at timestamptz)");
        db.onSource("INSERT INTO shop.items SELECT g, g, 'seed' FROM generate_series(1, 1000) g");
    }

    @Test
    void theSourceFollowsTheTargetFromTheMomentItOpenedWithNothingTheSourceSentReplayed() {
        // The forward replication carries a schema (standing in for cutover's heartbeat) that the reverse one does not.
        DatabasePair forwardPair = db.pair(List.of("shop", "beat"));
        ReplicationNames forward = ReplicationNames.forDatabase("reverse");
        DatabasePair pair = new DatabasePair(forwardPair.source(), forwardPair.target(), List.of(APP_ROLE),
                List.of("shop"));
        Replication names = Replication.reverse("reverse");
        Streaming streaming = new Streaming(Duration.ofSeconds(10));
        ReverseReplication reverse = new ReverseReplication(Duration.ofSeconds(10));
        try {
            new FullLoad(new LoadOptions(2, 64 * 1024, Duration.ofSeconds(30))).run(forwardPair, forward, table -> { });
            streaming.start(forwardPair, forward, VerifyMode.FULL);

            ReverseOutcome.Prepared prepared = reverse.prepare(pair, names, Conninfo.of(pair.target()));
            assertThat(reverse.removeUnstarted(pair, names)).as("a rollback before the target opened drops what it made")
                    .isEqualTo(new ReverseOutcome.Removed(names, Removal.NOT_PRESENT, Removal.DROPPED, Removal.DROPPED));
            prepared = reverse.prepare(pair, names, Conninfo.of(pair.target()));
            assertThat(prepared.created()).isTrue();
            assertThat(reverse.prepare(pair, names, Conninfo.of(pair.target())).created()).as("a second preflight keeps the slot").isFalse();

            // Changes the forward subscription applies on the target after the reverse slot exists.
            db.onSource("INSERT INTO shop.items SELECT g, g, 'forward' FROM generate_series(1001, 1200) g",
                    "UPDATE shop.items SET n = n + 1000000, note = 'forward update' WHERE id <= 100",
                    "DELETE FROM shop.items WHERE id BETWEEN 101 AND 150");
            awaitForwardCaughtUp(forward);
            assertThat(db.textOnTarget(SHOP_ROWS)).isEqualTo(db.textOnSource(SHOP_ROWS));

            // The switch: the source is fenced, the target's position is read, then the target opens.
            Lsn opened = Lsn.parse(db.textOnTarget("SELECT pg_current_wal_insert_lsn()::text"));
            db.onSource("INSERT INTO beat.heartbeat VALUES (1, now())");
            awaitForwardCaughtUp(forward);
            db.onTarget("INSERT INTO shop.items SELECT g, g, 'target' FROM generate_series(2001, 2100) g",
                    "UPDATE shop.items SET note = 'target update' WHERE id BETWEEN 1001 AND 1050 OR id <= 10",
                    "DELETE FROM shop.items WHERE id BETWEEN 1101 AND 1120");

            assertThatThrownBy(() -> reverse.start(pair, names, Replication.managed("reverse"), opened,
                    Conninfo.of(pair.target()))).as("refused while forward replication runs")
                    .isInstanceOf(StepFailure.class).hasMessageContaining("stop forward replication first");
            streaming.stop(forwardPair, forward, true);
            ReverseOutcome.Started started = reverse.start(pair, names, Replication.managed("reverse"), opened,
                    Conninfo.of(pair.target()));
            db.onTarget("INSERT INTO shop.items VALUES (3001, 1, 'after the subscription')",
                    "UPDATE shop.items SET n = -n WHERE id BETWEEN 1151 AND 1160",
                    "DELETE FROM shop.items WHERE id = 500");
            awaitReverseCaughtUp(names);

            assertThat(started.alreadyRunning()).isFalse();
            assertThat(started.from()).isEqualTo(opened);
            assertThat(db.textOnSource(SHOP_ROWS)).isEqualTo(db.textOnTarget(SHOP_ROWS));
            assertThat(db.countOnSource("SELECT count(*) FROM shop.items WHERE note = 'target update'")).isEqualTo(60);
            assertThat(db.countOnSource("SELECT count(*) FROM beat.heartbeat")).isEqualTo(1);
            assertThat(reverse.start(pair, names, Replication.managed("reverse"), opened, Conninfo.of(pair.target()))
                    .alreadyRunning()).as("a repeated command changes nothing").isTrue();
            assertThat(reverse.removeUnstarted(pair, names)).as("a later cutover's rollback leaves a running fallback")
                    .isEqualTo(new ReverseOutcome.Removed(names, Removal.KEPT, Removal.KEPT, Removal.KEPT));
            assertThatThrownBy(() -> reverse.prepare(pair, names, Conninfo.of(pair.target()))).as("and so does its preflight")
                    .hasMessageContaining("already follows the target");
        } finally {
            streaming.stop(forwardPair, forward, true);
            ReverseOutcome.Removed removed = reverse.remove(pair, names);
            assertThat(List.of(removed.subscription(), removed.slot(), removed.publication()))
                    .containsOnly(Removal.DROPPED);
        }
        ReverseOutcome.Removed again = reverse.remove(pair, names);
        assertThat(List.of(again.subscription(), again.slot(), again.publication())).as("removing twice finds nothing")
                .containsOnly(Removal.NOT_PRESENT);
        assertThat(db.countOnTarget("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + names.slot() + "'"))
                .isZero();
    }

    @Test
    void aTargetTheSourceCannotLogInToIsFoundBeforeAnythingIsMade() {
        DatabasePair pair = new DatabasePair(db.pair(List.of("shop")).source(), db.pair(List.of("shop")).target(),
                List.of(APP_ROLE), List.of("shop"));
        Replication names = Replication.reverse("reverse_unreachable");
        String wrongPassword = Conninfo.of(pair.target()).replaceAll("password=\\S+", "password=wrong");

        assertThatThrownBy(() -> new ReverseReplication(Duration.ofSeconds(10)).prepare(pair, names, wrongPassword))
                .isInstanceOf(StepFailure.class).hasMessageContaining("cannot log in to the target")
                .hasMessageContaining("fallback.target-conninfo");
        assertThat(db.countOnTarget("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + names.slot() + "'"))
                .isZero();
        assertThat(db.countOnSource("SELECT count(*) FROM pg_subscription WHERE subname = '" + names.subscription() + "'"))
                .isZero();
    }

    private static void awaitForwardCaughtUp(ReplicationNames forward) {
        Lsn end = Lsn.parse(db.textOnSource("SELECT pg_current_wal_lsn()::text"));
        await().atMost(PATIENCE).until(() -> confirmed(db.textOnSource(slotPosition(forward.slot()))).isAtLeast(end));
    }

    /** A change the source's subscriber could not apply (a duplicate key) would hold the slot back for ever. */
    private static void awaitReverseCaughtUp(Replication names) {
        Lsn end = Lsn.parse(db.textOnTarget("SELECT pg_current_wal_lsn()::text"));
        await().atMost(PATIENCE).until(() -> confirmed(db.textOnTarget(slotPosition(names.slot()))).isAtLeast(end));
    }

    private static String slotPosition(String slot) {
        return "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'";
    }

    private static Lsn confirmed(String lsn) {
        return lsn == null ? new Lsn(0) : Lsn.parse(lsn);
    }
}
