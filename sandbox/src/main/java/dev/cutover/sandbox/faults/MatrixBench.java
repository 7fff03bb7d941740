package dev.cutover.sandbox.faults;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.ctl.Cutoverctl;
import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.sandbox.client.ClientRecord;
import dev.cutover.sandbox.client.ClientSettings;
import dev.cutover.sandbox.client.JvmDns;
import dev.cutover.sandbox.client.RehearsalClient;
import dev.cutover.sandbox.rehearsal.ClientDns;
import dev.cutover.sandbox.rehearsal.Rehearsal;
import dev.cutover.sandbox.rehearsal.RehearsalOptions;
import dev.cutover.sandbox.rehearsal.SeedData;
import dev.cutover.sandbox.rehearsal.Services;
import dev.cutover.sandbox.rehearsal.Services.Database;
import dev.cutover.stack.BindServer;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.UdpProxy;
import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.Report;

/**
 * One stack and one set of services, each its own process, shared by several cases: starting five JVMs costs more
 * than a case, so each case takes a database, an application role and a DNS name of its own on the same servers
 * ({@code fault_01} behind {@code fault-01.cutover.test.}), migrated and cut over while its client writes. After a
 * case every service runs again, one instance each, so that the next case starts from a whole deployment.
 */
final class MatrixBench implements AutoCloseable {

    /**
     * How long a case may wait for anything (the migration, the cutover's end, the client's writes): the longest fault
     * (the broker down for 65 s), then a restarted consumer's wait for the dead member's session (45 s), with room to
     * spare. A cutover that has not ended by then does not end on its own.
     */
    static final Duration BOUNDED_WAIT = Duration.ofMinutes(3);
    /**
     * How long a case waits for its cutover's end or for an event that names the operator's action
     * ({@link CaseEnding}): longer than the later of the two notices, the saga's for a tidy-up task nobody answers
     * (three sends 60 s apart: 180 s after {@code CutoverCompleted}) and lag-monitor's for a silent saga (120 s after
     * its last event).
     */
    static final Duration NOTICE_WAIT = Duration.ofMinutes(4);

    private final LocalStack stack;
    private final Services services;
    private final List<Seat> seats;
    /** Between dns-switcher and the DNS server, shared by the bench's DNS cases; {@code null} when none. */
    private final UdpProxy dnsProxy;
    private final ConsumerGroups groups;
    private final RehearsalOptions options;
    private final PrintStream out;

    /** A case with its own database, role and DNS name. */
    private record Seat(StrikingFault fault, String database, String name) {
    }

    private MatrixBench(LocalStack stack, Services services, List<Seat> seats, UdpProxy dnsProxy, RehearsalOptions options,
            PrintStream out) {
        this.stack = stack;
        this.dnsProxy = dnsProxy;
        this.services = services;
        this.seats = seats;
        this.groups = new ConsumerGroups(stack.kafkaBootstrapServers());
        this.options = options;
        this.out = out;
    }

    /** The stack, a database for each case with its data, and the services configured for all of them, started. */
    static MatrixBench start(List<FaultCase> cases, int first, RehearsalOptions options, PrintStream out) throws Exception {
        Instant begin = Instant.now();
        LocalStack stack = LocalStack.start(StackOptions.sandbox().withKafkaProcess(true));
        UdpProxy dnsProxy = null;
        try {
            List<Seat> seats = new ArrayList<>();
            List<Database> databases = new ArrayList<>();
            for (int index = 0; index < cases.size(); index++) {
                String number = String.format("%02d", first + index);
                String database = "fault_" + number;
                String name = "fault-" + number + "." + stack.dns().zone();
                SeedData.createRoleAndDatabase(stack.source(), stack.target(), database, database, database);
                SeedData.load(stack.source(), database, database, options.dataMegabytes());
                DnsRecords.add(stack.dns(), name, stack.source().host(), BindServer.TTL);
                seats.add(new Seat(new StrikingFault(cases.get(index), database), database, name));
                databases.add(new Database(database, stack.source(), stack.target(), database, null));
            }
            Services services = Services.processes(stack, Files.createTempDirectory("cutover-fault-matrix"),
                    options.dnsTtl(), databases);
            dnsProxy = cases.stream().anyMatch(c -> c.disruption() instanceof Disruption.DnsUnreachable)
                    ? StrikingFault.dnsProxy(stack, services) : null;
            for (Seat seat : seats) {
                services.configure(Services.Service.CUTOVER_SERVICE, "cutover.saga.dns." + seat.database() + ".record", seat.name());
                seat.fault().prepare(stack, services, dnsProxy);
            }
            services.startAll();
            if (options.clientDns() == ClientDns.TTL) {
                JvmDns.install(new InetSocketAddress(stack.dns().host(), stack.dns().port()), options.clientDnsCache());
            }
            out.printf("bench        %d databases of %d MB and every service started in %d s%n", cases.size(),
                    options.dataMegabytes(), Duration.between(begin, Instant.now()).toSeconds());
            return new MatrixBench(stack, services, seats, dnsProxy, options, out);
        } catch (Exception | Error e) {
            if (dnsProxy != null) {
                dnsProxy.close();
            }
            stack.close();
            throw e;
        }
    }

