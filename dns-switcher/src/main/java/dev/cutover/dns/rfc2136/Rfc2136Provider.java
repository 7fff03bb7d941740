package dev.cutover.dns.rfc2136;

import dev.cutover.dns.DnsAnswer;
import dev.cutover.dns.DnsFailure;
import dev.cutover.dns.DnsFailureException;
import dev.cutover.dns.DnsProvider;
import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsTarget;
import dev.cutover.dns.FlipRequest;
import dev.cutover.dns.FlipResult;
import dev.cutover.dns.Timekeeper;
import dev.cutover.dns.TtlResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Changes a name with TSIG-signed RFC 2136 updates. Each update carries a prerequisite that the
 * current RRset is exactly the expected one, then deletes it and adds the new record in the same
 * message, so the server applies all of it or nothing (compare-and-swap). Afterwards it asks the
 * same server, directly and without any cache, until the new answer comes back.
 */
public final class Rfc2136Provider implements DnsProvider {

    private static final Logger log = LoggerFactory.getLogger(Rfc2136Provider.class);

    private static final int SERVFAIL_ATTEMPTS = 6;
    private static final Duration SERVFAIL_PAUSE = Duration.ofMillis(50);

    private final Rfc2136Settings settings;
    private final Timekeeper timekeeper;
    private final Name zone;
    private final SimpleResolver updates;
    private final SimpleResolver queries;

    /** Reads the secret from the place the settings name (file or environment variable). */
    public Rfc2136Provider(Rfc2136Settings settings) {
        this(settings, settings.secret().read(System::getenv), Timekeeper.system());
    }

    public Rfc2136Provider(Rfc2136Settings settings, TsigSecret secret, Timekeeper timekeeper) {
        this.settings = settings;
        this.timekeeper = timekeeper;
        this.zone = name(settings.zone());
        InetSocketAddress server = new InetSocketAddress(address(settings.host()), settings.port());
        this.updates = resolver(server, settings.timeout());
        this.updates.setTSIGKey(new TSIG(algorithm(settings.algorithm()), keyName(settings.keyName()), secret.bytes()));
        this.queries = resolver(server, settings.timeout());
    }

