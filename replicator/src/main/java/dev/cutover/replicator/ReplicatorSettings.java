package dev.cutover.replicator;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.cutover.replicator.copy.LoadOptions;
import dev.cutover.replicator.verify.VerificationScope;
import dev.cutover.replicator.verify.VerifyMode;

/**
 * How the replicator works, under {@code cutover.replicator}.
 *
 * @param workers             tables or ranges copied, and verified, at once; each holds a connection on both servers
 * @param splitThreshold      only tables larger than this are cut into ranges copied by several workers, and only
 *                            where that shortens the copy (at most one range per this many bytes)
 * @param slotCreationTimeout how long creating the slot may wait for transactions open on the source
 * @param slotReleasePatience how long stopping waits for the source to let go of the slot before ending its sender
 * @param verifyRowsPerRange  about how many rows one verification checksum covers
 * @param tableSyncTimeout    how long {@code StartStreaming} of a resumed load waits for the subscription's table
 *                            synchronisation to copy the tables the interrupted load had not finished
 * @param verifyMode          what a {@code VerifyData} that does not say compares: FULL (every range) or SAMPLED
 * @param verifySampleFraction the fraction of each table's ranges a sampled verification compares, besides every
 *                            range changed since streaming began
 */
@ConfigurationProperties("cutover.replicator")
record ReplicatorSettings(
        @DefaultValue("4") int workers,
        @DefaultValue("256MB") DataSize splitThreshold,
        @DefaultValue("60s") Duration slotCreationTimeout,
        @DefaultValue("10s") Duration slotReleasePatience,
        @DefaultValue("100000") long verifyRowsPerRange,
        @DefaultValue("24h") Duration tableSyncTimeout,
        @DefaultValue("FULL") VerifyMode verifyMode,
        @DefaultValue("0.05") double verifySampleFraction) {

    ReplicatorSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("cutover.replicator.workers must be at least 1, was " + workers);
        }
        if (splitThreshold.toBytes() < 1) {
            throw new IllegalArgumentException("cutover.replicator.split-threshold must be positive, e.g. 256MB, was "
                    + splitThreshold);
        }
        if (slotCreationTimeout.isNegative() || slotCreationTimeout.isZero()) {
            throw new IllegalArgumentException("cutover.replicator.slot-creation-timeout must be positive, e.g. 60s, was "
                    + slotCreationTimeout);
        }
        if (slotReleasePatience.isNegative()) {
            throw new IllegalArgumentException("cutover.replicator.slot-release-patience must not be negative, was "
                    + slotReleasePatience);
        }
        if (tableSyncTimeout.isNegative() || tableSyncTimeout.isZero()) {
            throw new IllegalArgumentException("cutover.replicator.table-sync-timeout must be positive, e.g. 24h, was "
                    + tableSyncTimeout);
        }
        if (verifyRowsPerRange < 1) {
            throw new IllegalArgumentException("cutover.replicator.verify-rows-per-range must be at least 1, was "
                    + verifyRowsPerRange);
        }
        if (verifyMode == null) {
            throw new IllegalArgumentException("cutover.replicator.verify-mode must be FULL or SAMPLED");
        }
        if (!(verifySampleFraction > 0 && verifySampleFraction <= 1)) {
            throw new IllegalArgumentException("cutover.replicator.verify-sample-fraction must be above 0 and at most 1,"
                    + " e.g. 0.05 for one range in twenty, was " + verifySampleFraction);
        }
    }

    /**
     * What a verification compares: the mode asked for, else {@link #verifyMode}; a sample is picked by {@code seed}.
     */
    VerificationScope verificationScope(VerifyMode asked, long seed) {
        return switch (verifyMode(asked)) {
            case FULL -> new VerificationScope.Full();
            case SAMPLED -> new VerificationScope.Sampled(verifySampleFraction, seed);
        };
    }

    /** The mode a message asked for, or {@link #verifyMode} where it did not say. */
    VerifyMode verifyMode(VerifyMode asked) {
        return asked == null ? verifyMode : asked;
    }

    LoadOptions loadOptions() {
        return new LoadOptions(workers, splitThreshold.toBytes(), slotCreationTimeout);
    }
}
