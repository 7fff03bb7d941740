package dev.cutover.replicator.copy;

import static dev.cutover.replicator.copy.ResumeWorkload.PATIENCE;
import static dev.cutover.replicator.copy.ResumeWorkload.TABLES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.PublicationMembership;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.streaming.Streaming;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.replicator.verify.DataVerifier;
import dev.cutover.replicator.verify.Verification;
import dev.cutover.replicator.verify.VerifyMode;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * The PostgreSQL mechanism a load interrupted by a crash resumes with (docs/resumable-load.md), 11 -> 17: the slot
 * of the interrupted load still stands at its consistent point, the tables copied from its snapshot are kept and
 * streamed from that point, and the tables it did not finish are withheld from the publication until the
 * subscription exists, then handed to PostgreSQL's own table synchronisation.
 */
@ExtendWith(SharedStackExtension.class)
class ResumedLoadIntegrationTest {

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase(LocalStack stack) {
        db = TestDatabase.create("resumed_load", stack.source(), stack.target());
        ResumeWorkload.seed(db);
    }

    @Test
    void tablesACrashedLoadLeftUnfinishedAreSynchronisedByTheSubscriptionWhileTheCopiedOnesAreKept() throws Exception {
        DatabasePair pair = db.pair(List.of("resume"));
        ReplicationNames names = ReplicationNames.forDatabase("resumed_load");
        Streaming streaming = new Streaming(Duration.ofSeconds(10));
        try (ResumeWorkload workload = ResumeWorkload.start(db)) {
            try {
                workload.awaitMoreWrites(200);

                ResumeWorkload.Interrupted interrupted = ResumeWorkload.interruptLoad(pair, names);
                assertThat(interrupted.reported()).as("TableCopied of the interrupted load")
                        .containsOnlyKeys("resume.kept_a", "resume.kept_b");
                assertThat(db.countOnTarget("SELECT count(*) FROM resume.partial")).as("a part of a table on the target")
                        .isBetween(1L, 999L);
                workload.awaitMoreWrites(300);
                assertThat(db.textOnSource("SELECT confirmed_flush_lsn::text || ' ' || active::text FROM pg_replication_slots"
                        + " WHERE slot_name = '" + names.slot() + "'")).as("the slot still waits at L1")
                        .isEqualTo(interrupted.consistentPoint() + " false");

                // The resume: kept tables as copied, the rest withheld from the publication and emptied on the target.
                db.onSource("ALTER PUBLICATION " + names.publication() + " DROP TABLE ONLY resume.partial, ONLY resume.untouched");
                Lsn withheld = Lsn.parse(db.textOnSource("SELECT pg_current_wal_lsn()::text"));
                db.onTarget("TRUNCATE ONLY resume.partial, ONLY resume.untouched");
                assertThat(db.countOnSource("""
                        SELECT count(*) FROM pg_logical_slot_peek_binary_changes('%s', '%s', NULL, 'proto_version', '1',
                            'publication_names', '%s')
                        WHERE get_byte(data, 0) = ascii('R') AND position(convert_to('untouched', 'UTF8') IN data) > 0"""
                        .formatted(names.slot(), withheld, names.publication())))
                        .as("changes to a withheld table made before it was withheld are still decoded as published")
                        .isPositive();
                streaming.start(pair, names, VerifyMode.FULL);
                workload.awaitMoreWrites(300);
                await().atMost(PATIENCE).until(() -> workload.confirmed(names).isAtLeast(withheld));
                assertThat(workload.subscribedTables(names)).as("the subscription knows only the kept tables")
                        .isEqualTo(Map.of("kept_a", "r", "kept_b", "r"));

                // The withheld tables back in the publication while the writer goes on, the transactions open across
                // that waited out (docs/resumable-load.md, "A PostgreSQL decoding bug"), then copied by table synchronisation with
                // their own snapshots.
                List<String> back = List.of("ONLY resume.partial", "ONLY resume.untouched");
                db.onSource("ALTER PUBLICATION " + names.publication() + " ADD TABLE " + String.join(", ", back));
                try (Connection from = pair.source().connect()) {
                    PublicationMembership.settle(from, names.publication(), back, PATIENCE);
                }
                db.onTarget("ALTER SUBSCRIPTION " + names.subscription() + " REFRESH PUBLICATION WITH (copy_data = true)");
                await().atMost(PATIENCE).until(() -> workload.subscribedTables(names).equals(
                        Map.of("kept_a", "r", "kept_b", "r", "partial", "r", "untouched", "r")));
                workload.awaitMoreWrites(300);
                assertThat(workload.stopWriting()).isNull();
                Lsn end = Lsn.parse(db.textOnSource("SELECT pg_current_wal_lsn()::text"));
                await().atMost(PATIENCE).until(() -> workload.confirmed(names).isAtLeast(end));

                Verification verification = new DataVerifier(500).verify(pair);

                assertThat(verification.mismatches()).isEmpty();
                assertThat(verification.tables()).isEqualTo(TABLES.size());
                assertThat(verification.rows()).isEqualTo(workload.rowsOnSource());
                assertThat(workload.synchronisedAgain(names))
                        .as("only the withheld tables were copied again, each at its own sync LSN")
                        .isEqualTo("kept_a:false kept_b:false partial:true untouched:true");
                assertThat(db.textOnTarget("SELECT apply_error_count || ' ' || sync_error_count"
                        + " FROM pg_stat_subscription_stats WHERE subname = '" + names.subscription() + "'"))
                        .as("no apply or sync worker failed on the way").isEqualTo("0 0");
            } finally {
                workload.stopWriting();
                streaming.stop(pair, names, true);
            }
        }
    }
}
