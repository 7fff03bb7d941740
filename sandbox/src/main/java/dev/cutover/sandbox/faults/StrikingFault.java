package dev.cutover.sandbox.faults;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.sandbox.faults.Disruption.CutOffPostgres;
import dev.cutover.sandbox.faults.Disruption.DnsUnreachable;
import dev.cutover.sandbox.faults.Disruption.KillProcess;
import dev.cutover.sandbox.faults.Disruption.PauseSaga;
import dev.cutover.sandbox.faults.Disruption.RestartPostgres;
import dev.cutover.sandbox.faults.Disruption.Side;
import dev.cutover.sandbox.faults.Disruption.StopBroker;
import dev.cutover.sandbox.rehearsal.Services;
import dev.cutover.sandbox.rehearsal.Services.Service;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.TcpProxy;
import dev.cutover.stack.UdpProxy;

/**
 * One case's disruption: set up before the services start (a proxy between them and a server), injected from the
 * case's watcher at the case's step, held there for its duration, and healed right after. It acts on the bench's
 * stack and services.
 *
 * <p>A fault of the servers, the broker or the saga struck as the fence begins would race it: the fence, the canary and
 * its sighting were all answered within 50 to 90 ms of {@code StepStarted STOP_TRAFFIC}, before a reader of the bus
 * could strike, and the cutover then rightly completed. For those cases the harness holds the fence itself
 * ({@link #holdTheFence}): a row lock on the application's role in the source's {@code pg_authid}, taken before the
 * cutover starts, keeps the fence's {@code ALTER ROLE ... NOLOGIN} waiting, while the application writes on as before,
 * until the fault is in place; then the lock is let go (or the restarted source has ended it) and the fence goes on
 * into the fault. A kill needs no hold: it lands within milliseconds, and either way the step times out.
 */
final class StrikingFault {

    private final FaultCase faultCase;
    private final String database;
    private TcpProxy postgresProxy;
    private UdpProxy dnsProxy;
    private long pausedPid;
    private volatile Instant injectedAt;
    /** The source session whose row lock holds the fence ({@link #holdTheFence}); {@code null} when none does. */
    private Connection fenceHold;

    StrikingFault(FaultCase faultCase, String database) {
        this.faultCase = faultCase;
        this.database = database;
    }

    FaultCase faultCase() {
        return faultCase;
    }

    boolean triggeredBy(SpecificRecord message) {
        return faultCase.moment().triggeredBy(message);
    }

    /**
     * Before the services start: what the fault needs in place, e.g. the services reaching a server through a proxy.
     *
     * @param benchDnsProxy the proxy between dns-switcher and the DNS server ({@link #dnsProxy(LocalStack, Services)}),
     *                      which the bench closes; {@code null} when no case of the bench needs it
     */
    void prepare(LocalStack stack, Services services, UdpProxy benchDnsProxy) {
        switch (faultCase.disruption()) {
            case CutOffPostgres cut -> {
                Postgres server = server(stack, cut.side());
                postgresProxy = TcpProxy.start(server.host(), server.host(), server.port());
                String prefix = "cutover.databases." + database + "." + cut.side().label() + ".";
                services.configure(prefix + "host", postgresProxy.host());
                services.configure(prefix + "port", String.valueOf(postgresProxy.port()));
            }
            // dns-switcher has one DNS server: every DNS case of the bench cuts off the same proxy, the bench's. A proxy
            // of each case's own had dns-switcher reach the DNS server through the last one configured only.
            case DnsUnreachable unreachable -> dnsProxy = benchDnsProxy;
            case KillProcess kill -> { }
            case StopBroker stop -> { }
            case RestartPostgres restart -> { }
            case PauseSaga pause -> { }
        }
    }

