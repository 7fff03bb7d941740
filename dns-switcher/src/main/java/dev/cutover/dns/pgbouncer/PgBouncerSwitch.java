package dev.cutover.dns.pgbouncer;

import dev.cutover.dns.DnsFailure;
import dev.cutover.dns.DnsFailureException;
import dev.cutover.dns.pgbouncer.AdminConsole.Entry;
import dev.cutover.dns.pgbouncer.PoolResumed.Cause;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves clients between servers through PgBouncer instead of DNS. A flip holds the clients: on every PgBouncer of the
 * database, {@code PAUSE} (in-flight transactions finish, new ones queue) and the entry's file rewritten to the target;
 * and it leaves them paused, because the target is still locked. {@link #opened} then sends {@code RELOAD} and
 * {@code RESUME} together, so the held clients go on to the target. The {@code RELOAD} waits for the target to open
 * because PgBouncer 1.18 forgets the pool's server parameters when the entry moves: a client that logged in while the
 * entry pointed at the still locked target would make PgBouncer try a login that fails (or that the pause closes), and
 * PgBouncer then waits {@code server_login_retry} (15 s by default) before the next, with every held client behind it.
 * {@link #revert} points the file back at the source and resumes once the source has opened again: on a rollback after
 * the fence its roles are NOLOGIN until {@code SourceRestored}. A fallback's flip, to the source, resumes on
 * {@code SourceRestored} likewise. A flip is all or nothing: every PgBouncer is reached
 * and checked before any is paused, and a PAUSE or rewrite that fails resumes the others where they pointed.
 *
 * <p>The admin connections of a flip stay open until the clients are resumed, so the resume, on which every held
 * client waits, does not log in again (a SCRAM login costs tens of milliseconds on a busy host).
 *
 * <p>Clients are never held longer than {@code max-pause}: if nothing resumed them by then (the saga crashed, the
 * target never opened), the switch resumes them itself, wherever the entry points, and says so through
 * {@code onMaxPause}. A database found paused when the switch starts ({@link #adoptPaused}) gets the same bound.
 */
public final class PgBouncerSwitch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgBouncerSwitch.class);

    private final PgBouncerSettings settings;
    private final Consumer<PoolResumed> onMaxPause;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("pgbouncer-max-pause").daemon().factory());
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Servers> servers = new ConcurrentHashMap<>();

    /**
     * A pool this process paused, or found paused, when it must be resumed at the latest, and the admin connections
     * the flip opened (none for a pool found paused), kept for the resume.
     */
    private record Held(Optional<String> cutoverId, Optional<Long> pausedAtNanos, Map<PgBouncerInstance, AdminConsole> consoles,
            ResumeGate gate, ScheduledFuture<?> expiry) {

        Held with(ResumeGate changed) {
            return new Held(cutoverId, pausedAtNanos, consoles, changed, expiry);
        }
    }

    /** Where one PgBouncer's running entry points, whether it is paused, and where its file points. */
    private record Placement(ServerAddress running, boolean paused, ServerAddress written) {
    }

    /** Work on one admin console. */
    private interface ConsoleWork<T> {
        T on(AdminConsole console) throws SQLException, IOException;
    }

    public PgBouncerSwitch(PgBouncerSettings settings, Consumer<PoolResumed> onMaxPause) {
        this.settings = settings;
        this.onMaxPause = onMaxPause;
    }

    /** Whether this switch knows the cutover database (else its commands are a configuration mistake). */
    public boolean serves(String cutoverDatabase) {
        return settings.pools().containsKey(cutoverDatabase);
    }

    /**
     * {@code FlipDns}: pauses the entry on every PgBouncer and writes {@code next} in its file if it points at
     * {@code expected} (compare-and-swap), leaving the clients held until the side {@code next} is on opens
     * ({@link #opened}) or {@link #revert}. A PgBouncer already paused with {@code next} written is a flip carried out
     * before, so a redelivered command holds nobody twice.
     */
    public PoolFlip flip(String cutoverDatabase, Optional<String> cutoverId, String entry, ServerAddress expected,
            ServerAddress next) {
        PgBouncerPool pool = pool(cutoverDatabase, entry);
        synchronized (lock(cutoverDatabase)) {
            Servers sides = Servers.ofFlip(Optional.ofNullable(servers.get(cutoverDatabase)), cutoverId, expected, next);
            List<AdminConsole> consoles = openAll(pool, "nothing was paused");
            boolean kept = false;
            try {
                List<AdminConsole> toMove = new ArrayList<>();
                List<AdminConsole> toPause = new ArrayList<>();
                for (AdminConsole console : consoles) {
                    Placement at = placement(console, pool.database());
                    if (at.running().equals(expected) && (at.written().equals(expected) || at.written().equals(next))) {
                        toMove.add(console);
                        if (!at.paused()) {
                            toPause.add(console);
                        }
                    } else if (!at.running().equals(next) || !at.written().equals(next)) {
                        throw new DnsFailureException(new DnsFailure.Rejected(console.instance().toString(),
                                rejection(at, pool.database(), expected), "someone changed the entry outside this cutover,"
                                        + " or the command is stale; check " + console.instance().databasesFile()
                                        + " and SHOW DATABASES on its admin console. Nothing was paused"));
                    }
                }
                if (toMove.isEmpty()) {
                    return new PoolFlip(pool.database(), next, next, List.of(), Duration.ZERO);
                }
                long started = System.nanoTime();
                pauseAll(pool, toPause);
                writeAll(pool, toMove, expected, next);
                Optional<Held> before = Optional.ofNullable(held.get(cutoverDatabase));
                Optional<Long> pausedAt = before.flatMap(Held::pausedAtNanos).or(() -> Optional.of(started));
                ResumeGate gate = before.map(Held::gate).orElseGet(ResumeGate::closed).pointedAt(sides.sideOf(next));
                servers.put(cutoverDatabase, sides);
                hold(cutoverDatabase, cutoverId, pausedAt, byInstance(consoles), gate);
                kept = true;
                return new PoolFlip(pool.database(), expected, next, names(toMove), Duration.ofNanos(System.nanoTime() - started));
            } finally {
                if (!kept) {
                    consoles.forEach(AdminConsole::close);
                }
            }
        }
    }

    /**
     * {@code RevertDns}: points the entry's file back at {@code next} on every PgBouncer, and resumes it once that side
     * has opened: at once when it opened already (or nothing is held), else on its opening ({@link #opened}). Not all or
     * nothing: a PgBouncer that cannot be reached is named in the failure, with what to check on it, and the others are
     * moved back.
     */
    public PoolReverted revert(String cutoverDatabase, Optional<String> cutoverId, String entry, ServerAddress expected,
            ServerAddress next) {
        PgBouncerPool pool = pool(cutoverDatabase, entry);
        synchronized (lock(cutoverDatabase)) {
            Servers sides = Servers.ofRevert(Optional.ofNullable(servers.get(cutoverDatabase)), cutoverId, expected, next);
            servers.put(cutoverDatabase, sides);
            Optional<Held> holding = Optional.ofNullable(held.get(cutoverDatabase));
            ResumeGate gate = holding.map(Held::gate).orElseGet(ResumeGate::closed).pointedAt(sides.sideOf(next));
            boolean resumeNow = holding.isEmpty() || gate.open();
            List<String> failures = new ArrayList<>();
            List<String> resumed = new ArrayList<>();
            List<ServerAddress> either = List.of(expected, next);
            for (PgBouncerInstance instance : pool.instances()) {
                try {
                    onConsole(cutoverDatabase, instance, "the others were moved back", console -> {
                        Placement at = placement(console, pool.database());
                        if (!either.contains(at.running()) || !either.contains(at.written())) {
                            throw new DnsFailureException(new DnsFailure.Rejected(instance.toString(), pool.database()
                                    + " runs on " + at.running() + " and its file says " + at.written() + ", neither "
                                    + expected + " nor " + next, "check " + instance.databasesFile()));
                        }
                        if (!at.written().equals(next)) {
                            DatabasesFile.repoint(instance.databasesFile(), pool.database(), next);
                        }
                        if (!resumeNow) {
                            return null;
                        }
                        // After a flip the running entry is still on the source: leaving it unreloaded keeps the pool's
                        // server parameters, so clients that log in meanwhile need no server connection.
                        if (!at.running().equals(next)) {
                            console.reload();
                            checkServes(console, pool.database(), next);
                        }
                        if (console.resume(pool.database())) {
                            resumed.add(instance.admin().toString());
                        }
                        return null;
                    });
                } catch (DnsFailureException e) {
                    failures.add(e.getMessage());
                } catch (SQLException | IOException e) {
                    failures.add(instance + ": " + e.getMessage());
                }
            }
            if (!failures.isEmpty()) {
                throw new DnsFailureException(new DnsFailure.Unreachable("PgBouncer", String.join("; ", failures),
                        "the other PgBouncers were moved back to " + next + (resumeNow ? " and resumed" : "") + ". Check"
                                + " each one named: its entry " + pool.database() + " must point at " + next + " and must"
                                + " not be paused (RESUME " + pool.database() + " on its admin console once " + next
                                + " lets the application log in); a flip that could not reach it changed nothing"));
            }
            if (!resumeNow) {
                held.put(cutoverDatabase, holding.get().with(gate));
                log.info("{} points back at {} on every PgBouncer; its clients stay held until the {} opens",
                        pool.database(), next, name(sides.sideOf(next)));
                return new PoolReverted(pool.database(), next, Optional.empty());
            }
            return new PoolReverted(pool.database(), next, Optional.of(new PoolResumed(cutoverDatabase, cutoverId,
                    pool.database(), next, resumed, release(cutoverDatabase), Cause.REVERTED)));
        }
    }

    /**
     * {@code TargetOpened} or {@code SourceRestored}: {@code side} accepts the application again. A held database whose
     * file points at that side is reloaded and resumed on every PgBouncer, so the held statements run there; one whose
     * file points at the other side stays held and the opening is remembered for the {@code RevertDns} or
     * {@code FlipDns} that points it here. Empty when nothing was resumed. A database this process does not hold is
     * resumed wherever it points, which is a no-op where it is not paused, so a redelivered event is harmless: its answer
     * names no instance.
     */
    public Optional<PoolResumed> opened(String cutoverDatabase, Optional<String> cutoverId, Side side) {
        PgBouncerPool pool = settings.pools().get(cutoverDatabase);
        if (pool == null) {
            return Optional.empty();
        }
        synchronized (lock(cutoverDatabase)) {
            Optional<Held> holding = Optional.ofNullable(held.get(cutoverDatabase));
            boolean otherCutover = holding.flatMap(Held::cutoverId).isPresent() && cutoverId.isPresent()
                    && !holding.flatMap(Held::cutoverId).equals(cutoverId);
            if (otherCutover) {
                return Optional.empty();
            }
            ResumeGate gate = holding.map(Held::gate).orElseGet(ResumeGate::closed).opened(side);
            if (!gate.open()) {
                held.put(cutoverDatabase, holding.get().with(gate));
                log.info("the {} opened while {} points at the other side: its clients stay held until that opens or"
                        + " the entry is reverted", name(side), pool.database());
                return Optional.empty();
            }
            return Optional.of(resumeEverywhere(cutoverDatabase, cutoverId, pool,
                    side == Side.TARGET ? Cause.TARGET_OPENED : Cause.SOURCE_RESTORED));
        }
    }

    /**
     * Bounds the pause of every database found paused now, which a switch that stopped while holding clients left
     * behind: they are resumed within {@code max-pause} unless the side their file points at opens first.
     * A PgBouncer that cannot be reached is only logged; the commands reach it later or fail loudly.
     */
    public void adoptPaused() {
        settings.pools().forEach((cutoverDatabase, pool) -> {
            for (PgBouncerInstance instance : pool.instances()) {
                try (AdminConsole console = open(instance, "")) {
                    if (console.entry(pool.database()).map(Entry::paused).orElse(false)) {
                        log.warn("{} holds {} paused, left so by an earlier run: resuming it within {} unless the"
                                + " cutover resumes it first", instance, pool.database(), settings.maxPause());
                        synchronized (lock(cutoverDatabase)) {
                            if (!held.containsKey(cutoverDatabase)) {
                                hold(cutoverDatabase, Optional.empty(), Optional.empty(), Map.of(), ResumeGate.closed());
                            }
                        }
                    }
                } catch (DnsFailureException | SQLException e) {
                    log.warn("could not check whether {} holds {} paused: {}", instance, pool.database(), e.getMessage());
                }
            }
        });
    }

    private PoolResumed resumeEverywhere(String cutoverDatabase, Optional<String> cutoverId, PgBouncerPool pool, Cause cause) {
        List<String> failures = new ArrayList<>();
        List<String> resumed = new ArrayList<>();
        ServerAddress server = null;
        for (PgBouncerInstance instance : pool.instances()) {
            try {
                Optional<ServerAddress> now = onConsole(cutoverDatabase, instance, "the others were resumed", console -> {
                    if (console.reloadAndResume(pool.database())) {
                        resumed.add(instance.admin().toString());
                    }
                    return console.entry(pool.database()).map(Entry::server);
                });
                server = now.orElse(server);
            } catch (DnsFailureException e) {
                failures.add(e.getMessage());
            } catch (SQLException | IOException e) {
                failures.add(instance + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty() || server == null) {
            throw new DnsFailureException(new DnsFailure.Unreachable("PgBouncer", String.join("; ", failures),
                    "its clients stay paused until it is resumed: run RESUME " + pool.database() + " on its admin console"));
        }
        return new PoolResumed(cutoverDatabase, cutoverId, pool.database(), server, resumed, release(cutoverDatabase), cause);
    }

    private void hold(String cutoverDatabase, Optional<String> cutoverId, Optional<Long> pausedAt,
            Map<PgBouncerInstance, AdminConsole> consoles, ResumeGate gate) {
        ScheduledFuture<?> expiry = timer.schedule(() -> maxPauseExceeded(cutoverDatabase),
                settings.maxPause().toMillis(), TimeUnit.MILLISECONDS);
        Held previous = held.put(cutoverDatabase, new Held(cutoverId, pausedAt, consoles, gate, expiry));
        if (previous != null) {
            previous.expiry().cancel(false);
            previous.consoles().values().stream().filter(console -> !consoles.containsValue(console))
                    .forEach(AdminConsole::close);
        }
    }

    /** Forgets the hold, closing its admin connections, and says how long it lasted, if this process saw it begin. */
    private Optional<Duration> release(String cutoverDatabase) {
        Held released = held.remove(cutoverDatabase);
        if (released == null) {
            return Optional.empty();
        }
        released.expiry().cancel(false);
        released.consoles().values().forEach(AdminConsole::close);
        return released.pausedAtNanos().map(started -> Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Runs {@code work} on the admin connection kept since the flip, or, when there is none or it broke (PgBouncer
     * restarted, or closed it as idle), on a new one.
     */
    private <T> T onConsole(String cutoverDatabase, PgBouncerInstance instance, String consequence, ConsoleWork<T> work)
            throws SQLException, IOException {
        AdminConsole kept = Optional.ofNullable(held.get(cutoverDatabase)).map(Held::consoles).map(consoles -> consoles.get(instance))
                .orElse(null);
        if (kept != null) {
            try {
                return work.on(kept);
            } catch (SQLException e) {
                if (!(e.getCause() instanceof IOException)) {
                    throw e;
                }
                log.warn("the admin connection to {} kept since the flip broke ({}); opening another", instance, e.getMessage());
            }
        }
        try (AdminConsole console = open(instance, consequence)) {
            return work.on(console);
        }
    }

    private void maxPauseExceeded(String cutoverDatabase) {
        PgBouncerPool pool = settings.pools().get(cutoverDatabase);
        synchronized (lock(cutoverDatabase)) {
            Held expired = held.get(cutoverDatabase);
            if (expired == null) {
                return;
            }
            log.error("{} has been held paused for dns.pgbouncer.max-pause ({}) before the side its file points at opened:"
                    + " resuming it wherever its entry points", pool.database(), settings.maxPause());
            try {
                onMaxPause.accept(resumeEverywhere(cutoverDatabase, expired.cutoverId(), pool, Cause.MAX_PAUSE_EXCEEDED));
            } catch (RuntimeException e) {
                log.error("could not resume {} after the max pause: {}; trying again in {}", pool.database(),
                        e.getMessage(), settings.maxPause(), e);
                hold(cutoverDatabase, expired.cutoverId(), expired.pausedAtNanos(), expired.consoles(), expired.gate());
            }
        }
    }

    private void pauseAll(PgBouncerPool pool, List<AdminConsole> consoles) {
        List<String> failures = new ArrayList<>();
        DnsFailure first = null;
        try (ExecutorService pausing = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> pauses = consoles.stream().<Future<?>>map(console -> pausing.submit(() -> {
                console.pause(pool.database(), settings.pauseTimeout());
                return null;
            })).toList();
            for (int i = 0; i < consoles.size(); i++) {
                try {
                    pauses.get(i).get();
                } catch (ExecutionException e) {
                    PgBouncerInstance instance = consoles.get(i).instance();
                    failures.add(instance + ": " + e.getCause().getMessage());
                    if (first == null) {
                        first = timedOut(e.getCause())
                                ? new DnsFailure.PauseTimedOut(instance.toString(), pool.database(), settings.pauseTimeout())
                                : new DnsFailure.Rejected(instance.toString(), "PAUSE " + pool.database() + " failed: "
                                        + e.getCause().getMessage(), "check its log; every PgBouncer was resumed where it"
                                        + " pointed and nothing was moved");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add("interrupted");
                }
            }
        }
        if (!failures.isEmpty()) {
            resumeAfterFailure(pool, String.join("; ", failures));
            throw new DnsFailureException(first != null ? first
                    : new DnsFailure.Rejected("PgBouncer", String.join("; ", failures), "nothing was moved"));
        }
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes {@code next} in every PgBouncer's file, without RELOAD: the running entry stays where it was, paused, until
     * the resume. A file that cannot be written puts the others back at {@code expected} and resumes every PgBouncer.
     */
    private void writeAll(PgBouncerPool pool, List<AdminConsole> consoles, ServerAddress expected, ServerAddress next) {
        List<PgBouncerInstance> written = new ArrayList<>();
        try {
            for (AdminConsole console : consoles) {
                written.add(console.instance());
                DatabasesFile.repoint(console.instance().databasesFile(), pool.database(), next);
            }
        } catch (IOException e) {
            PgBouncerInstance failed = written.getLast();
            for (PgBouncerInstance instance : written) {
                try {
                    DatabasesFile.repoint(instance.databasesFile(), pool.database(), expected);
                } catch (IOException undo) {
                    log.error("could not point {} in {} back at {}: {}", pool.database(), instance.databasesFile(), expected,
                            undo.getMessage());
                }
            }
            resumeAfterFailure(pool, failed + ": " + e.getMessage());
            throw new DnsFailureException(new DnsFailure.Rejected(failed.toString(), "repointing " + pool.database() + " at "
                    + next + " failed: " + e.getMessage(), "check that dns-switcher may write " + failed.databasesFile()
                    + "; every PgBouncer was resumed on " + expected + " and nothing was moved"), e);
        }
    }

    /** After a failed flip: resume every instance where it points, so that the failure holds nobody. */
    private void resumeAfterFailure(PgBouncerPool pool, String failure) {
        log.warn("flip of {} failed ({}); resuming every PgBouncer", pool.database(), failure);
        for (PgBouncerInstance instance : pool.instances()) {
            try (AdminConsole console = open(instance, "")) {
                console.resume(pool.database());
            } catch (DnsFailureException | SQLException e) {
                log.error("{} could not be resumed after the failed flip: {}. Its clients stay paused until someone runs"
                        + " RESUME {} on its admin console", instance, e.getMessage(), pool.database());
            }
        }
    }

    /** Where the entry runs and where its file points; a PgBouncer without the entry in either is refused. */
    private static Placement placement(AdminConsole console, String database) {
        PgBouncerInstance instance = console.instance();
        try {
            Optional<Entry> running = console.entry(database).filter(entry -> entry.server() != null);
            Optional<ServerAddress> written = DatabasesFile.server(instance.databasesFile(), database);
            if (running.isEmpty() || written.isEmpty()) {
                throw new DnsFailureException(new DnsFailure.Rejected(instance.toString(), "it has no [databases] entry "
                        + database + (written.isEmpty() ? " in " + instance.databasesFile() : " running"),
                        "add the entry, or fix dns.pgbouncer.databases.*.database / databases-file"));
            }
            return new Placement(running.get().server(), running.get().paused(), written.get());
        } catch (SQLException | IOException e) {
            throw new DnsFailureException(new DnsFailure.Unreachable(instance.toString(), e.getMessage(),
                    "check that it runs and that dns-switcher may read " + instance.databasesFile()), e);
        }
    }

    private static String rejection(Placement at, String database, ServerAddress expected) {
        if (!at.running().equals(at.written())) {
            return "it serves " + database + " from " + at.running() + " but its file says " + at.written()
                    + ": the file is not the one this PgBouncer reads (check its %include and databases-file), or it was"
                    + " edited without RELOAD";
        }
        return database + " points at " + at.running() + ", not at the expected " + expected;
    }

    private static void checkServes(AdminConsole console, String database, ServerAddress next) throws SQLException {
        Optional<ServerAddress> now = console.entry(database).map(Entry::server);
        if (!now.equals(Optional.of(next))) {
            throw new DnsFailureException(new DnsFailure.Rejected(console.instance().toString(), "after RELOAD it serves "
                    + database + " from " + now.map(ServerAddress::toString).orElse("nowhere") + ", not " + next,
                    "its log says why it did not take " + console.instance().databasesFile()));
        }
    }

    private List<AdminConsole> openAll(PgBouncerPool pool, String consequence) {
        List<AdminConsole> consoles = new ArrayList<>();
        try {
            for (PgBouncerInstance instance : pool.instances()) {
                consoles.add(open(instance, consequence));
            }
            return consoles;
        } catch (RuntimeException e) {
            consoles.forEach(AdminConsole::close);
            throw e;
        }
    }

    private AdminConsole open(PgBouncerInstance instance, String consequence) {
        try {
            return AdminConsole.open(instance, settings.adminUser(), settings.adminPassword(), settings.connectTimeout());
        } catch (SQLException e) {
            String suffix = consequence.isEmpty() ? "" : "; " + consequence;
            if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
                throw new DnsFailureException(new DnsFailure.NotAuthorized(instance.toString(), e.getMessage(),
                        "check that dns.pgbouncer.admin-user is in its admin_users and its auth_file has that password"
                                + suffix), e);
            }
            throw new DnsFailureException(new DnsFailure.Unreachable(instance.toString(), e.getMessage(),
                    "check that it runs and listens on " + instance.admin() + " and that nothing blocks the port" + suffix), e);
        }
    }

    private PgBouncerPool pool(String cutoverDatabase, String entry) {
        PgBouncerPool pool = settings.pools().get(cutoverDatabase);
        if (pool == null) {
            throw new IllegalArgumentException("database " + cutoverDatabase + " has no dns.pgbouncer.databases."
                    + cutoverDatabase + ".* settings: name its PgBouncers there, or use another dns.provider for it");
        }
        if (!pool.database().equals(entry)) {
            throw new IllegalArgumentException("the command moves PgBouncer entry " + entry + " but dns.pgbouncer.databases."
                    + cutoverDatabase + ".database is " + pool.database() + ": make cutover.saga.dns." + cutoverDatabase
                    + ".record and it the same");
        }
        return pool;
    }

    private static String name(Side side) {
        return side.name().toLowerCase(Locale.ROOT);
    }

    private Object lock(String cutoverDatabase) {
        return locks.computeIfAbsent(cutoverDatabase, database -> new Object());
    }

    private static Map<PgBouncerInstance, AdminConsole> byInstance(List<AdminConsole> consoles) {
        return consoles.stream().collect(Collectors.toUnmodifiableMap(AdminConsole::instance, console -> console));
    }

    private static List<String> names(List<AdminConsole> consoles) {
        return consoles.stream().map(console -> console.instance().admin().toString()).toList();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        held.values().forEach(hold -> hold.consoles().values().forEach(AdminConsole::close));
    }
}
