package dev.cutover.sandbox.faults;

import java.time.Duration;
import java.util.Locale;

import dev.cutover.sandbox.rehearsal.Services.Service;

/** What a case breaks, as it happens in production; {@link StrikingFault} carries it out. */
public sealed interface Disruption {

    /** The case's name without its step, e.g. {@code kill-lag-monitor-restarted}. */
    String label();

    /** The kind of fault, of which the CI subset takes one case each. */
    String kind();

    /** Which server of the pair. */
    enum Side {
        SOURCE, TARGET;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The service's process killed with SIGKILL, as a crash or the kernel's OOM killer ends it, then started again at
     * once ({@code restarted}) or left dead.
     */
    record KillProcess(Service service, boolean restarted) implements Disruption {

        @Override
        public String label() {
            return "kill-" + service.module() + (restarted ? "-restarted" : "-left-dead");
        }

        @Override
        public String kind() {
            return restarted ? "kill-restarted" : "kill-left-dead";
        }
    }

    /** The Kafka node stopped for {@code down}, longer than every timeout of the saga and the clients, then started again. */
    record StopBroker(Duration down) implements Disruption {

        @Override
        public String label() {
            return "stop-broker-" + down.toSeconds() + "s";
        }

        @Override
        public String kind() {
            return "broker-stopped";
        }
    }

    /**
     * The PostgreSQL server stopped (fast shutdown: sessions ended, as a restart does), kept down for {@code down} and
     * started again.
     */
    record RestartPostgres(Side side, Duration down) implements Disruption {

        @Override
        public String label() {
            return "restart-" + side.label();
        }

        @Override
        public String kind() {
            return "postgres-restarted";
        }
    }

    /**
     * The services' network to the PostgreSQL server drops every packet for {@code held}: nothing is refused, every
     * connection just waits. The application's own connections are not cut.
     */
    record CutOffPostgres(Side side, Duration held) implements Disruption {

        @Override
        public String label() {
            return "cut-off-" + side.label() + "-" + held.toSeconds() + "s";
        }

        @Override
        public String kind() {
            return "postgres-cut-off";
        }
    }

    /** dns-switcher's DNS server drops every query and update for {@code held}. */
    record DnsUnreachable(Duration held) implements Disruption {

        @Override
        public String label() {
            return "dns-unreachable-" + held.toSeconds() + "s";
        }

        @Override
        public String kind() {
            return "dns-unreachable";
        }
    }

    /**
     * The cutover-service instance that owns the saga paused with SIGSTOP for {@code paused}, past its Kafka session
     * timeout, while a second instance starts and takes its partitions over; then resumed with SIGCONT, still
     * believing it owns them.
     */
    record PauseSaga(Duration paused) implements Disruption {

        @Override
        public String label() {
            return "pause-cutover-service-" + paused.toSeconds() + "s";
        }

        @Override
        public String kind() {
            return "saga-paused";
        }
    }
}