    void inject(LocalStack stack, Services services) throws IOException, InterruptedException {
        injectedAt = Instant.now();
        switch (faultCase.disruption()) {
            case KillProcess kill -> {
                services.stop(kill.service());
                releaseTheFence();
            }
            case StopBroker stop -> {
                stack.kafka().stop();
                inPlaceFor(stop.down());
            }
            case RestartPostgres restart -> {
                server(stack, restart.side()).stop();
                inPlaceFor(restart.down());
            }
            case CutOffPostgres cut -> {
                postgresProxy.blackHole();
                inPlaceFor(cut.held());
            }
            case DnsUnreachable unreachable -> {
                dnsProxy.blackHole();
                inPlaceFor(unreachable.held());
            }
            case PauseSaga pause -> {
                pausedPid = services.pid(Service.CUTOVER_SERVICE);
                signal("STOP", pausedPid);
                // The standby starts now, so the instance paused is the one that owned the saga.
                services.startAnother(Service.CUTOVER_SERVICE);
                inPlaceFor(Duration.between(Instant.now(), injectedAt.plus(pause.paused())));
            }
        }
    }

    void heal(LocalStack stack, Services services) throws IOException, InterruptedException {
        switch (faultCase.disruption()) {
            case KillProcess kill -> {
                if (kill.restarted()) {
                    services.start(kill.service());
                }
            }
            case StopBroker stop -> stack.kafka().restart();
            case RestartPostgres restart -> server(stack, restart.side()).start();
            case CutOffPostgres cut -> postgresProxy.restore();
            case DnsUnreachable unreachable -> dnsProxy.restore();
            case PauseSaga pause -> signal("CONT", pausedPid);
        }
    }

    /** Whether the harness holds the fence until the fault is in place: see the class's comment. */
    private boolean holdsTheFence() {
        return faultCase.moment() == Moment.STOP_TRAFFIC && !(faultCase.disruption() instanceof KillProcess);
    }

    /**
     * Before the cutover starts, for a case that {@link #holdsTheFence}: locks the application role's row in the
     * source's {@code pg_authid} (the role is the case's database's), so that the fence's {@code ALTER ROLE} waits.
     * Logins read the row without locking it: the application goes on as before.
     */
    synchronized void holdTheFence(Postgres source) throws SQLException {
        if (!holdsTheFence() || fenceHold != null) {
            return;
        }
        Connection connection = source.connect(database);
        try (PreparedStatement lock = connection.prepareStatement(
                "select 1 from pg_authid where rolname = ? for update")) {
            connection.setAutoCommit(false);
            lock.setString(1, database);
            lock.executeQuery().close();
            fenceHold = connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Lets the fence go on: once the fault is in place, and at the latest when the case ends. A restarted source has
     * already ended the session, which then has nothing to let go.
     */
    synchronized void releaseTheFence() {
        if (fenceHold == null) {
            return;
        }
        try (Connection held = fenceHold) {
            held.rollback();
        } catch (SQLException endedWithTheServer) {
            // Its transaction ended with its session: the lock is gone either way.
        } finally {
            fenceHold = null;
        }
    }

    /** When the fault struck; {@code null} if its step never came. */
    Instant injectedAt() {
        return injectedAt;
    }

    /** Closes its own proxy, once the bench is done; the DNS proxy is the bench's. */
    void close() {
        if (postgresProxy != null) {
            postgresProxy.close();
        }
    }

    /** dns-switcher reaching the DNS server through a proxy that a case can black-hole; before the services start. */
    static UdpProxy dnsProxy(LocalStack stack, Services services) {
        UdpProxy proxy = UdpProxy.start(stack.dns().host(), stack.dns().host(), stack.dns().port());
        services.configure(Service.DNS_SWITCHER, "dns.rfc2136.host", proxy.host());
        services.configure(Service.DNS_SWITCHER, "dns.rfc2136.port", String.valueOf(proxy.port()));
        return proxy;
    }

    private static Postgres server(LocalStack stack, Side side) {
        return side == Side.SOURCE ? stack.source() : stack.target();
    }

    /** The fault is in place: the fence may go on into it, and the fault lasts {@code duration}. */
    private void inPlaceFor(Duration duration) {
        releaseTheFence();
        holdFor(duration);
    }

    /** The fault's own duration (how long the broker stays down, the network cut): a part of the fault, not a wait for it. */
    private static void holdFor(Duration duration) {
        Instant until = Instant.now().plus(duration);
        while (Instant.now().isBefore(until)) {
            LockSupport.parkNanos(Duration.between(Instant.now(), until).toNanos());
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes());
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed: " + output);
        }
    }
}
