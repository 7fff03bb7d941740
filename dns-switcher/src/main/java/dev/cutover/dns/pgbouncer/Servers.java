package dev.cutover.dns.pgbouncer;

import java.util.Optional;

/**
 * Which address is the cutover's source and which its target. The commands name only addresses: {@code FlipDns} goes
 * from the source to the target and {@code RevertDns} back, except in a fallback, whose {@code FlipDns} goes from the
 * target to the source and whose {@code RevertDns} goes back to the target. A fallback is recognised as the flip that
 * reverses the servers this switch already knows for the same cutover; after a restart it does not know them and takes
 * the commands at their word.
 */
record Servers(Optional<String> cutoverId, ServerAddress source, ServerAddress target) {

    /** The servers of a {@code FlipDns} from {@code expected} to {@code next}. */
    static Servers ofFlip(Optional<Servers> known, Optional<String> cutoverId, ServerAddress expected, ServerAddress next) {
        return known.filter(servers -> servers.pair(cutoverId, expected, next))
                .orElseGet(() -> new Servers(cutoverId, expected, next));
    }

    /** The servers of a {@code RevertDns} from {@code expected} back to {@code next}. */
    static Servers ofRevert(Optional<Servers> known, Optional<String> cutoverId, ServerAddress expected, ServerAddress next) {
        return known.filter(servers -> servers.pair(cutoverId, expected, next))
                .orElseGet(() -> new Servers(cutoverId, next, expected));
    }

    Side sideOf(ServerAddress server) {
        return server.equals(source) ? Side.SOURCE : Side.TARGET;
    }

    private boolean pair(Optional<String> cutover, ServerAddress one, ServerAddress other) {
        return cutoverId.equals(cutover)
                && (source.equals(one) && target.equals(other) || source.equals(other) && target.equals(one));
    }
}
