package dev.cutover.console.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.jayway.jsonpath.JsonPath;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import dev.cutover.ctl.replay.CutoverScript;
import dev.cutover.ctl.replay.Decoded;
import dev.cutover.ctl.replay.LoggedRecord;
import dev.cutover.ctl.replay.MigrationScript;
import dev.cutover.ctl.replay.Position;
import dev.cutover.events.LagReported;
import dev.cutover.events.Metadata;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.MigrationDataMismatched;
import dev.cutover.events.MigrationStepRetrying;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationStepStarted;

class BoardUnitTest {

    private static final Instant START = Instant.parse("2026-03-01T02:00:00Z");

    private final Board board = new Board(2);

    @Test
    void eachStepIsABarFromItsStartToItsFinishAndAStepNotFinishedRunsOn() {
        var view = last(CutoverScript.of("c-1", "shop", START).started(false).stepsSideBySide().records());

        assertThat(view.kind()).isEqualTo("cutover");
        List<String> steps = JsonPath.read(view.json(), "$.steps[*].step");
        assertThat(steps).containsExactly("FLIP_DNS", "STOP_TRAFFIC", "WRITE_CANARY", "SYNC_SEQUENCES", "AWAIT_CATCH_UP");
        assertThat((Integer) JsonPath.read(view.json(), "$.steps[1].startOffsetMs")).isEqualTo(40);
        assertThat((Integer) JsonPath.read(view.json(), "$.steps[1].endOffsetMs")).isEqualTo(161);
        assertThat((String) JsonPath.read(view.json(), "$.steps[1].state")).isEqualTo("DONE");
        assertThat((String) JsonPath.read(view.json(), "$.steps[4].state")).isEqualTo("RUNNING");
        assertThat((Object) JsonPath.read(view.json(), "$.steps[4].endOffsetMs")).isNull();
        assertThat((String) JsonPath.read(view.json(), "$.outcome")).isEqualTo("RUNNING");
    }

    @Test
    void aStepAParticipantReportsFailedEndsAsAFailedBarWhateverTheSpellingOfItsName() {
        var view = last(CutoverScript.of("c-2", "shop", START).started(false).step(161, "WRITE_CANARY", true)
                .fenceThenCanaryTimesOut().restored().rolledBack().records());

        assertThat((String) JsonPath.read(view.json(), "$.steps[0].state")).isEqualTo("FAILED");
        assertThat((Integer) JsonPath.read(view.json(), "$.steps[0].endOffsetMs")).isEqualTo(2163);
        assertThat((String) JsonPath.read(view.json(), "$.outcome")).isEqualTo("ROLLED_BACK");
        assertThat((Integer) JsonPath.read(view.json(), "$.downtimeMs")).isEqualTo(2040);
    }

    @Test
    void aCompletedCutoverShowsTheDowntimeTheSagaMeasuredAndEveryMessage() {
        var script = CutoverScript.completed("c-3", "shop", START);
        var view = last(script.records());

        assertThat((String) JsonPath.read(view.json(), "$.outcome")).isEqualTo("COMPLETED");
        assertThat((Integer) JsonPath.read(view.json(), "$.downtimeMs")).isEqualTo(412);
        assertThat((String) JsonPath.read(view.json(), "$.downtime")).isEqualTo("412 ms");
        assertThat((String) JsonPath.read(view.json(), "$.downtimeSource")).isEqualTo("CutoverCompleted.downtimeMs");
        assertThat((Integer) JsonPath.read(view.json(), "$.stoppedOffsetMs")).isEqualTo(161);
        assertThat((Object) JsonPath.read(view.json(), "$.predictedDowntimeMs")).isNull();
        List<String> types = JsonPath.read(view.json(), "$.entries[*].type");
        assertThat(types).hasSize(script.records().size()).startsWith("StartCutover").endsWith("CutoverCompleted");
    }

