package dev.cutover.dns.messaging;

import java.util.function.Supplier;

import dev.cutover.dns.DnsFailureException;
import dev.cutover.events.FlipDns;
import dev.cutover.events.LowerDnsTtl;
import dev.cutover.events.RestoreDnsTtl;
import dev.cutover.events.RevertDns;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.TargetOpened;
import dev.cutover.platform.StepFailure;

/**
 * What the listener hands each message to: the DNS participant, or the PgBouncer one, as {@code dns.provider} says.
 * Both answer the same commands with the same events, so the saga does not know which moved the clients.
 */
interface SwitchParticipant {

    void flip(FlipDns command);

    void revert(RevertDns command);

    void lowerTtl(LowerDnsTtl command);

    void restoreTtl(RestoreDnsTtl command);

    /** Only a switch that holds clients until the target opens acts on it. */
    default void targetOpened(TargetOpened event) {
    }

    /** Likewise for a switch that holds clients until the source opens again (a rollback, a fallback). */
    default void sourceRestored(SourceRestored event) {
    }

    /** Runs a change, turning its named failure, or a malformed command, into the step failure the saga hears. */
    static <T> T carryOut(Supplier<T> change) {
        try {
            return change.get();
        } catch (DnsFailureException e) {
            throw new StepFailure(e.failure().reason(), e.failure().retryable(), e);
        } catch (IllegalArgumentException e) {
            throw new StepFailure("the command is malformed: " + e.getMessage(), false, e);
        }
    }
}
