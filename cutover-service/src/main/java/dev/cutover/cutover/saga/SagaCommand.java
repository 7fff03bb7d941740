package dev.cutover.cutover.saga;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the saga asks participants to do. Cutover id and database travel in the envelope; every participant
 * must do no harm when it receives the same command twice, because a restarted saga may send it again.
 */
public sealed interface SagaCommand {

    /** Schema-service: check the target is ready (schema verified, roles present, target role locked, DNS on the source). */
    record CheckPreflight() implements SagaCommand {
    }

    /** Fence: lock the application roles on the source, end their sessions, read the fence LSN. */
    record StopTraffic(Duration timeout) implements SagaCommand {

        public StopTraffic {
            Text.positive(timeout, "timeout");
        }
    }

    /** Fence: write the canary row on the source, carrying {@code token}. */
    record WriteCanary(String token) implements SagaCommand {

        public WriteCanary {
            Text.notBlank(token, "canary token");
        }
    }

    /**
     * Lag monitor: report when the canary is on the target and replication confirmed its position: {@code lsn} when
     * the canary was already written, else the source's position that lag-monitor reads once the row is committed.
     */
    record AwaitCatchUp(String token, Optional<Lsn> lsn, Duration timeout) implements SagaCommand {

        public AwaitCatchUp {
            Text.notBlank(token, "canary token");
            Objects.requireNonNull(lsn, "lsn must not be null");
            Text.positive(timeout, "timeout");
        }
    }

    /** Schema-service: set every sequence on the target from the source. */
    record SyncSequences() implements SagaCommand {
    }

    /** Fence: let the application roles log in to the target. */
    record OpenTarget() implements SagaCommand {
    }

    /** DNS switcher: point {@code recordName} at {@code newAddress}, only if it still points at {@code expected}. */
    record FlipDns(String recordName, String expected, String newAddress, Duration ttl) implements SagaCommand {

        public FlipDns {
            Text.notBlank(recordName, "recordName");
            Text.notBlank(expected, "expected");
            Text.notBlank(newAddress, "newAddress");
            Text.notNegative(ttl, "ttl");
        }
    }

    // The cutover's compensation never sends LockTarget: it only ever runs before OpenTarget is sent, so the target it
    // would lock was never opened. A fallback's fence is LockTarget (below).

    /** DNS switcher: point {@code recordName} back at the source address, whatever it points at now. */
    record RevertDns(String recordName, String sourceAddress) implements SagaCommand {

        public RevertDns {
            Text.notBlank(recordName, "recordName");
            Text.notBlank(sourceAddress, "sourceAddress");
        }
    }

    /** Fence: let the application roles log in to the source again. */
    record RestoreSource(String reason) implements SagaCommand {

        public RestoreSource {
            Text.notBlank(reason, "reason");
        }
    }

    /** Replicator: stop the subscription from the source. */
    record StopReplication() implements SagaCommand {
    }

    /** Replicator: create the reverse publication and slot on the still locked target (the preflight's last part). */
    record PrepareFallback() implements SagaCommand {
    }

    /** Replicator: with forward replication stopped, subscribe the source to the target from {@code from}. */
    record StartReverseReplication(Lsn from) implements SagaCommand {

        public StartReverseReplication {
            Objects.requireNonNull(from, "from must not be null");
        }
    }

    /** Replicator: drop the reverse slot and publication this cutover's preflight made, unless a fallback uses them. */
    record RemoveFallback() implements SagaCommand {
    }

    /** DNS switcher: give {@code recordName} back the TTL it had before the migration lowered it. */
    record RestoreDnsTtl(String recordName) implements SagaCommand {

        public RestoreDnsTtl {
            Text.notBlank(recordName, "recordName");
        }
    }

    /** Fence: lock the application roles out of the target and end their sessions (a fallback's fence). */
    record LockTarget() implements SagaCommand {
    }

    /** Replicator: report once the reverse slot is confirmed past the fenced target's WAL position. */
    record AwaitReverseCatchUp(Duration timeout) implements SagaCommand {

        public AwaitReverseCatchUp {
            Text.positive(timeout, "timeout");
        }
    }

    /** Schema-service: set every sequence on the source from the fenced target. */
    record SyncSequencesToSource() implements SagaCommand {
    }

    /** Replicator: drop the reverse subscription, slot and publication once the source serves again. */
    record StopReverseReplication() implements SagaCommand {
    }

    /**
     * DNS switcher: a fallback's rollback points {@code recordName} at the target again, whatever it points at now
     * (the fallback's flip may or may not have landed).
     */
    record RevertDnsToTarget(String recordName) implements SagaCommand {

        public RevertDnsToTarget {
            Text.notBlank(recordName, "recordName");
        }
    }
}
