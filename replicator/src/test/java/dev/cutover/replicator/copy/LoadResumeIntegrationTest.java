package dev.cutover.replicator.copy;

import static dev.cutover.replicator.copy.ResumeWorkload.PATIENCE;
import static dev.cutover.replicator.copy.ResumeWorkload.TABLES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Publications;
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
 * A load interrupted by a crash taken up with the replicator's own pieces, 11 -> 17: {@link LoadResume}, given the
 * tables the load reported copied, keeps those the target still holds and withholds the rest;
 * {@link Streaming#start} subscribes at the slot's point, hands the withheld tables (recorded on the publication) to
 * table synchronisation and returns once every table is ready. A writer runs throughout.
 */
@ExtendWith(SharedStackExtension.class)
class LoadResumeIntegrationTest {

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase(LocalStack stack) {
        db = TestDatabase.create("load_resume", stack.source(), stack.target());
        ResumeWorkload.seed(db);
    }

    @Test
    void aLoadTakenUpAfterACrashKeepsTheTablesItFinishedAndHasTheRestSynchronisedBeforeItStreams() throws Exception {
        DatabasePair pair = db.pair(List.of("resume"));
        ReplicationNames names = ReplicationNames.forDatabase("load_resume");
        Streaming streaming = new Streaming(Duration.ofSeconds(10), PATIENCE);
        try (ResumeWorkload workload = ResumeWorkload.start(db)) {
            try {
                workload.awaitMoreWrites(200);
                ResumeWorkload.Interrupted interrupted = ResumeWorkload.interruptLoad(pair, names);
                assertThat(interrupted.reported()).as("TableCopied of the interrupted load")
                        .containsOnlyKeys("resume.kept_a", "resume.kept_b");
                String copiedBy = db.textOnTarget("SELECT string_agg(DISTINCT xmin::text, ',') FROM resume.kept_a");
                String fileOfKeptA = db.textOnTarget("SELECT pg_relation_filenode('resume.kept_a')::text");
                workload.awaitMoreWrites(300);

                // CopyData again with what the saga recorded: the two tables, and for the partial one a count its rows
                // on the target do not match (as for a split table some of whose ranges were reported).
                Map<String, Long> reported = new HashMap<>(interrupted.reported());
                reported.put("resume.partial", 1_000_000L);
                // A replicator killed mid-load gets its CopyData again from Kafka, without the list: its own record.
                ResumedLoad fromItsRecord = LoadResume.resume(pair, names, Map.of()).orElseThrow();
                ResumedLoad resumed = LoadResume.resume(pair, names, reported).orElseThrow();
                ResumedLoad again = LoadResume.resume(pair, names, reported).orElseThrow();

                assertThat(resumed.consistentPoint()).isEqualTo(interrupted.consistentPoint());
                assertThat(resumed.kept()).isEqualTo(Map.of(
                        new TableName("resume", "kept_a"), interrupted.reported().get("resume.kept_a"),
                        new TableName("resume", "kept_b"), interrupted.reported().get("resume.kept_b")));
                assertThat(resumed.withheld()).containsExactly(new TableName("resume", "partial"),
                        new TableName("resume", "untouched"));
                assertThat(again).as("taken up again after another crash: the same").isEqualTo(resumed);
                assertThat(fromItsRecord).as("taken up from the load's own record: the same").isEqualTo(resumed);
                assertThat(db.textOnSource("SELECT string_agg(tablename, ',' ORDER BY tablename)"
                        + " FROM pg_publication_tables WHERE pubname = '" + names.publication() + "'"))
                        .as("withheld tables out of the publication").isEqualTo("kept_a,kept_b");
                try (Connection from = pair.source().connect()) {
                    assertThat(Publications.withheld(from, names.publication())).as("and recorded on it")
                            .isEqualTo(resumed.withheld());
                }
                assertThat(db.countOnTarget("SELECT count(*) FROM resume.partial")).as("withheld tables emptied").isZero();

                // The handover adds the withheld tables back to the publication while the writer goes on.
                streaming.start(pair, names, VerifyMode.FULL);

                assertThat(workload.subscribedTables(names)).as("every table ready when streaming is reported")
                        .isEqualTo(Map.of("kept_a", "r", "kept_b", "r", "partial", "r", "untouched", "r"));
                streaming.start(pair, names, VerifyMode.FULL);
                try (Connection from = pair.source().connect()) {
                    assertThat(Publications.withheld(from, names.publication())).as("the record cleared").isEmpty();
                    assertThat(Publications.existing(from, names.publication())).as("still cutover's").contains(true);
                }
                workload.awaitMoreWrites(300);
                assertThat(workload.stopWriting()).isNull();
                Lsn end = Lsn.parse(db.textOnSource("SELECT pg_current_wal_lsn()::text"));
                await().atMost(PATIENCE).until(() -> workload.confirmed(names).isAtLeast(end));

                Verification verification = new DataVerifier(500).verify(pair);

                assertThat(verification.mismatches()).isEmpty();
                assertThat(verification.tables()).isEqualTo(TABLES.size());
                assertThat(verification.rows()).isEqualTo(workload.rowsOnSource());
                assertThat(db.textOnTarget("SELECT pg_relation_filenode('resume.kept_a')::text"))
                        .as("kept_a was not emptied again").isEqualTo(fileOfKeptA);
                assertThat(db.countOnTarget("SELECT count(*) FROM resume.kept_a WHERE xmin::text = '" + copiedBy + "'"))
                        .as("kept_a still holds the rows the interrupted load's transaction wrote").isPositive();
                assertThat(workload.synchronisedAgain(names))
                        .as("only the withheld tables were copied again, each at its own sync LSN")
                        .isEqualTo("kept_a:false kept_b:false partial:true untouched:true");
            } finally {
                workload.stopWriting();
                streaming.stop(pair, names, true);
            }
        }
    }
}