    /** Every case of the bench in turn. */
    List<CaseResult> runAll() throws InterruptedException {
        List<CaseResult> results = new ArrayList<>();
        for (Seat seat : seats) {
            results.add(run(seat));
        }
        return results;
    }

    private CaseResult run(Seat seat) throws InterruptedException {
        FaultCase faultCase = seat.fault().faultCase();
        out.printf("%n=== %s on %s (expected %s: %s) ===%n", faultCase.name(), seat.database(), faultCase.expected().json(),
                faultCase.why());
        long now = System.currentTimeMillis();
        String cutoverId = seat.database() + "-" + now;
        String migrationId = seat.database() + "-migration-" + now;
        CaseWatch watch = new CaseWatch(stack, services, migrationId, cutoverId, seat.fault());
        Report report = null;
        String notServing = null;
        String failure = null;
        CaseEnding ending = null;
        try {
            Cutover cutover = cutover(seat, migrationId, cutoverId, watch);
            report = cutover.report();
            notServing = cutover.notServing();
            ending = cutover.ending();
        } catch (Exception e) {
            failure = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
        } finally {
            seat.fault().releaseTheFence();
            watch.close();
            services.restoreAll();
        }
        ending = ending != null ? ending : watch.ending(seat.fault().injectedAt() != null);
        failure = failure != null ? failure : notServing != null ? notServing : watch.failure();
        Outcome actual = notServing != null ? Outcome.FAILED : ending.outcome(report != null);
        // A fault during the migration has converged once the migration is ready; the cutover after it is judged whole.
        Instant convergedAt = faultCase.moment().duringMigration() ? watch.readyAt()
                : ending.end() != null ? watch.endedAt() : ending.stopped() ? watch.noticeAt() : null;
        Long convergeMs = convergedAt != null && seat.fault().injectedAt() != null
                ? Math.max(0, Duration.between(seat.fault().injectedAt(), convergedAt).toMillis()) : null;
        CaseResult result = new CaseResult(faultCase.name(), faultCase.expected(), actual,
                report == null ? null : report.lostWrites(), report == null ? null : report.writesAfterFence(), convergeMs,
                watch.deadLetters(), failure);
        out.printf("=== %s: expected %s, actual %s, lost %s, after the fence %s, converged in %s ms, dead letters %d%s ===%n",
                result.name(), result.expected().json(), result.actual().json(), result.lostWrites(),
                result.writesAfterFence(), result.convergeMs(), result.deadLetters(),
                failure == null ? "" : " (" + failure + ")");
        return result;
    }

    /**
     * A case's cutover: the report, why the server that should serve at the end does not ({@code null} if it does),
     * and how the cutover stood when the case stopped waiting for it.
     */
    private record Cutover(Report report, String notServing, CaseEnding ending) {
    }

