package dev.cutover.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.DnsReverted;
import dev.cutover.events.FallbackCompleted;
import dev.cutover.events.FallbackRolledBack;
import dev.cutover.events.FallbackRollingBack;
import dev.cutover.events.LockTarget;
import dev.cutover.events.Metadata;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.TrafficStopped;

class CutoverFollowerUnitTest {

    private final MetadataFactory metadata = new MetadataFactory("cutover-service",
            Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void theFlipOfTheFollowedDatabaseGivesItsSourceAndTarget() {
        DnsFlipped flipped = DnsFlipped.newBuilder().setMetadata(cutoverOf("app")).setRecord("db.example.com.")
                .setPrevious("10.0.0.2").setCurrent("10.0.0.3").setTtlSeconds(1).build();

        assertThat(CutoverFollower.signal(flipped, "app")).contains(new CutoverSignal.DnsFlipped("app-1", "10.0.0.2", "10.0.0.3"));
    }

    @Test
    void anotherDatabasesCutoverIsNotFollowed() {
        StopTraffic stop = StopTraffic.newBuilder().setMetadata(cutoverOf("billing")).setTimeoutMs(5_000).build();

        assertThat(CutoverFollower.signal(stop, "app")).isEmpty();
    }

    @Test
    void aMigrationsMessagesAndTheOtherStepsAreNotSignals() {
        Metadata migration = metadata.forMigration("app", "app-migration-1");
        StopTraffic stop = StopTraffic.newBuilder().setMetadata(migration).setTimeoutMs(5_000).build();
        TrafficStopped stopped = TrafficStopped.newBuilder().setMetadata(cutoverOf("app")).setFenceLsn("0/1").build();

        assertThat(CutoverFollower.signal(stop, "app")).isEmpty();
        assertThat(CutoverFollower.signal(stopped, "app")).isEmpty();
        assertThat(CutoverFollower.signal(null, "app")).isEmpty();
    }

    @Test
    void theCompletionOpensTheTargetForAProcessThatMissedTargetOpened() {
        CutoverCompleted completed = CutoverCompleted.newBuilder().setMetadata(cutoverOf("app")).build();

        assertThat(CutoverFollower.signal(completed, "app")).contains(new CutoverSignal.TargetOpen("app-1"));
    }

    @Test
    void aRevertedNameIsNoSignalTheHoldFromTheFlipEndsWhenTheSourceIsRestored() {
        DnsReverted reverted = DnsReverted.newBuilder().setMetadata(cutoverOf("app")).setRecord("db.example.com.")
                .setPrevious("10.0.0.3").setCurrent("10.0.0.2").build();

        assertThat(CutoverFollower.signal(reverted, "app")).isEmpty();
    }

    @Test
    void aFlipThroughPgBouncerNamesNoAddressToFollowPgBouncerHoldsAndMovesItsClientsItself() {
        DnsFlipped flipped = DnsFlipped.newBuilder().setMetadata(cutoverOf("app")).setRecord("app")
                .setPrevious("10.0.0.2:5432").setCurrent("10.0.0.3:5432").setTtlSeconds(0).build();
        DnsFlipped ipv6 = DnsFlipped.newBuilder().setMetadata(cutoverOf("app")).setRecord("db.example.com.")
                .setPrevious("fd00::2").setCurrent("fd00::3").setTtlSeconds(1).build();

        assertThat(CutoverFollower.signal(flipped, "app")).isEmpty();
        assertThat(CutoverFollower.signal(ipv6, "app")).contains(new CutoverSignal.DnsFlipped("app-1", "fd00::2", "fd00::3"));
    }

    @Test
    void theFallbacksFenceAndEndsAreSignalsOfTheSameCutover() {
        LockTarget lock = LockTarget.newBuilder().setMetadata(cutoverOf("app")).build();
        FallbackCompleted completed = FallbackCompleted.newBuilder().setMetadata(cutoverOf("app")).setDowntimeMs(300).build();
        FallbackRolledBack rolledBack = FallbackRolledBack.newBuilder().setMetadata(cutoverOf("app")).setFailedStep("AWAIT_CATCH_UP")
                .setReason("the reverse replication did not catch up").setDowntimeMs(300).build();

        assertThat(CutoverFollower.signal(lock, "app")).contains(new CutoverSignal.LockTarget("app-1"));
        assertThat(CutoverFollower.signal(completed, "app")).contains(new CutoverSignal.SourceOpen("app-1"));
        assertThat(CutoverFollower.signal(rolledBack, "app")).contains(new CutoverSignal.TargetOpen("app-1"));
        FallbackRollingBack rollingBack = FallbackRollingBack.newBuilder().setMetadata(cutoverOf("app")).setFailedStep("FLIP_DNS")
                .setReason("no answer").build();
        assertThat(CutoverFollower.signal(rollingBack, "app")).contains(new CutoverSignal.FallbackRollingBack("app-1"));
    }

    private Metadata cutoverOf(String database) {
        return metadata.forCutover(database, "app-1");
    }
}
