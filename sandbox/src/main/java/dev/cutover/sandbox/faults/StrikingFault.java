package dev.cutover.sandbox.faults;

import java.io.IOException;
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
 */
final class StrikingFault {

    private final FaultCase faultCase;
    private final String database;
    private TcpProxy postgresProxy;
    private UdpProxy dnsProxy;
    private long pausedPid;
    private volatile Instant injectedAt;

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

    /** Before the services start: what the fault needs in place, e.g. the services reaching a server through a proxy. */
    void prepare(LocalStack stack, Services services) {
        switch (faultCase.disruption()) {
            case CutOffPostgres cut -> {
                Postgres server = server(stack, cut.side());
                postgresProxy = TcpProxy.start(server.host(), server.host(), server.port());
                String prefix = "cutover.databases." + database + "." + cut.side().label() + ".";
                services.configure(prefix + "host", postgresProxy.host());
                services.configure(prefix + "port", String.valueOf(postgresProxy.port()));
            }
            case DnsUnreachable unreachable -> {
                dnsProxy = UdpProxy.start(stack.dns().host(), stack.dns().host(), stack.dns().port());
                services.configure(Service.DNS_SWITCHER, "dns.rfc2136.host", dnsProxy.host());
                services.configure(Service.DNS_SWITCHER, "dns.rfc2136.port", String.valueOf(dnsProxy.port()));
            }
            case KillProcess kill -> { }
            case StopBroker stop -> { }
            case RestartPostgres restart -> { }
            case PauseSaga pause -> { }
        }
    }

    void inject(LocalStack stack, Services services) throws IOException, InterruptedException {
        injectedAt = Instant.now();
        switch (faultCase.disruption()) {
            case KillProcess kill -> services.stop(kill.service());
            case StopBroker stop -> {
                stack.kafka().stop();
                holdFor(stop.down());
            }
            case RestartPostgres restart -> {
                server(stack, restart.side()).stop();
                holdFor(restart.down());
            }
            case CutOffPostgres cut -> {
                postgresProxy.blackHole();
                holdFor(cut.held());
            }
            case DnsUnreachable unreachable -> {
                dnsProxy.blackHole();
                holdFor(unreachable.held());
            }
            case PauseSaga pause -> {
                pausedPid = services.pid(Service.CUTOVER_SERVICE);
                signal("STOP", pausedPid);
                // The standby starts now, so the instance paused is the one that owned the saga.
                services.startAnother(Service.CUTOVER_SERVICE);
                holdFor(Duration.between(Instant.now(), injectedAt.plus(pause.paused())));
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

    /** When the fault struck; {@code null} if its step never came. */
    Instant injectedAt() {
        return injectedAt;
    }

    /** Closes its proxies, once the bench is done. */
    void close() {
        if (postgresProxy != null) {
            postgresProxy.close();
        }
        if (dnsProxy != null) {
            dnsProxy.close();
        }
    }

    private static Postgres server(LocalStack stack, Side side) {
        return side == Side.SOURCE ? stack.source() : stack.target();
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