    /** The migration, the client, the cutover, the fault struck at its step in either, then the row-by-row report. */
    private Cutover cutover(Seat seat, String migrationId, String cutoverId, CaseWatch watch) throws Exception {
        String bootstrap = stack.kafkaBootstrapServers();
        awaitSettled();
        // Reading from before the migration, the case's reader has caught up with the bus long before the cutover: it
        // strikes within a poll of the triggering event, and the switch, all of it within a second, leaves no slack.
        watch.start();
        int migrated = Cutoverctl.run(out, out, "migrate", "start", "--bootstrap-servers", bootstrap, "--database",
                seat.database(), "--operator", Services.OPERATOR, "--reason", "fault matrix", "--migration-id",
                migrationId, "--watch", "--timeout", BOUNDED_WAIT.toSeconds() + "s");
        if (migrated != 0) {
            throw new IllegalStateException("the migration of " + seat.database() + " did not become ready (exit code "
                    + migrated + ")");
        }
        try (KafkaProbe bus = new KafkaProbe(bootstrap); RehearsalClient client = RehearsalClient.start(clientSettings(seat))) {
            await("the client's warm-up", () -> client.progress().acked() >= options.warmUpWrites());
            if (groups.noted()) {
                awaitSettled();
            } else {
                // The first case's migration has run through every service: their groups are as they should be, once
                // none is rebalancing after a fault struck during that migration.
                await("every consumer group stable after the first migration", groups::allStable);
                groups.noteAsSettled();
            }
            seat.fault().holdTheFence(stack.source());
            if (seat.fault().faultCase().moment() == Moment.START) {
                watch.strikeAtStart();
                await("the fault in place before the cutover starts", () -> seat.fault().injectedAt() != null);
            }
            int started = Cutoverctl.run(out, out, "start", "--bootstrap-servers", bootstrap, "--database", seat.database(),
                    "--operator", Services.OPERATOR, "--reason", "fault matrix", "--cutover-id", cutoverId);
            if (started != 0) {
                throw new IllegalStateException("cutoverctl start failed with exit code " + started);
            }
            Cutoverctl.run(out, out, "watch", "--bootstrap-servers", bootstrap, "--cutover", cutoverId, "--timeout",
                    BOUNDED_WAIT.toSeconds() + "s");
            // A completed cutover's tidy-up follows its CutoverCompleted, which ends cutoverctl's watch. A cutover that
            // cannot end on its own is waited for until an event names the operator's action.
            awaits(() -> watch.end() != null || watch.noticeAt() != null, NOTICE_WAIT);
            CaseEnding ending = watch.ending(seat.fault().injectedAt() != null);
            if (ending.end() != null) {
                bus.await(SpecificRecord.class, m -> cutoverId.equals(MessagePublisher.metadataOf(m).getCutoverId())
                        && (m instanceof CutoverCompleted || m instanceof CutoverRolledBack || m instanceof CutoverRejected),
                        BOUNDED_WAIT);
            }
            CutoverResult result = ending.result();
            watch.awaitHealed(BOUNDED_WAIT);
            String notServing = null;
            if (result == CutoverResult.COMPLETED) {
                long target = client.progress().ackedByTarget();
                if (!awaits(() -> client.progress().ackedByTarget() >= target + options.writesAfter(), BOUNDED_WAIT)) {
                    notServing = "the target did not take " + options.writesAfter() + " writes within " + BOUNDED_WAIT.toSeconds() + " s";
                }
            } else if (result == CutoverResult.ROLLED_BACK) {
                long source = client.progress().ackedBySource();
                if (!awaits(() -> client.progress().ackedBySource() >= source + options.writesAfter(), BOUNDED_WAIT)) {
                    notServing = "the source did not serve again: " + options.writesAfter() + " writes did not happen"
                            + " on it within " + BOUNDED_WAIT.toSeconds() + " s of the rollback";
                }
            }
            // The writes are checked row by row even when a server does not serve as it should.
            ClientRecord record = client.stop();
            try (Connection source = stack.source().connect(seat.database());
                    Connection target = stack.target().connect(seat.database())) {
                Report report = Report.create(Rehearsal.inputs(bus, cutoverId, record, result), source, target);
                report.print(out);
                return new Cutover(report, notServing, ending);
            }
        }
    }

    /** Waits until every service is back in its consumer groups as at first ({@link ConsumerGroups}). */
    private void awaitSettled() {
        if (!awaits(groups::settled, BOUNDED_WAIT)) {
            throw new IllegalStateException("the services' consumer groups did not settle within " + BOUNDED_WAIT.toSeconds()
                    + " s after the last case");
        }
    }

    private ClientSettings clientSettings(Seat seat) {
        InetSocketAddress dns = new InetSocketAddress(stack.dns().host(), stack.dns().port());
        ClientSettings settings = ClientSettings.defaults(seat.name().replaceAll("\\.$", ""), stack.source().port(),
                seat.database(), seat.database(), seat.database()).withRate(options.rate()).withWorkers(options.workers())
                .withAddresses(stack.source().host(), stack.target().host()).withDns(dns, options.clientDnsCache());
        return options.clientDns() == ClientDns.NONE ? settings.withoutPool() : settings;
    }

    private static void await(String what, BooleanSupplier condition) {
        if (!awaits(condition, BOUNDED_WAIT)) {
            throw new IllegalStateException(what + " did not happen within " + BOUNDED_WAIT.toSeconds() + " s");
        }
    }

    private static boolean awaits(BooleanSupplier condition, Duration bound) {
        Instant deadline = Instant.now().plus(bound);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return true;
    }

    @Override
    public void close() {
        try {
            groups.close();
            services.close();
        } finally {
            seats.forEach(seat -> seat.fault().close());
            if (dnsProxy != null) {
                dnsProxy.close();
            }
            stack.close();
        }
    }
}
