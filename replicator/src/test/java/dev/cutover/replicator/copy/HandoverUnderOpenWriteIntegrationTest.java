package dev.cutover.replicator.copy;

import static dev.cutover.replicator.copy.ResumeWorkload.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.streaming.Streaming;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.replicator.verify.DataVerifier;
import dev.cutover.replicator.verify.Verification;
import dev.cutover.replicator.verify.VerifyMode;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * The handover of a resumed load's withheld tables while a transaction that wrote one of them before the tables went
 * back into the publication is still open, 11 -> 17. On a source without PostgreSQL's 2025 decoding fix (11 and 12
 * never got it), that transaction's decoding caches the table as unpublished and nothing invalidates it: every later
 * change of the table would be left out of the stream (docs/resumable-load.md, "A PostgreSQL decoding bug"). The
 * handover waits for such transactions to end and then invalidates the publication's cache again, before the table is
 * copied.
 */
@ExtendWith(SharedStackExtension.class)
class HandoverUnderOpenWriteIntegrationTest {

    @Test
    void aWriteOpenAcrossTheHandoverLosesNeitherItsOwnRowsNorAnyLaterChangeOfTheWithheldTable(LocalStack stack)
            throws Exception {
        TestDatabase db = TestDatabase.create("handover_open", stack.source(), stack.target());
        ResumeWorkload.seed(db);
        DatabasePair pair = db.pair(List.of("resume"));
        ReplicationNames names = ReplicationNames.forDatabase("handover_open");
        ResumeWorkload.Interrupted interrupted = ResumeWorkload.interruptLoad(pair, names);
        ResumedLoad resumed = LoadResume.resume(pair, names, interrupted.reported()).orElseThrow();
        assertThat(resumed.withheld()).contains(new TableName("resume", "partial"));
        Streaming streaming = new Streaming(Duration.ofSeconds(10), PATIENCE);
        try (Connection open = TestDatabase.endpoint(db.source(), db.name()).connect()) {
            open.setAutoCommit(false);
            try (Statement statement = open.createStatement()) {
                statement.executeUpdate("INSERT INTO resume.partial VALUES (900001, 1, 'before the handover')");
            }

            CompletableFuture<?> started = CompletableFuture.runAsync(() -> streaming.start(pair, names, VerifyMode.FULL));
            await().atMost(PATIENCE).until(() -> db.countOnSource("SELECT count(*) FROM pg_publication_tables"
                    + " WHERE pubname = '" + names.publication() + "' AND tablename = 'partial'") == 1);
            try (Statement statement = open.createStatement()) {
                statement.executeUpdate("INSERT INTO resume.partial VALUES (900002, 2, 'after the table went back')");
            }
            open.commit();
            started.get();

            db.onSource("INSERT INTO resume.partial VALUES (900003, 3, 'once streaming')",
                    "UPDATE resume.partial SET note = 'changed once streaming' WHERE id = 5",
                    "DELETE FROM resume.partial WHERE id = 6");
            Lsn end = Lsn.parse(db.textOnSource("SELECT pg_current_wal_lsn()::text"));
            await().atMost(PATIENCE).until(() -> confirmed(db, names).isAtLeast(end));

            Verification verification = new DataVerifier(500).verify(pair);

            assertThat(verification.mismatches()).isEmpty();
            assertThat(db.textOnTarget("SELECT string_agg(id || ':' || note, ',' ORDER BY id) FROM resume.partial"
                    + " WHERE id IN (5, 6) OR id > 900000"))
                    .isEqualTo("5:changed once streaming,900001:before the handover,"
                            + "900002:after the table went back,900003:once streaming");
        } finally {
            streaming.stop(pair, names, true);
        }
    }

    private static Lsn confirmed(TestDatabase db, ReplicationNames names) {
        String lsn = db.textOnSource("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '"
                + names.slot() + "'");
        return lsn == null ? new Lsn(0) : Lsn.parse(lsn);
    }
}