    @Test
    void aDryRunShowsThePredictedDowntime() {
        var view = last(CutoverScript.of("c-4", "shop", START).started(true).planned().records());

        assertThat((Integer) JsonPath.read(view.json(), "$.predictedDowntimeMs")).isEqualTo(380);
        assertThat((String) JsonPath.read(view.json(), "$.predictedDowntime")).isEqualTo("380 ms");
    }

    @Test
    void aMigrationShowsItsStepItsLoadAndTheTimeLeft() {
        var view = last(MigrationScript.of("m-1", "shop", START).startedAndLoading()
                .sized(2_100, Map.of("public.a", 10, "public.b", 10, "public.c", 20))
                .tableCopied(3_000, "public.a").records());

        assertThat(view.kind()).isEqualTo("migration");
        assertThat((String) JsonPath.read(view.json(), "$.step")).isEqualTo("FULL_LOAD");
        assertThat((Integer) JsonPath.read(view.json(), "$.percent")).isEqualTo(25);
        assertThat((Integer) JsonPath.read(view.json(), "$.tablesTotal")).isEqualTo(3);
        assertThat((Integer) JsonPath.read(view.json(), "$.leftMs")).isEqualTo(3_000);
    }

    @Test
    void aMigrationsStepsAreBarsEachEndingWhereTheNextBegins() {
        var view = last(MigrationScript.of("m-1", "shop", START).startedAndLoading().loaded(5_000, 3).ready(9_000)
                .records());

        List<String> steps = JsonPath.read(view.json(), "$.steps[*].step");
        assertThat(steps).containsExactly("PREFLIGHT", "PRE_DATA", "FULL_LOAD");
        List<Integer> starts = JsonPath.read(view.json(), "$.steps[*].startOffsetMs");
        assertThat(starts).containsExactly(20, 1_000, 2_000);
        List<Integer> ends = JsonPath.read(view.json(), "$.steps[*].endOffsetMs");
        assertThat(ends).containsExactly(1_000, 2_000, 9_000);
        List<String> states = JsonPath.read(view.json(), "$.steps[*].state");
        assertThat(states).containsExactly("DONE", "DONE", "DONE");
        assertThat((Integer) JsonPath.read(view.json(), "$.spanMs")).isEqualTo(9_000);
    }

    @Test
    void aMigrationsStepRunsOnUntilTheNextAndEndsFailedWhereTheMigrationStopped() {
        var running = last(MigrationScript.of("m-1", "shop", START).startedAndLoading().records());
        var stopped = last(MigrationScript.of("m-2", "shop", START).startedAndLoading()
                .stopped(4_000, "FULL_LOAD", "CopyData failed: disk full").records());

        assertThat((String) JsonPath.read(running.json(), "$.steps[2].state")).isEqualTo("RUNNING");
        assertThat((Object) JsonPath.read(running.json(), "$.steps[2].endOffsetMs")).isNull();
        assertThat((String) JsonPath.read(stopped.json(), "$.steps[2].state")).isEqualTo("FAILED");
        assertThat((Integer) JsonPath.read(stopped.json(), "$.steps[2].endOffsetMs")).isEqualTo(4_000);
    }

    @Test
    void aDataVerificationThatFoundDifferencesEndsFailedAndItsNextAttemptIsABarOfItsOwn() {
        board.accept(migrationEvent(0, "m-3", metadata -> MigrationStepStarted.newBuilder().setMetadata(metadata)
                .setStep("VERIFY_DATA").setAttempt(1).build()));
        board.accept(migrationEvent(400, "m-3", metadata -> MigrationDataMismatched.newBuilder().setMetadata(metadata)
                .setAttempt(1).setRetryAt(START.plusSeconds(30)).build()));
        board.accept(migrationEvent(30_000, "m-3", metadata -> MigrationStepStarted.newBuilder().setMetadata(metadata)
                .setStep("VERIFY_DATA").setAttempt(2).build()));
        var view = board.accept(migrationEvent(30_500, "m-3", metadata -> MigrationReady.newBuilder()
                .setMetadata(metadata).build())).orElseThrow();

        List<String> steps = JsonPath.read(view.json(), "$.steps[*].step");
        assertThat(steps).containsExactly("VERIFY_DATA", "VERIFY_DATA (attempt 2)");
        List<String> states = JsonPath.read(view.json(), "$.steps[*].state");
        assertThat(states).containsExactly("FAILED", "DONE");
        List<Integer> ends = JsonPath.read(view.json(), "$.steps[*].endOffsetMs");
        assertThat(ends).containsExactly(400, 30_500);
    }

