package dev.cutover.client;

import java.time.Instant;
import java.util.Objects;

/** What a new connection or a checkout does on the current {@link Route}. */
public sealed interface Connect {

    Connect AS_CONFIGURED = new AsConfigured();

    /** Exactly what the application would do without the library. */
    record AsConfigured() implements Connect {
    }

    /** Connect to this address (or host name, resolved at connect time) on the configured port. */
    record To(String address) implements Connect {
        public To {
            Objects.requireNonNull(address, "address");
        }
    }

    /** Wait for the route to change, at most until {@code until}. */
    record Wait(Instant until) implements Connect {
    }
}