    @Override
    public Optional<DnsAnswer> current(DnsRecordName record) {
        Message response = send(queries, query(name(record), Type.A), "read the current value of " + record);
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            throw failure(response, "the query for " + record);
        }
        return answerIn(response, name(record));
    }

    @Override
    public FlipResult flip(FlipRequest request) {
        DnsRecordName record = requireInZone(request.record());
        Name owner = name(record);
        long start = timekeeper.nanoTime();

        Update update = new Update(zone);
        update.present(toRecord(owner, request.expectedTarget(), Duration.ZERO));
        update.delete(owner, type(request.expectedTarget()));
        update.add(toRecord(owner, request.newTarget(), request.ttl()));
        Message response = sendUpdate(update, "send the update of " + record);

        if (isCompareFailure(response.getRcode())) {
            return flipWhereCompareFailed(request);
        }
        if (response.getRcode() != Rcode.NOERROR) {
            throw failure(response, "the update of " + record);
        }
        confirm(record, answer -> answer.pointsAt(request.newTarget()) && answer.ttl().equals(request.ttl()),
                request.newTarget().value(), start);
        Duration effective = timekeeper.since(start);
        log.info("Flipped {} from {} to {} (TTL {} s); the server answered the new value after {} ms", record,
                request.expectedTarget(), request.newTarget(), request.ttl().toSeconds(), effective.toMillis());
        return new FlipResult(record, request.expectedTarget(), request.newTarget(), request.ttl(),
                Optional.of(serial()), effective);
    }

    @Override
    public TtlResult setTtl(DnsRecordName record, Duration ttl) {
        requireInZone(record);
        Name owner = name(record);
        DnsAnswer before = current(record).orElseThrow(() -> new DnsFailureException(
                new DnsFailure.CurrentValueDiffers(record, "an A or CNAME record", "nothing")));
        if (before.ttl().equals(ttl)) {
            return TtlResult.alreadyInPlace(record, before);
        }
        long start = timekeeper.nanoTime();
        Update update = new Update(zone);
        for (DnsTarget target : before.targets()) {
            update.present(toRecord(owner, target, Duration.ZERO));
        }
        update.delete(owner, type(before.targets().getFirst()));
        for (DnsTarget target : before.targets()) {
            update.add(toRecord(owner, target, ttl));
        }
        Message response = sendUpdate(update, "send the TTL update of " + record);
        if (isCompareFailure(response.getRcode())) {
            DnsAnswer now = current(record).orElse(null);
            if (now != null && now.targets().equals(before.targets()) && now.ttl().equals(ttl)) {
                return TtlResult.alreadyInPlace(record, now);
            }
            throw new DnsFailureException(new DnsFailure.CurrentValueDiffers(record, before.describe(), describe(now)));
        }
        if (response.getRcode() != Rcode.NOERROR) {
            throw failure(response, "the TTL update of " + record);
        }
        confirm(record, answer -> answer.targets().equals(before.targets()) && answer.ttl().equals(ttl),
                "TTL " + ttl.toSeconds() + " s", start);
        Duration effective = timekeeper.since(start);
        log.info("Changed the TTL of {} from {} s to {} s; the server answered it after {} ms", record,
                before.ttl().toSeconds(), ttl.toSeconds(), effective.toMillis());
        return new TtlResult(record, before, ttl, Optional.of(serial()), effective);
    }

    /**
     * The prerequisite failed. If the name already points where the command wants it (a repeated
     * command after a restart), that is success without a change; otherwise report what is there.
     */
    private FlipResult flipWhereCompareFailed(FlipRequest request) {
        Optional<DnsAnswer> now = current(request.record());
        if (now.isPresent() && now.get().pointsAt(request.newTarget())) {
            if (now.get().ttl().equals(request.ttl())) {
                log.info("{} already points at {} with TTL {} s: nothing to change", request.record(),
                        request.newTarget(), request.ttl().toSeconds());
                return FlipResult.alreadyInPlace(request);
            }
            TtlResult ttlChange = setTtl(request.record(), request.ttl());
            return new FlipResult(request.record(), request.newTarget(), request.newTarget(), request.ttl(),
                    ttlChange.changeId(), ttlChange.effectiveTime());
        }
        throw new DnsFailureException(new DnsFailure.CurrentValueDiffers(request.record(),
                request.expectedTarget().value(), describe(now.orElse(null))));
    }

    private void confirm(DnsRecordName record, Predicate<DnsAnswer> expected, String what, long start) {
        while (true) {
            Optional<DnsAnswer> seen = answerIn(send(queries, query(name(record), Type.A), "confirm " + record), name(record));
            if (seen.filter(expected).isPresent()) {
                return;
            }
            Duration waited = timekeeper.since(start);
            if (waited.compareTo(settings.confirmTimeout()) >= 0) {
                throw new DnsFailureException(new DnsFailure.TimedOut("confirm that " + settings.server()
                        + " answers " + what + " for " + record + " (last answer: " + describe(seen.orElse(null)) + ")",
                        waited));
            }
            pause(settings.confirmInterval(), "confirm " + record, start);
        }
    }

    /** The zone's SOA serial after our change: the change id an operator can check with dig. */
    private String serial() {
        Message response = send(queries, query(zone, Type.SOA), "read the SOA serial of " + settings.zone());
        return response.getSection(Section.ANSWER).stream()
                .filter(SOARecord.class::isInstance)
                .map(soa -> settings.zone() + " serial " + ((SOARecord) soa).getSerial())
                .findFirst()
                .orElse(settings.zone() + " serial unknown");
    }

    /**
     * Sends an update, again after a SERVFAIL: the server failed, not the request (BIND answers so when it
     * cannot write its journal in time under load, and on a loaded host its first update after start-up was seen to
     * fail three times within 100 ms: the attempts now span 750 ms, 50 ms more each). Safe to repeat because every
     * update carries its compare-and-swap prerequisite: if the first one was applied after all, the repeat fails the
     * compare and the caller sees the change already in place.
     */
    private Message sendUpdate(Update update, String step) {
        long start = timekeeper.nanoTime();
        Message response = send(updates, update, step);
        for (int attempt = 1; attempt < SERVFAIL_ATTEMPTS && response.getRcode() == Rcode.SERVFAIL; attempt++) {
            log.warn("{} answered SERVFAIL to the update; sending it again ({} of {})", settings.server(), attempt + 1,
                    SERVFAIL_ATTEMPTS);
            pause(SERVFAIL_PAUSE.multipliedBy(attempt), step, start);
            response = send(updates, update, step);
        }
        return response;
    }

    private Message send(SimpleResolver resolver, Message message, String step) {
        long start = timekeeper.nanoTime();
        try {
            return resolver.send(message);
        } catch (SocketTimeoutException e) {
            throw new DnsFailureException(new DnsFailure.TimedOut(step + " at " + settings.server(),
                    timekeeper.since(start)), e);
        } catch (IOException e) {
            if (isTimeout(e)) {
                throw new DnsFailureException(new DnsFailure.TimedOut(step + " at " + settings.server(),
                        timekeeper.since(start)), e);
            }
            throw new DnsFailureException(new DnsFailure.Unreachable(settings.server(), e.toString(),
                    "check dns.rfc2136.host and dns.rfc2136.port, and that the server listens there"), e);
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException
                    || String.valueOf(cause.getMessage()).toLowerCase().contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    private void pause(Duration duration, String step, long start) {
        try {
            timekeeper.pause(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsFailureException(new DnsFailure.TimedOut(step + " (interrupted)", timekeeper.since(start)), e);
        }
    }

    private DnsFailureException failure(Message response, String what) {
        int rcode = response.getRcode();
        TSIGRecord tsig = response.getTSIG();
        int tsigError = tsig == null ? Rcode.NOERROR : tsig.getError();
        String refusal = Rcode.string(rcode) + (tsigError == Rcode.NOERROR ? "" : "/" + Rcode.TSIGstring(tsigError));
        String keyRemedy = "check dns.rfc2136.key-name (" + settings.keyName() + "), dns.rfc2136.algorithm ("
                + settings.algorithm() + ") and the secret in " + settings.secret()
                + " against the key the server has for zone " + settings.zone();
        DnsFailure failure;
        if (tsigError == Rcode.BADTIME) {
            failure = new DnsFailure.NotAuthorized(settings.server(), refusal,
                    "the clocks of this host and the DNS server differ by more than the TSIG fudge (300 s): fix NTP");
        } else if (rcode == Rcode.NOTAUTH || tsigError != Rcode.NOERROR) {
            failure = new DnsFailure.NotAuthorized(settings.server(), refusal + " for " + what,
                    "the TSIG key was refused: " + keyRemedy);
        } else if (rcode == Rcode.REFUSED) {
            failure = new DnsFailure.NotAuthorized(settings.server(), refusal + " for " + what,
                    "the key is not allowed to change this name: check the zone's update-policy grants "
                            + settings.keyName() + " the name, and " + keyRemedy);
        } else if (rcode == Rcode.NOTZONE) {
            failure = new DnsFailure.Rejected(settings.server(), refusal + " for " + what,
                    "the name is not in zone " + settings.zone() + ": check dns.rfc2136.zone");
        } else {
            failure = new DnsFailure.Rejected(settings.server(), refusal + " for " + what,
                    "see the DNS server's log for why");
        }
        return new DnsFailureException(failure);
    }

    private static boolean isCompareFailure(int rcode) {
        // NXRRSET: the expected RRset is not there; YXRRSET/NXDOMAIN/YXDOMAIN: other prerequisite shapes.
        return rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET || rcode == Rcode.NXDOMAIN || rcode == Rcode.YXDOMAIN;
    }

    private static Optional<DnsAnswer> answerIn(Message response, Name owner) {
        List<DnsTarget> targets = new ArrayList<>();
        long ttl = -1;
        for (Record answer : response.getSection(Section.ANSWER)) {
            if (!answer.getName().equals(owner)) {
                continue; // the A records of a CNAME's target, added by the server; not ours
            }
            if (answer instanceof CNAMERecord cname) {
                targets.add(new DnsTarget.Hostname(DnsRecordName.of(cname.getTarget().toString())));
            } else if (answer instanceof ARecord a) {
                targets.add(new DnsTarget.Ipv4(a.getAddress().getHostAddress()));
            } else {
                continue;
            }
            ttl = answer.getTTL();
        }
        return targets.isEmpty() ? Optional.empty() : Optional.of(new DnsAnswer(targets, Duration.ofSeconds(ttl)));
    }

    private static String describe(DnsAnswer answer) {
        return answer == null ? "nothing (no A or CNAME record)" : answer.describe();
    }

    private static Message query(Name owner, int type) {
        Message query = Message.newQuery(Record.newRecord(owner, type, DClass.IN));
        // Ask the server for its own data only: an authoritative server does not recurse anyway.
        query.getHeader().unsetFlag(Flags.RD);
        return query;
    }

    private static Record toRecord(Name owner, DnsTarget target, Duration ttl) {
        long seconds = ttl.toSeconds();
        return switch (target) {
            case DnsTarget.Ipv4 ipv4 -> new ARecord(owner, DClass.IN, seconds, ipv4Address(ipv4));
            case DnsTarget.Hostname host -> new CNAMERecord(owner, DClass.IN, seconds, name(host.name()));
        };
    }

    private static int type(DnsTarget target) {
        return switch (target.type()) {
            case A -> Type.A;
            case CNAME -> Type.CNAME;
        };
    }

    private DnsRecordName requireInZone(DnsRecordName record) {
        if (!record.isWithin(settings.zone())) {
            throw new DnsFailureException(new DnsFailure.Rejected("dns-switcher", record + " is outside zone "
                    + settings.zone(), "check dns.rfc2136.zone, or the record name in the command"));
        }
        return record;
    }

    private static InetAddress ipv4Address(DnsTarget.Ipv4 ipv4) {
        try {
            return Address.getByAddress(ipv4.address(), Address.IPv4);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ipv4 + " is not an IPv4 address", e);
        }
    }

    private static Name name(DnsRecordName name) {
        try {
            return Name.fromString(name.value());
        } catch (TextParseException e) {
            throw new IllegalArgumentException(name + " is not a DNS name dnsjava accepts", e);
        }
    }

    private static Name keyName(String keyName) {
        try {
            return Name.fromString(keyName.endsWith(".") ? keyName : keyName + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("dns.rfc2136.key-name '" + keyName + "' is not a DNS name", e);
        }
    }

    private static Name algorithm(String algorithm) {
        Name name = TSIG.algorithmToName(algorithm.endsWith(".") ? algorithm.substring(0, algorithm.length() - 1) : algorithm);
        if (name == null) {
            throw new IllegalArgumentException("dns.rfc2136.algorithm '" + algorithm
                    + "' is not a TSIG algorithm; use hmac-sha256, hmac-sha512, ...");
        }
        return name;
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("dns.rfc2136.host '" + host + "' does not resolve", e);
        }
    }

    private static SimpleResolver resolver(InetSocketAddress server, Duration timeout) {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(timeout);
        return resolver;
    }

    @Override
    public String toString() {
        return "Rfc2136Provider[server=" + settings.server() + ", zone=" + settings.zone() + ", key="
                + settings.keyName() + " (" + settings.algorithm() + "), secret from " + settings.secret() + "]";
    }
}
