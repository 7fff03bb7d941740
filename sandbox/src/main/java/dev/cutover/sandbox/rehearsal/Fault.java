package dev.cutover.sandbox.rehearsal;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import dev.cutover.events.CutoverStarted;
import dev.cutover.events.PreflightPassed;
import dev.cutover.events.StepStarted;
import dev.cutover.sandbox.rehearsal.Services.Service;
import dev.cutover.stack.DnsServer;
import dev.cutover.stack.LocalStack;

/**
 * One failure a rehearsal injects into its cutover ({@code ./rehearse --fault NAME}). The rehearsal watches the
 * cutover's messages on the bus; the first one that {@link #triggeredBy triggers} the fault injects it, and it is
 * {@link #heal healed} as its {@link #healing} says. Before the DNS flip the expected outcome is a rollback (the source
 * serves again, nothing lost); a fault the services can recover from may also let the cutover complete.
 */
public sealed interface Fault {

    /** The name on the command line. */
    String name();

    /** One line for {@code --help}. */
    String description();

    /** Whether this message of the cutover is the moment to inject the fault. */
    boolean triggeredBy(SpecificRecord message);

    /** Breaks something. */
    void inject(Scene scene) throws Exception;

    /** Undoes {@link #inject}; called once, even when the cutover ended first. */
    void heal(Scene scene) throws Exception;

    /** When the fault is undone. */
    Healing healing();

    /** What a fault acts on. */
    record Scene(LocalStack stack, Services services) {
    }

    /** When a fault is healed. */
    enum Healing {
        /** Right after it was injected: a crash followed by a restart. */
        IMMEDIATELY,
        /** When the saga starts compensating (or the cutover ends). */
        AT_COMPENSATION,
        /** When the cutover ended (completed, rolled back or rejected). */
        AT_THE_END
    }

    /** Every fault, in {@code --help} order. */
    static List<Fault> all() {
        return List.of(
                // At the flip, not later: the wait for the canary goes out with the fence, and a lag-monitor stopped
                // while it waits finishes that wait first (a context closes after its listener's current message).
                new KillService("kill-lag-monitor-at-catch-up", Service.LAG_MONITOR, "FLIP_DNS", Healing.AT_THE_END,
                        "stop lag-monitor as the DNS flips, before the wait for the canary is sent, so no one proves"
                                + " catch-up: the step times out, the saga rolls back; lag-monitor starts again after"
                                + " the rollback"),
                new KillService("kill-cutover-service-at-canary", Service.CUTOVER_SERVICE, "WRITE_CANARY",
                        Healing.IMMEDIATELY, "stop cutover-service (the saga) when it starts WRITE_CANARY and start it"
                                + " again at once: it must recover from the log, then finish or roll back"),
                new StallReplication(),
                new RefuseDnsUpdate(),
                new RestartKafka());
    }

