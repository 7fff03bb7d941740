package dev.cutover.sandbox.client;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Live counters all workers add to, for a progress view while the client runs. */
final class Progress {

    private final LongAdder bySource = new LongAdder();
    private final LongAdder byTarget = new LongAdder();
    private final LongAdder byOther = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder duplicateKeys = new LongAdder();
    private final LongAdder updatesFindingNoRow = new LongAdder();
    private final AtomicLong lastAckNanos = new AtomicLong();

    void acked(Server server, long nanos) {
        switch (server) {
            case SOURCE -> bySource.increment();
            case TARGET -> byTarget.increment();
            case OTHER -> byOther.increment();
        }
        lastAckNanos.accumulateAndGet(nanos, Math::max);
    }

    void failed(FailureKind kind) {
        failures.increment();
        if (kind == FailureKind.DUPLICATE_KEY) {
            duplicateKeys.increment();
        }
    }

    void updateFoundNoRow() {
        updatesFindingNoRow.increment();
    }

    ClientProgress snapshot() {
        long last = lastAckNanos.get();
        return new ClientProgress(bySource.sum(), byTarget.sum(), byOther.sum(), failures.sum(), duplicateKeys.sum(),
                updatesFindingNoRow.sum(), last == 0 ? -1 : (System.nanoTime() - last) / 1_000_000);
    }
}
