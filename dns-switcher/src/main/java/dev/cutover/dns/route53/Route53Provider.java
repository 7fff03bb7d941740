package dev.cutover.dns.route53;

import dev.cutover.dns.DnsAnswer;
import dev.cutover.dns.DnsFailure;
import dev.cutover.dns.DnsFailureException;
import dev.cutover.dns.DnsProvider;
import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsTarget;
import dev.cutover.dns.FlipRequest;
import dev.cutover.dns.FlipResult;
import dev.cutover.dns.RecordType;
import dev.cutover.dns.Timekeeper;
import dev.cutover.dns.TtlResult;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Switches a Route53 weighted record pair. The database name has two weighted records (SetIdentifier
 * "source" and "target" by default); the one with weight > 0 is where clients go. A flip reads both,
 * refuses unless the expected side alone carries weight (compare), then sends ONE change batch with
 * two UPSERTs (the other side at full weight with the new value, this side at 0), so Route53 applies
 * both or neither and never serves both or none. It then polls GetChange until INSYNC: every Route53
 * authoritative server answers the new value.
 */
public final class Route53Provider implements DnsProvider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Route53Provider.class);

    // Route53 signals throttling with these codes (HTTP 400 for the first and the last two, 429 otherwise).
    private static final Set<String> THROTTLING_CODES = Set.of("Throttling", "ThrottlingException",
            "PriorRequestNotComplete", "TooManyRequestsException", "RequestLimitExceeded");

    private static final Pattern LEGACY_MESSAGE = Pattern.compile("<Message>(.*?)</Message>", Pattern.DOTALL);

    private final Route53Settings settings;
    private final Route53Client client;
    private final Timekeeper timekeeper;

    public Route53Provider(Route53Settings settings, Route53Client client, Timekeeper timekeeper) {
        this.settings = settings;
        this.client = client;
        this.timekeeper = timekeeper;
    }

    /** With credentials from the SDK's default chain. */
    public static Route53Provider create(Route53Settings settings) {
        return create(settings, DefaultCredentialsProvider.builder().build(), Timekeeper.system());
    }

    public static Route53Provider create(Route53Settings settings, AwsCredentialsProvider credentials, Timekeeper timekeeper) {
        Route53Client client = Route53Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(settings.apiTimeout())
                        .socketTimeout(settings.apiTimeout()))
                // Our own retry loop handles throttling, with a budget and waits a test can see;
                // the SDK's would retry again inside each of our tries.
                .overrideConfiguration(config -> config
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(settings.apiTimeout()))
                .applyMutation(builder -> settings.endpoint().ifPresent(builder::endpointOverride))
                .build();
        return new Route53Provider(settings, client, timekeeper);
    }

    @Override
    public Optional<DnsAnswer> current(DnsRecordName record) {
        List<Side> sides = readSides(record);
        return sides.isEmpty() ? Optional.empty() : Optional.of(answerOf(sides));
    }

    /** What resolvers get from these weighted records. */
    private static DnsAnswer answerOf(List<Side> sides) {
        List<Side> weighted = sides.stream().filter(Side::carriesWeight).toList();
        // With every weight at 0 Route53 answers all records alike, so that is what clients get.
        List<Side> answering = weighted.isEmpty() ? sides : weighted;
        List<DnsTarget> targets = answering.stream().flatMap(side -> side.targets().stream()).toList();
        return new DnsAnswer(targets, answering.getFirst().ttl());
    }

    @Override
    public FlipResult flip(FlipRequest request) {
        DnsRecordName record = request.record();
        Pair pair = readPair(record, request.expectedTarget().value());
        Side active = pair.soleWeighted().orElseThrow(() -> differs(record, request.expectedTarget(), pair));
        Side idle = pair.other(active);

        if (active.pointsAt(request.newTarget())) {
            if (pair.ttlIs(request.ttl())) {
                log.info("{} already points at {} ({} at weight {}) with TTL {} s: nothing to change", record,
                        request.newTarget(), active.setIdentifier(), active.weight(), request.ttl().toSeconds());
                return FlipResult.alreadyInPlace(request);
            }
            TtlResult ttlChange = setTtl(record, request.ttl());
            return new FlipResult(record, request.newTarget(), request.newTarget(), request.ttl(),
                    ttlChange.changeId(), ttlChange.effectiveTime());
        }
        if (!active.pointsAt(request.expectedTarget())) {
            throw differs(record, request.expectedTarget(), pair);
        }

        List<Side> after = List.of(
                new Side(idle.setIdentifier(), request.newTarget().type(), List.of(request.newTarget()),
                        settings.activeWeight(), request.ttl()),
                new Side(active.setIdentifier(), active.type(), active.targets(), 0, request.ttl()));
        long start = timekeeper.nanoTime();
        String changeId = submitAndAwait(record, after,
                "cutover: " + record + " from " + request.expectedTarget() + " to " + request.newTarget());
        Duration effective = timekeeper.since(start);
        log.info("Flipped {} from {} ({}) to {} ({}), TTL {} s; change {} INSYNC after {} ms", record,
                request.expectedTarget(), active.setIdentifier(), request.newTarget(), idle.setIdentifier(),
                request.ttl().toSeconds(), changeId, effective.toMillis());
        return new FlipResult(record, request.expectedTarget(), request.newTarget(), request.ttl(),
                Optional.of(changeId), effective);
    }

    @Override
    public TtlResult setTtl(DnsRecordName record, Duration ttl) {
        Pair pair = readPair(record, "the weighted pair");
        DnsAnswer before = answerOf(pair.sides());
        if (pair.ttlIs(ttl)) {
            return TtlResult.alreadyInPlace(record, before);
        }
        List<Side> after = pair.sides().stream()
                .map(side -> new Side(side.setIdentifier(), side.type(), side.targets(), side.weight(), ttl))
                .toList();
        long start = timekeeper.nanoTime();
        String changeId = submitAndAwait(record, after, "cutover: TTL of " + record + " to " + ttl.toSeconds() + " s");
        Duration effective = timekeeper.since(start);
        log.info("Changed the TTL of {} from {} s to {} s; change {} INSYNC after {} ms", record,
                before.ttl().toSeconds(), ttl.toSeconds(), changeId, effective.toMillis());
        return new TtlResult(record, before, ttl, Optional.of(changeId), effective);
    }

    /** Sends one change batch of UPSERTs and waits until Route53 reports it INSYNC; returns the change id. */
    private String submitAndAwait(DnsRecordName record, List<Side> sides, String comment) {
        if (sides.stream().noneMatch(Side::carriesWeight)) {
            throw new DnsFailureException(new DnsFailure.Rejected("dns-switcher", "the change would set every weighted"
                    + " record of " + record + " to weight 0, which Route53 serves as all of them at once",
                    "set the weight of the side clients should use above 0 by hand, then send the command again"));
        }
        List<Change> changes = sides.stream()
                .map(side -> Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(side.toRecordSet(record)).build())
                .toList();
        ChangeInfo submitted = call("submit the change batch for " + record,
                () -> client.changeResourceRecordSets(change -> change
                        .hostedZoneId(settings.hostedZoneId())
                        .changeBatch(batch -> batch.comment(comment).changes(changes))).changeInfo());
        return awaitInSync(submitted);
    }

    private String awaitInSync(ChangeInfo submitted) {
        String id = submitted.id();
        ChangeStatus status = submitted.status();
        long start = timekeeper.nanoTime();
        while (status != ChangeStatus.INSYNC) {
            Duration waited = timekeeper.since(start);
            if (waited.compareTo(settings.changeTimeout()) >= 0) {
                throw new DnsFailureException(new DnsFailure.TimedOut("wait for Route53 change " + id
                        + " to reach INSYNC (still " + status + "); dns.route53.change-timeout is "
                        + settings.changeTimeout().toSeconds() + " s", waited));
            }
            pause(settings.pollInterval(), "wait for Route53 change " + id, start);
            status = call("read the status of Route53 change " + id, () -> client.getChange(get -> get.id(id)).changeInfo()).status();
        }
        return id;
    }

    /** Both records of the pair; the compare fails when either is missing. */
    private Pair readPair(DnsRecordName record, String expected) {
        List<Side> sides = readSides(record);
        Optional<Side> source = sides.stream().filter(side -> side.setIdentifier().equals(settings.sourceSetIdentifier())).findFirst();
        Optional<Side> target = sides.stream().filter(side -> side.setIdentifier().equals(settings.targetSetIdentifier())).findFirst();
        if (source.isEmpty() || target.isEmpty()) {
            throw new DnsFailureException(new DnsFailure.CurrentValueDiffers(record, expected,
                    "no weighted pair: found " + (sides.isEmpty() ? "no weighted record" : describe(sides))
                            + ", need SetIdentifier '" + settings.sourceSetIdentifier() + "' and '"
                            + settings.targetSetIdentifier() + "' in hosted zone " + settings.hostedZoneId()));
        }
        return new Pair(source.get(), target.get());
    }

    private List<Side> readSides(DnsRecordName record) {
        List<Side> sides = new ArrayList<>();
        String startName = record.value();
        String startType = null;
        String startIdentifier = null;
        while (true) {
            String name = startName;
            String type = startType;
            String identifier = startIdentifier;
            ListResourceRecordSetsResponse page = call("read the record sets of " + record,
                    () -> client.listResourceRecordSets(list -> list.hostedZoneId(settings.hostedZoneId())
                            .startRecordName(name).startRecordType(type).startRecordIdentifier(identifier).maxItems("20")));
            boolean pastTheName = false;
            for (ResourceRecordSet set : page.resourceRecordSets()) {
                if (!DnsRecordName.of(set.name()).equals(record)) {
                    pastTheName = true;
                    continue;
                }
                if (isOurs(set)) {
                    sides.add(Side.of(set));
                }
            }
            // Pages run in name order: once a page reaches another name, ours are all read.
            if (!Boolean.TRUE.equals(page.isTruncated()) || pastTheName) {
                return sides;
            }
            startName = page.nextRecordName();
            startType = page.nextRecordTypeAsString();
            startIdentifier = page.nextRecordIdentifier();
        }
    }

    private boolean isOurs(ResourceRecordSet set) {
        return set.setIdentifier() != null
                && (set.setIdentifier().equals(settings.sourceSetIdentifier()) || set.setIdentifier().equals(settings.targetSetIdentifier()))
                && (set.type() == RRType.A || set.type() == RRType.CNAME)
                && set.weight() != null
                && set.hasResourceRecords();
    }

    /** One API call, tried again with exponential backoff while Route53 throttles it, within the budget. */
    private <T> T call(String step, Supplier<T> call) {
        long start = timekeeper.nanoTime();
        Duration backoff = settings.throttleBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (AwsServiceException e) {
                if (!isThrottling(e)) {
                    throw translate(e, step);
                }
                if (attempt >= settings.throttleAttempts()) {
                    throw new DnsFailureException(new DnsFailure.Throttled(attempt, timekeeper.since(start)), e);
                }
                log.warn("Route53 throttled the attempt {} to {} ({}); trying again in {} ms", attempt, step,
                        errorCode(e), backoff.toMillis());
                pause(backoff, step, start);
                backoff = min(backoff.multipliedBy(2), settings.throttleMaxBackoff());
            } catch (SdkClientException e) {
                throw translate(e, step, start);
            }
        }
    }

    private static boolean isThrottling(AwsServiceException e) {
        return e.isThrottlingException() || THROTTLING_CODES.contains(errorCode(e));
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    /**
     * Until 2024 Route53 answered a rejected batch with an {@code <InvalidChangeBatch>} root element
     * holding one {@code <Message>} per problem, which the SDK does not parse (no error code at all);
     * it now sends the usual {@code <ErrorResponse>}. Both are understood, so the messages are never lost.
     */
    private static List<String> legacyInvalidChangeBatchMessages(AwsServiceException e) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().rawResponse() == null) {
            return List.of();
        }
        String body = e.awsErrorDetails().rawResponse().asUtf8String();
        if (!body.contains("<InvalidChangeBatch")) {
            return List.of();
        }
        return LEGACY_MESSAGE.matcher(body).results()
                .map(match -> match.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                        .replace("&apos;", "'").replace("&amp;", "&").strip())
                .toList();
    }

    private DnsFailureException translate(AwsServiceException e, String step) {
        String code = errorCode(e).isEmpty() ? "HTTP " + e.statusCode() : errorCode(e);
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        List<String> legacyMessages = legacyInvalidChangeBatchMessages(e);
        DnsFailure failure;
        if (!legacyMessages.isEmpty()) {
            failure = new DnsFailure.InvalidChangeBatch(legacyMessages);
        } else if (e instanceof InvalidChangeBatchException invalid) {
            failure = new DnsFailure.InvalidChangeBatch(invalid.hasMessages() && !invalid.messages().isEmpty()
                    ? invalid.messages() : List.of(String.valueOf(message)));
        } else if (e.statusCode() == 403 || "AccessDenied".equals(code) || "InvalidClientTokenId".equals(code)
                || "SignatureDoesNotMatch".equals(code) || "NotAuthorizedException".equals(code)) {
            failure = new DnsFailure.NotAuthorized("Route53", code + ": " + message + " (while trying to " + step + ")",
                    credentialsRemedy());
        } else if ("NoSuchHostedZone".equals(code)) {
            failure = new DnsFailure.Rejected("Route53", code + ": " + message,
                    "check dns.route53.hosted-zone-id (" + settings.hostedZoneId() + ")");
        } else if (e.statusCode() >= 500) {
            failure = new DnsFailure.Unreachable("Route53", code + ": " + message + " (while trying to " + step + ")",
                    "Route53 had an internal error; send the command again");
        } else {
            failure = new DnsFailure.Rejected("Route53", code + ": " + message + " (while trying to " + step + ")",
                    "read Route53's message above; it names the field or record it rejected");
        }
        return new DnsFailureException(failure, e);
    }

    private DnsFailureException translate(SdkClientException e, String step, long start) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException || causedByTimeout(e)) {
            return new DnsFailureException(new DnsFailure.TimedOut(step + " at Route53", timekeeper.since(start)), e);
        }
        if (String.valueOf(e.getMessage()).contains("Unable to load credentials")) {
            return new DnsFailureException(new DnsFailure.NotAuthorized("Route53", "no AWS credentials found", credentialsRemedy()), e);
        }
        return new DnsFailureException(new DnsFailure.Unreachable("Route53" + settings.endpoint().map(uri -> " at " + uri).orElse(""),
                String.valueOf(e.getMessage()), "check network access to Route53 (proxy, firewall, VPC endpoint)"
                        + " and dns.route53.endpoint"), e);
    }

    private String credentialsRemedy() {
        return "check the AWS credentials the SDK's default chain finds (AWS_ACCESS_KEY_ID, AWS_PROFILE, the instance"
                + " or pod role) and that they allow route53:ListResourceRecordSets, route53:ChangeResourceRecordSets and"
                + " route53:GetChange on hostedzone/" + settings.hostedZoneId();
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
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

    private DnsFailureException differs(DnsRecordName record, DnsTarget expected, Pair pair) {
        return new DnsFailureException(new DnsFailure.CurrentValueDiffers(record,
                expected.value() + " alone at weight > 0", describe(pair.sides())));
    }

    private static String describe(List<Side> sides) {
        return sides.stream().sorted(Comparator.comparing(Side::setIdentifier)).map(Side::describe)
                .collect(Collectors.joining(", "));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "Route53Provider[hostedZone=" + settings.hostedZoneId() + ", pair=" + settings.sourceSetIdentifier() + "/"
                + settings.targetSetIdentifier() + settings.endpoint().map(uri -> ", endpoint=" + uri).orElse("") + "]";
    }

    /** The two weighted records of one name. */
    private record Pair(Side source, Side target) {

        List<Side> sides() {
            return List.of(source, target);
        }

        /** The side carrying weight while the other carries none; empty for 0/0 or a split. */
        Optional<Side> soleWeighted() {
            if (source.carriesWeight() && !target.carriesWeight()) {
                return Optional.of(source);
            }
            if (target.carriesWeight() && !source.carriesWeight()) {
                return Optional.of(target);
            }
            return Optional.empty();
        }

        Side other(Side side) {
            return side.equals(source) ? target : source;
        }

        boolean ttlIs(Duration ttl) {
            return source.ttl().equals(ttl) && target.ttl().equals(ttl);
        }
    }

    /** One weighted record set of the pair, as read or as it will be written. */
    private record Side(String setIdentifier, RecordType type, List<DnsTarget> targets, long weight, Duration ttl) {

        static Side of(ResourceRecordSet set) {
            List<DnsTarget> targets = set.resourceRecords().stream().map(record -> DnsTarget.parse(record.value())).toList();
            return new Side(set.setIdentifier(), RecordType.valueOf(set.typeAsString()), targets, set.weight(),
                    Duration.ofSeconds(set.ttl() == null ? 0 : set.ttl()));
        }

        boolean carriesWeight() {
            return weight > 0;
        }

        boolean pointsAt(DnsTarget target) {
            return targets.equals(List.of(target));
        }

        ResourceRecordSet toRecordSet(DnsRecordName record) {
            return ResourceRecordSet.builder()
                    .name(record.value())
                    .type(type.name())
                    .setIdentifier(setIdentifier)
                    .weight(weight)
                    .ttl(ttl.toSeconds())
                    .resourceRecords(targets.stream().map(target -> ResourceRecord.builder().value(target.value()).build()).toList())
                    .build();
        }

        String describe() {
            return setIdentifier + "=" + targets.stream().map(DnsTarget::value).collect(Collectors.joining("+"))
                    + " weight " + weight + " TTL " + ttl.toSeconds() + " s";
        }
    }
}
