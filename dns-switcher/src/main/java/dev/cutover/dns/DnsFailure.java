package dev.cutover.dns;

import java.time.Duration;
import java.util.List;

/**
 * Every way a DNS change can fail, named, each with a reason a person can act on. The listener turns
 * one into {@code StepFailed(step, reason(), retryable())}.
 */
public sealed interface DnsFailure {

    /** One or two sentences: what happened and what to check. */
    String reason();

    /** Whether sending the same command again may succeed without anyone changing anything. */
    boolean retryable();

    /** The server refused our credentials (TSIG NOTAUTH/BADKEY/BADSIG, AWS 403). */
    record NotAuthorized(String server, String refusal, String remedy) implements DnsFailure {
        @Override
        public String reason() {
            return server + " refused our credentials (" + refusal + "): " + remedy;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The compare of compare-and-swap failed: the name does not point where the command expects. */
    record CurrentValueDiffers(DnsRecordName record, String expected, String actual) implements DnsFailure {
        @Override
        public String reason() {
            return record + " was expected to point at " + expected + " but points at " + actual
                    + ": someone changed it outside this cutover, or the command is stale; check the record"
                    + " and send the command again with the value now in place";
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** Route53 rejected the change batch; its messages say why. */
    record InvalidChangeBatch(List<String> messages) implements DnsFailure {
        public InvalidChangeBatch {
            messages = List.copyOf(messages);
        }

        @Override
        public String reason() {
            return "Route53 rejected the change batch: " + String.join("; ", messages)
                    + ". Check that the weighted records and dns.route53 settings (set identifiers, hosted zone) match";
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The provider kept throttling us past our retry budget. */
    record Throttled(int attempts, Duration waited) implements DnsFailure {
        @Override
        public String reason() {
            return "the DNS provider throttled " + attempts + " attempts over " + waited.toMillis()
                    + " ms: other clients share the account's rate limit; retry later or raise dns.route53.throttle-attempts";
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** A step did not finish in time; the change may or may not have been applied. */
    record TimedOut(String step, Duration after) implements DnsFailure {
        @Override
        public String reason() {
            return "timed out after " + after.toMillis() + " ms while trying to " + step
                    + ": the change may or may not be in place; sending the command again is safe (compare-and-swap)";
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** No answer at the network level: wrong address, server down, firewall. */
    record Unreachable(String server, String cause, String remedy) implements DnsFailure {
        @Override
        public String reason() {
            return "could not reach " + server + " (" + cause + "): " + remedy;
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /**
     * The change was refused for a reason that is neither credentials nor the current value: the name
     * is outside the zone, the update policy forbids it, the hosted zone does not exist, or it would
     * take the name out of DNS.
     */
    record Rejected(String by, String refusal, String remedy) implements DnsFailure {
        @Override
        public String reason() {
            return by + " rejected the change (" + refusal + "): " + remedy;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /**
     * A PgBouncer's {@code PAUSE} did not return in time: some transaction stayed open. Every PgBouncer was resumed
     * where it pointed, so nothing moved.
     */
    record PauseTimedOut(String pgbouncer, String database, Duration after) implements DnsFailure {
        @Override
        public String reason() {
            return "PAUSE " + database + " on " + pgbouncer + " did not return within " + after.toMillis()
                    + " ms: a transaction stayed open (in session pooling PAUSE waits for every client to disconnect:"
                    + " use pool_mode = transaction), or raise dns.pgbouncer.pause-timeout. Every PgBouncer was resumed"
                    + " where it pointed; nothing was moved";
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }
}
