package dev.cutover.dns.pgbouncer;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * When held clients may go on: once the side the entry's file points at has opened. A resume before that makes
 * PgBouncer log in to a server whose roles are still NOLOGIN, and after one failed login it refuses statements for
 * {@code server_login_retry}. Commands and events come on separate topics, so a side may open before the command that
 * points the file at it: the opening is remembered. A hold whose file side is unknown (found paused at start-up) opens
 * on any opening, as nothing better is known.
 */
record ResumeGate(Optional<Side> pointsAt, Set<Side> opened) {

    ResumeGate {
        opened = opened.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(opened));
    }

    static ResumeGate closed() {
        return new ResumeGate(Optional.empty(), Set.of());
    }

    ResumeGate pointedAt(Side side) {
        return new ResumeGate(Optional.of(side), opened);
    }

    ResumeGate opened(Side side) {
        EnumSet<Side> more = EnumSet.of(side);
        more.addAll(opened);
        return new ResumeGate(pointsAt, more);
    }

    boolean open() {
        return pointsAt.map(opened::contains).orElse(!opened.isEmpty());
    }
}