    /** The fault with this name. */
    static Fault named(String name) {
        return all().stream().filter(fault -> fault.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + name + "'; the faults are "
                        + all().stream().map(Fault::name).collect(Collectors.joining(", "))));
    }

    private static boolean stepStarted(SpecificRecord message, String step) {
        return message instanceof StepStarted started && started.getStep().equals(step);
    }

    /** A service's Spring context closed at a step, as if its process died, and started again later. */
    record KillService(String name, Service service, String atStep, Healing healing, String description) implements Fault {

        @Override
        public boolean triggeredBy(SpecificRecord message) {
            return stepStarted(message, atStep);
        }

        @Override
        public void inject(Scene scene) {
            scene.services().stop(service);
        }

        @Override
        public void heal(Scene scene) {
            scene.services().start(service);
        }
    }

    /**
     * Replication stalls at the canary: a SHARE lock on the target's {@code cutover.canary}, taken once the cutover's
     * preflight has passed (its own canary round trip would otherwise refuse the cutover before anything is
     * disrupted, which is the better outcome but not this fault's point), lets replication apply everything else (the heartbeat, the application's writes before the fence) and
     * blocks it at the canary's insert, so the catch-up can never be proven. A lock rather than a disabled
     * subscription leaves no race with the fence: the canary is written moments after it, and a subscription disabled
     * then may still apply the canary. The lock is released when the saga compensates.
     */
    final class StallReplication implements Fault {

        private Connection holder;

        @Override
        public String name() {
            return "stall-replication";
        }

        @Override
        public String description() {
            return "hold a SHARE lock on cutover.canary on the target once preflight passed: replication stalls"
                    + " at the canary, the catch-up times out, the saga rolls back; released when it compensates";
        }

        @Override
        public boolean triggeredBy(SpecificRecord message) {
            return message instanceof PreflightPassed;
        }

        @Override
        public Healing healing() {
            return Healing.AT_COMPENSATION;
        }

        @Override
        public void inject(Scene scene) throws SQLException {
            holder = scene.stack().target().connect(SeedData.DATABASE);
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE cutover.canary IN SHARE MODE");
            }
        }

        @Override
        public void heal(Scene scene) throws SQLException {
            if (holder != null) {
                try (Connection releasing = holder) {
                    releasing.rollback();
                }
            }
        }
    }

    /**
     * A second address added to the database's A record behind the dns-switcher's back before the flip: the
     * flip's compare-and-swap (the record must be exactly the source) fails, the step fails, the saga rolls back. The
     * extra address is removed as soon as the saga compensates, so that a {@code RevertDns} finds the source.
     */
    record RefuseDnsUpdate() implements Fault {

        /** A loopback address nothing listens on: clients that resolve it fail fast and retry. */
        static final String ELSEWHERE = "127.0.0.9";

        @Override
        public String name() {
            return "refuse-dns-update";
        }

        @Override
        public String description() {
            return "add " + ELSEWHERE + " to the database's A record as the cutover starts, so the flip's"
                    + " compare-and-swap fails: StepFailed, the saga rolls back; removed when it compensates";
        }

        @Override
        public boolean triggeredBy(SpecificRecord message) {
            // Not at FLIP_DNS itself: the dns-switcher gets FlipDns as the bus shows StepStarted(FLIP_DNS), and a change
            // racing the flip can land after its compare-and-swap (then the flip succeeds and only its confirmation
            // waits for the extra address to go). The flip starts with the fence, so the address goes in before the
            // preflight; clients that resolve it meanwhile fail and retry.
            return message instanceof CutoverStarted;
        }

        @Override
        public Healing healing() {
            return Healing.AT_COMPENSATION;
        }

        @Override
        public void inject(Scene scene) throws Exception {
            update(scene.stack().dns(), true);
        }

        @Override
        public void heal(Scene scene) throws Exception {
            update(scene.stack().dns(), false);
        }

        private static void update(DnsServer dns, boolean add) throws Exception {
            Update update = new Update(absolute(dns.zone()));
            Name record = absolute(dns.databaseName());
            if (add) {
                update.add(record, Type.A, 1, ELSEWHERE);
            } else {
                update.delete(record, Type.A, ELSEWHERE);
            }
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(dns.host(), dns.port()));
            resolver.setTCP(true);
            resolver.setTSIGKey(new TSIG(TSIG.algorithmToName(dns.tsigAlgorithm()), absolute(dns.tsigKeyName()),
                    dns.tsigSecret()));
            Message response = resolver.send(update);
            if (response.getRcode() != Rcode.NOERROR) {
                throw new IllegalStateException("the DNS server refused our own update of " + record + ": "
                        + Rcode.string(response.getRcode()));
            }
        }

        private static Name absolute(String name) throws TextParseException {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        }
    }

    /**
     * The Kafka node (broker and controller) stopped as the saga starts the switch and started again at once, on the
     * same port with its log, as a broker restart in production: every service's clients lose the broker in the middle
     * of the switch's commands and answers and must reconnect on their own. The saga's transactions in flight then
     * commit or abort and are retried; nothing of the cutover may be lost or applied twice, so the cutover completes
     * (or, if a step outlived its timeout meanwhile, rolls back).
     */
    record RestartKafka() implements Fault {

        @Override
        public String name() {
            return "restart-kafka";
        }

        @Override
        public String description() {
            return "stop the Kafka broker at StepStarted(STOP_TRAFFIC) and start it again at once on the same port"
                    + " with its log: every service reconnects on its own and the cutover completes";
        }

        @Override
        public boolean triggeredBy(SpecificRecord message) {
            // The switch's first step: the fence, the canary and the flip are under way when the broker goes.
            return stepStarted(message, "STOP_TRAFFIC");
        }

        @Override
        public Healing healing() {
            return Healing.IMMEDIATELY;
        }

        @Override
        public void inject(Scene scene) {
            scene.stack().kafka().stop();
        }

        @Override
        public void heal(Scene scene) {
            scene.stack().kafka().restart();
        }
    }

    /** {@code --help}'s lines, one a fault. */
    static String help() {
        return all().stream().map(fault -> String.format("              %-31s %s", fault.name(), fault.description()))
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
