package dev.cutover.lag.slot;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import dev.cutover.lag.engine.SourceFigures;

/**
 * Watches one slot for an idle episode: seen without a reader (no walsender) while the source keeps WAL for it.
 * The episode starts at the first such reading and ends when the slot is read by someone, keeps no WAL or is gone;
 * after {@code warnAfter} within one episode it warns, once. Immutable: every reading gives the next watch.
 *
 * <p>Why a time and not the migration's lifecycle: a slot without a reader for minutes is the harm itself, whatever
 * left it (a stopped, aborted or completed migration, a subscription disabled by hand, a replicator that died), and
 * a short pause, such as a subscription restarting, stays under the limit.
 *
 * @param warnAfter how long a slot may stay idle before the warning
 * @param episode   the idle episode under way, if any
 */
public record IdleSlotWatch(Duration warnAfter, Optional<Episode> episode) {

    public IdleSlotWatch {
        Objects.requireNonNull(warnAfter, "warnAfter");
        if (warnAfter.isNegative() || warnAfter.isZero()) {
            throw new IllegalArgumentException("slot-idle-warning must be positive, was " + warnAfter);
        }
        Objects.requireNonNull(episode, "episode");
    }

    /**
     * One idle episode.
     *
     * @param slot   the slot's name; another name starts another episode
     * @param since  when the slot was first seen idle
     * @param warned whether this episode has been warned about
     */
    public record Episode(String slot, Instant since, boolean warned) {
    }

    /** The next watch, and the warning if this reading is the one that crosses the limit. */
    public record Verdict(IdleSlotWatch next, Optional<SlotIdle> warning) {
    }

    public static IdleSlotWatch start(Duration warnAfter) {
        return new IdleSlotWatch(warnAfter, Optional.empty());
    }

    /** Judges one reading of the source's slot taken at {@code at}; an absent slot ends any episode. */
    public Verdict observe(Optional<SourceFigures.Slot> slot, Instant at) {
        if (slot.isEmpty() || !idle(slot.get())) {
            return new Verdict(start(warnAfter), Optional.empty());
        }
        SourceFigures.Slot seen = slot.get();
        Episode current = episode.filter(e -> e.slot().equals(seen.name()))
                .orElseGet(() -> new Episode(seen.name(), at, false));
        Duration idleFor = Duration.between(current.since(), at);
        if (current.warned() || idleFor.compareTo(warnAfter) < 0) {
            return new Verdict(new IdleSlotWatch(warnAfter, Optional.of(current)), Optional.empty());
        }
        Episode warned = new Episode(current.slot(), current.since(), true);
        return new Verdict(new IdleSlotWatch(warnAfter, Optional.of(warned)),
                Optional.of(new SlotIdle(seen.name(), seen.retainedWalBytes(), current.since(), idleFor)));
    }

    /** How long the slot has been idle at {@code at}: zero outside an episode. */
    public Duration idleFor(Instant at) {
        return episode.map(e -> Duration.between(e.since(), at)).orElse(Duration.ZERO);
    }

    private static boolean idle(SourceFigures.Slot slot) {
        return !slot.active() && slot.retainedWalBytes() != null && slot.retainedWalBytes() > 0;
    }
}
