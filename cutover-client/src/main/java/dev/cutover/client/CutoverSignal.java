package dev.cutover.client;

import java.util.Objects;
import java.util.Optional;

/** What the client needs from the cutover's events, free of Avro and Kafka. */
public sealed interface CutoverSignal {

    String cutoverId();

    /** {@code DnsFlipped}: the name now points at {@code target}; it pointed at {@code source}. */
    record DnsFlipped(String cutoverId, String source, String target) implements CutoverSignal {
        public DnsFlipped {
            Objects.requireNonNull(cutoverId, "cutoverId");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }
    }

    /** {@code StopTraffic}: the fence of the source begins. */
    record StopTraffic(String cutoverId) implements CutoverSignal {
        public StopTraffic {
            Objects.requireNonNull(cutoverId, "cutoverId");
        }
    }

    /** {@code TargetOpened} (or {@code CutoverCompleted} for a process that missed it): the target takes the writes. */
    record TargetOpen(String cutoverId) implements CutoverSignal {
        public TargetOpen {
            Objects.requireNonNull(cutoverId, "cutoverId");
        }
    }

    /**
     * {@code SourceRestored} or {@code CutoverRolledBack}: the source takes the writes again; {@code source} is its
     * address when the event names it.
     */
    record RolledBack(String cutoverId, Optional<String> source) implements CutoverSignal {
        public RolledBack {
            Objects.requireNonNull(cutoverId, "cutoverId");
            Objects.requireNonNull(source, "source");
        }
    }
}