    @Test
    void aFullLoadThatFailedToBeTriedAgainEndsFailedAndItsNextAttemptIsABarOfItsOwn() {
        board.accept(migrationEvent(0, "m-4", metadata -> MigrationStepStarted.newBuilder().setMetadata(metadata)
                .setStep("FULL_LOAD").setAttempt(1).build()));
        board.accept(migrationEvent(900, "m-4", metadata -> MigrationStepRetrying.newBuilder().setMetadata(metadata)
                .setStep("FULL_LOAD").setAttempt(1).setReason("the source is restarting")
                .setRetryAt(START.plusSeconds(31)).build()));
        var view = board.accept(migrationEvent(30_900, "m-4", metadata -> MigrationStepStarted.newBuilder()
                .setMetadata(metadata).setStep("FULL_LOAD").setAttempt(2).build())).orElseThrow();

        List<String> steps = JsonPath.read(view.json(), "$.steps[*].step");
        assertThat(steps).containsExactly("FULL_LOAD", "FULL_LOAD (attempt 2)");
        List<String> states = JsonPath.read(view.json(), "$.steps[*].state");
        assertThat(states).containsExactly("FAILED", "RUNNING");
    }

    @Test
    void aSilentSagaIsAnAlertWithWhatTheWatchdogSaidUntilTheSagaSpeaksAgain() {
        var script = CutoverScript.of("c-6", "shop", START).started(false).sagaSilent(120_014);
        var silent = last(script.records());
        var spoke = last(script.step(130_000, "STOP_TRAFFIC", false).records());

        assertThat((String) JsonPath.read(silent.json(), "$.silent.silentFor")).isEqualTo("2 min 00.000 s");
        assertThat((String) JsonPath.read(silent.json(), "$.silent.bound")).isEqualTo("2 min 00.000 s");
        assertThat((String) JsonPath.read(silent.json(), "$.silent.lastStep")).isEqualTo("STOP_TRAFFIC");
        assertThat((String) JsonPath.read(silent.json(), "$.silent.action")).startsWith("Start cutover-service");
        assertThat((Object) JsonPath.read(spoke.json(), "$.silent")).isNull();
    }

    @Test
    void aReplayHasAFrameForEachMessageInTheOrderTheyHappenedEachTheViewAfterIt() {
        var script = CutoverScript.of("c-7", "shop", START).started(false)
                .step(15, "STOP_TRAFFIC", true).step(161, "STOP_TRAFFIC", false).fencedAndCaughtUp()
                .flippedAndCompleted();
        var records = new ArrayList<>(script.records());
        Collections.reverse(records);
        records.forEach(board::accept);

        var replay = Replay.json("c-7", board.cutoverLog("c-7").orElseThrow());

        List<Integer> offsets = JsonPath.read(replay, "$.frames[*].offsetMs");
        assertThat(offsets).hasSize(script.records().size()).isSorted().startsWith(0).endsWith(575);
        List<Integer> shown = JsonPath.read(replay, "$.frames[*].entries");
        assertThat(shown).startsWith(1, 2, 3).endsWith(script.records().size());
        assertThat((String) JsonPath.read(replay, "$.frames[0].view.outcome")).isEqualTo("RUNNING");
        assertThat((List<?>) JsonPath.read(replay, "$.frames[0].view.steps")).isEmpty();
        assertThat((String) JsonPath.read(replay, "$.frames[-1].view.outcome")).isEqualTo("COMPLETED");
        assertThat((Integer) JsonPath.read(replay, "$.frames[-1].view.downtimeMs")).isEqualTo(412);
        assertThat((String) JsonPath.read(replay, "$.entries[0].type")).isEqualTo("StartCutover");
        assertThat((Integer) JsonPath.read(replay, "$.spanMs")).isEqualTo(575);
        assertThat(board.cutoverLog("m-1")).isEmpty();
    }

