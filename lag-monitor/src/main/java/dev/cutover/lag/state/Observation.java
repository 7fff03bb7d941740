package dev.cutover.lag.state;

import java.time.Instant;

import dev.cutover.lag.engine.LagSample;

/** One look at a database's replication: figures, or the reason there are none. */
public sealed interface Observation {

    Instant at();

    record Read(LagSample sample) implements Observation {

        @Override
        public Instant at() {
            return sample.at();
        }
    }

    /** The source or the target did not answer, or answered with an error. */
    record Unreachable(Instant at, String reason) implements Observation {
    }
}
