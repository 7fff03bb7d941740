package dev.cutover.dns;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The four DNS commands of a cutover ({@code FlipDns}, {@code RevertDns}, {@code LowerDnsTtl},
 * {@code RestoreDnsTtl}), each one call for the Kafka listener.
 *
 * <p>Idempotent in two layers. Within one process, a command id seen before returns the earlier
 * result without touching DNS (Kafka redelivers after a rebalance or a failed commit). Across a
 * restart that memory is gone, and idempotency comes from the providers' compare-and-swap instead: a
 * flip to the state already in place reports success without a change, so the event is the same
 * except that it carries no change id. Failed commands are not remembered, so a retry tries again.
 */
public final class DnsSwitch {

    private final DnsProvider provider;
    // Unbounded on purpose: a cutover sends a handful of DNS commands, and a restart empties it.
    private final Map<UUID, Handled> handled = new ConcurrentHashMap<>();

    public DnsSwitch(DnsProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /** {@code FlipDns}: points the name at the new target (compare-and-swap on the expected one). */
    public FlipResult flip(UUID commandId, FlipRequest request) {
        return once(commandId, "FlipDns", request, () -> provider.flip(request), FlipResult.class);
    }

    /**
     * {@code RevertDns}: the request names the way back (expected = where the flip pointed it, new =
     * where it pointed before, see {@link FlipRequest#reversed()}). The same compare-and-swap as a flip.
     */
    public FlipResult revert(UUID commandId, FlipRequest request) {
        return once(commandId, "RevertDns", request, () -> provider.flip(request), FlipResult.class);
    }

    /** {@code LowerDnsTtl}: before a cutover, so that clients pick up the flip quickly. */
    public TtlResult lowerTtl(UUID commandId, DnsRecordName record, Duration ttl) {
        return once(commandId, "LowerDnsTtl", new TtlCommand(record, ttl), () -> provider.setTtl(record, ttl),
                TtlResult.class);
    }

    /** {@code RestoreDnsTtl}: after a cutover, back to the TTL the name had (resolvers' load drops again). */
    public TtlResult restoreTtl(UUID commandId, DnsRecordName record, Duration ttl) {
        return once(commandId, "RestoreDnsTtl", new TtlCommand(record, ttl), () -> provider.setTtl(record, ttl),
                TtlResult.class);
    }

    private <R> R once(UUID commandId, String command, Object arguments, Supplier<R> action, Class<R> resultType) {
        Objects.requireNonNull(commandId, "commandId");
        Handled fresh = new Handled(command, arguments, new CompletableFuture<>());
        Handled earlier = handled.putIfAbsent(commandId, fresh);
        if (earlier != null) {
            if (!earlier.command().equals(command) || !earlier.arguments().equals(arguments)) {
                throw new IllegalArgumentException("command id " + commandId + " was already used for "
                        + earlier.command() + " " + earlier.arguments() + ", not " + command + " " + arguments);
            }
            // A duplicate delivered while the first is still running waits for the first's outcome.
            return resultType.cast(joinUnwrapped(earlier.result()));
        }
        try {
            R result = action.get();
            fresh.result().complete(result);
            return result;
        } catch (RuntimeException failure) {
            handled.remove(commandId, fresh);
            fresh.result().completeExceptionally(failure);
            throw failure;
        }
    }

    private static Object joinUnwrapped(CompletableFuture<Object> result) {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private record Handled(String command, Object arguments, CompletableFuture<Object> result) {
    }

    private record TtlCommand(DnsRecordName record, Duration ttl) {
    }
}