    @Test
    void lagKeepsTheNewestReportsOfEachDatabase() {
        board.accept(lag("shop", 0, 900));
        board.accept(lag("shop", 1, 40));
        board.accept(lag("books", 2, 7));
        var view = board.accept(lag("shop", 3, 12)).orElseThrow();

        assertThat(view.kind()).isEqualTo("lag");
        assertThat(view.id()).isEqualTo("shop");
        assertThat((Integer) JsonPath.read(view.json(), "$.applyLagMs")).isEqualTo(12);
        List<Integer> points = JsonPath.read(view.json(), "$.points[*].applyLagMs");
        assertThat(points).containsExactly(40, 12);
    }

    @Test
    void aPageThatOpensLaterGetsTheNewestViewOfEachCutoverMigrationAndDatabase() {
        CutoverScript.completed("c-5", "shop", START).records().forEach(board::accept);
        MigrationScript.of("m-2", "shop", START).startedAndLoading().records().forEach(board::accept);
        board.accept(lag("shop", 0, 5));

        assertThat(board.snapshot()).extracting(Update::kind, Update::id)
                .containsExactly(tuple("cutover", "c-5"),
                        tuple("migration", "m-2"),
                        tuple("lag", "shop"));
        assertThat((String) JsonPath.read(board.snapshot().getFirst().json(), "$.outcome")).isEqualTo("COMPLETED");
    }

    @Test
    void aCutoverIsAStartOnlyWhenTheDatabasesNewestMigrationIsReady() {
        last(MigrationScript.of("m-1", "shop", START).startedAndLoading().loaded(5_000, 2).ready(6_000).records());
        last(MigrationScript.of("m-2", "shop", START.plusSeconds(3_600)).startedAndLoading().records());
        last(MigrationScript.of("m-3", "ledger", START).startedAndLoading().loaded(5_000, 2).ready(6_000).records());
        last(CutoverScript.completed("c-5", "ledger", START.plusSeconds(7_200)).records());

        assertThat(board.newestMigration("shop")).hasValueSatisfying(migration -> assertThat(migration)
                .extracting(summary -> summary.migrationId(), summary -> summary.outcome().words())
                .containsExactly("m-2", "running"));
        assertThat(board.newestMigration("ledger")).hasValueSatisfying(migration -> assertThat(migration.outcome()
                .words()).isEqualTo("ready"));
        assertThat(board.newestMigration("billing")).isEmpty();
        assertThat(board.cutover("c-5")).hasValueSatisfying(cutover -> assertThat(cutover.database())
                .isEqualTo("ledger"));
        assertThat(board.cutover("m-3")).as("a migration is no cutover").isEmpty();
    }

    private Update last(List<LoggedRecord> records) {
        Optional<Update> update = Optional.empty();
        for (var record : records) {
            update = board.accept(record);
        }
        return update.orElseThrow();
    }

    private static Decoded migrationEvent(long offsetMs, String migrationId,
            Function<Metadata, SpecificRecord> message) {
        var at = START.plusMillis(offsetMs);
        var metadata = new MetadataFactory("cutover-service", Clock.fixed(at, ZoneOffset.UTC))
                .of("shop", null, migrationId, null);
        return new Decoded(new Position("cutover.events", 0, offsetMs, at), migrationId, message.apply(metadata));
    }

    private static Decoded lag(String database, long offset, long applyLagMs) {
        var at = START.plusSeconds(offset);
        var metadata = new MetadataFactory("lag-monitor", Clock.fixed(at, ZoneOffset.UTC)).of(database, null, null, null);
        return new Decoded(new Position("replication.lag", 0, offset, at), database, LagReported.newBuilder()
                .setMetadata(metadata).setEngine("native").setState("streaming").setApplyLagMs(applyLagMs).build());
    }
}
