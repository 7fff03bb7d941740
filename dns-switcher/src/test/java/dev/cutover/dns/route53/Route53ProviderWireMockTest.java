package dev.cutover.dns.route53;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.cutover.dns.route53.Route53Xml.WeightedSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cutover.dns.DnsAnswer;
import dev.cutover.dns.DnsFailure;
import dev.cutover.dns.DnsFailureException;
import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsSwitch;
import dev.cutover.dns.DnsTarget;
import dev.cutover.dns.FlipRequest;
import dev.cutover.dns.FlipResult;
import dev.cutover.dns.TtlResult;
import dev.cutover.dns.route53.Route53Xml.SentBatch;
import dev.cutover.dns.route53.Route53Xml.SentChange;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The Route53 provider against WireMock speaking Route53's REST/XML API (AWS itself cannot be
 * reached from here): the real request paths, the real response and error bodies.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Route53ProviderWireMockTest {

    private static final String ZONE_ID = "Z0CUTOVER0TEST";
    private static final String RRSET_PATH = "/2013-04-01/hostedzone/" + ZONE_ID + "/rrset";
    private static final String CHANGE_ID = "C2682N5HXP0BZ4";
    private static final String CHANGE_PATH = "/2013-04-01/change/" + CHANGE_ID;
    private static final String NAME = "db.cutover.example.";
    private static final DnsRecordName DB = DnsRecordName.of(NAME);
    private static final DnsTarget SOURCE = DnsTarget.parse("10.0.0.2");
    private static final DnsTarget TARGET = DnsTarget.parse("10.0.0.3");
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final WireMockServer route53 = new WireMockServer(options().dynamicPort());
    private final FakeTimekeeper time = new FakeTimekeeper();
    private Route53Provider provider;

    @BeforeEach
    void start() {
        route53.start();
        provider = providerWith(Route53Settings.of(ZONE_ID));
    }

    @AfterEach
    void stop() {
        provider.close();
        route53.stop();
    }

    @Test
    void a_flip_sends_one_change_batch_of_two_upserts_that_moves_the_weight_to_the_other_side() {
        records(source(SOURCE, 100, 60), target(DnsTarget.parse("10.0.0.9"), 0, 60));
        changeAccepted("INSYNC");

        provider.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND));

        SentBatch batch = onlyChangeBatchSent();
        assertThat(batch.rootElement()).isEqualTo("ChangeResourceRecordSetsRequest");
        assertThat(batch.namespace()).isEqualTo(Route53Xml.NAMESPACE);
        assertThat(batch.changes()).containsExactly(
                new SentChange("UPSERT", NAME, "A", "target", 100, 1, List.of("10.0.0.3")),
                new SentChange("UPSERT", NAME, "A", "source", 0, 1, List.of("10.0.0.2")));
    }

    @Test
    void a_flip_follows_the_change_from_pending_to_insync_polling_at_the_configured_interval() {
        records(source(SOURCE, 100, 60), target(TARGET, 0, 60));
        changeAccepted("PENDING");
        route53.stubFor(get(urlPathEqualTo(CHANGE_PATH)).inScenario("propagation").whenScenarioStateIs(STARTED)
                .willReturn(xml(200, Route53Xml.getChangeResponse(CHANGE_ID, "PENDING"))).willSetStateTo("almost"));
        route53.stubFor(get(urlPathEqualTo(CHANGE_PATH)).inScenario("propagation").whenScenarioStateIs("almost")
                .willReturn(xml(200, Route53Xml.getChangeResponse(CHANGE_ID, "INSYNC"))));

        FlipResult result = provider.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND));

        route53.verify(2, getRequestedFor(urlPathEqualTo(CHANGE_PATH)));
        assertThat(time.pauses()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
        assertThat(result).isEqualTo(new FlipResult(DB, SOURCE, TARGET, ONE_SECOND, Optional.of(CHANGE_ID),
                Duration.ofMillis(500)));
    }

    @Test
    void a_revert_moves_the_weight_back_to_the_source() {
        records(source(SOURCE, 0, 1), target(TARGET, 100, 1));
        changeAccepted("INSYNC");

        FlipResult reverted = provider.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND).reversed());

        assertThat(reverted.current()).isEqualTo(SOURCE);
        assertThat(onlyChangeBatchSent().changes()).containsExactly(
                new SentChange("UPSERT", NAME, "A", "source", 100, 1, List.of("10.0.0.2")),
                new SentChange("UPSERT", NAME, "A", "target", 0, 1, List.of("10.0.0.3")));
    }

    @Test
    void weights_pointing_elsewhere_fail_the_compare_and_nothing_is_changed() {
        records(source(DnsTarget.parse("10.0.0.7"), 100, 60), target(TARGET, 0, 60));

        assertThatThrownBy(() -> provider.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .extracting(e -> ((DnsFailureException) e).failure())
                .asInstanceOf(type(DnsFailure.CurrentValueDiffers.class))
                .satisfies(differs -> assertThat(differs.actual())
                        .isEqualTo("source=10.0.0.7 weight 100 TTL 60 s, target=10.0.0.3 weight 0 TTL 60 s"));
        route53.verify(0, postRequestedFor(urlPathEqualTo(RRSET_PATH + "/")));
    }

    @Test
    void weight_on_both_sides_fails_the_compare() {
        records(source(SOURCE, 50, 60), target(TARGET, 50, 60));

        assertThatThrownBy(() -> provider.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .hasMessageContaining("expected to point at 10.0.0.2 alone at weight > 0");
        route53.verify(0, postRequestedFor(urlPathEqualTo(RRSET_PATH + "/")));
    }

    @Test
    void a_missing_weighted_record_fails_the_compare() {
        records(source(SOURCE, 100, 60));

        assertThatThrownBy(() -> provider.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .hasMessageContaining("no weighted pair")
                .hasMessageContaining("need SetIdentifier 'source' and 'target'");
    }

    @Test
    void a_flip_to_the_state_already_in_place_reports_success_without_a_change() {
        records(source(SOURCE, 0, 1), target(TARGET, 100, 1));

        FlipResult result = new DnsSwitch(provider).flip(UUID.randomUUID(), new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND));

        assertThat(result.changed()).isFalse();
        assertThat(result.current()).isEqualTo(TARGET);
        route53.verify(0, postRequestedFor(urlPathEqualTo(RRSET_PATH + "/")));
    }

    @Test
    void the_same_command_twice_reads_and_changes_route53_once() {
        records(source(SOURCE, 100, 60), target(TARGET, 0, 60));
        changeAccepted("INSYNC");
        DnsSwitch dnsSwitch = new DnsSwitch(provider);
        UUID commandId = UUID.randomUUID();
        FlipRequest request = new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND);

        FlipResult first = dnsSwitch.flip(commandId, request);
        FlipResult second = dnsSwitch.flip(commandId, request);

        assertThat(second).isEqualTo(first);
        route53.verify(1, getRequestedFor(urlPathEqualTo(RRSET_PATH)));
        route53.verify(1, postRequestedFor(urlPathEqualTo(RRSET_PATH + "/")));
    }

    @Test
    void an_invalid_change_batch_reports_route53s_message() {
        records(source(SOURCE, 100, 60), target(TARGET, 0, 60));
        route53.stubFor(post(urlPathEqualTo(RRSET_PATH + "/")).willReturn(xml(400, Route53Xml.errorResponse(
                "InvalidChangeBatch", "[RRSet with DNS name db.cutover.example., type CNAME, SetIdentifier target cannot"
                        + " be created as weighted sets must have the same type]"))));

        assertThatThrownBy(() -> provider.flip(new FlipRequest(DB, SOURCE, DnsTarget.parse("pg.cutover.example"), ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .hasMessageContaining("Route53 rejected the change batch")
                .extracting(e -> ((DnsFailureException) e).failure())
                .asInstanceOf(type(DnsFailure.InvalidChangeBatch.class))
                .satisfies(invalid -> {
                    assertThat(invalid.messages()).singleElement().asString()
                            .contains("weighted sets must have the same type");
                    assertThat(invalid.retryable()).isFalse();
                });
    }

    @Test
    void the_older_invalid_change_batch_body_with_one_message_per_problem_is_understood_too() {
        records(source(SOURCE, 100, 60), target(TARGET, 0, 60));
        route53.stubFor(post(urlPathEqualTo(RRSET_PATH + "/")).willReturn(xml(400, Route53Xml.invalidChangeBatch(
                "Tried to create resource record set [name='db.cutover.example.', type='A', set-identifier='target'] but it already exists",
                "RRSet with DNS name db.cutover.example. is not permitted in zone cutover.example."))));

        assertThatThrownBy(() -> provider.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .extracting(e -> ((DnsFailureException) e).failure())
                .isEqualTo(new DnsFailure.InvalidChangeBatch(List.of(
                        "Tried to create resource record set [name='db.cutover.example.', type='A', set-identifier='target'] but it already exists",
                        "RRSet with DNS name db.cutover.example. is not permitted in zone cutover.example.")));
    }

    @Test
    void throttling_is_retried_with_exponential_backoff_until_the_change_goes_through() {
        records(source(SOURCE, 100, 60), target(TARGET, 0, 60));
        route53.stubFor(post(urlPathEqualTo(RRSET_PATH + "/")).inScenario("throttled").whenScenarioStateIs(STARTED)
                .willReturn(xml(400, Route53Xml.errorResponse("Throttling", "Rate exceeded"))).willSetStateTo("busy"));
        route53.stubFor(post(urlPathEqualTo(RRSET_PATH + "/")).inScenario("throttled").whenScenarioStateIs("busy")
                .willReturn(xml(400, Route53Xml.errorResponse("PriorRequestNotComplete",
                        "The request was rejected because Route 53 was still processing a prior request.")))
                .willSetStateTo("free"));
        route53.stubFor(post(urlPathEqualTo(RRSET_PATH + "/")).inScenario("throttled").whenScenarioStateIs("free")
                .willReturn(xml(200, Route53Xml.changeResourceRecordSetsResponse(CHANGE_ID, "INSYNC"))));

        FlipResult result = provider.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND));

        assertThat(result.changeId()).contains(CHANGE_ID);
        route53.verify(3, postRequestedFor(urlPathEqualTo(RRSET_PATH + "/")));
        assertThat(time.pauses()).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void throttling_past_the_budget_fails_as_throttled() {
        records(source(SOURCE, 100, 60), target(TARGET, 0, 60));
        route53.stubFor(post(urlPathEqualTo(RRSET_PATH + "/"))
                .willReturn(xml(400, Route53Xml.errorResponse("Throttling", "Rate exceeded"))));

        assertThatThrownBy(() -> provider.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .extracting(e -> ((DnsFailureException) e).failure())
                .isEqualTo(new DnsFailure.Throttled(6, Duration.ofMillis(200 + 400 + 800 + 1600 + 3200)));
        route53.verify(6, postRequestedFor(urlPathEqualTo(RRSET_PATH + "/")));
        assertThat(time.pauses()).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800), Duration.ofMillis(1600), Duration.ofMillis(3200));
    }

    @Test
    void a_change_that_never_reaches_insync_times_out() {
        records(source(SOURCE, 100, 60), target(TARGET, 0, 60));
        changeAccepted("PENDING");
        route53.stubFor(get(urlPathEqualTo(CHANGE_PATH)).willReturn(xml(200, Route53Xml.getChangeResponse(CHANGE_ID, "PENDING"))));
        Route53Settings defaults = Route53Settings.of(ZONE_ID);
        Route53Provider patient = providerWith(new Route53Settings(ZONE_ID, defaults.region(), defaults.endpoint(),
                "source", "target", 100, defaults.pollInterval(), Duration.ofSeconds(2), defaults.throttleAttempts(),
                defaults.throttleBackoff(), defaults.throttleMaxBackoff(), defaults.apiTimeout()));

        assertThatThrownBy(() -> patient.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .hasMessageContaining("wait for Route53 change " + CHANGE_ID + " to reach INSYNC")
                .extracting(e -> ((DnsFailureException) e).failure())
                .asInstanceOf(type(DnsFailure.TimedOut.class))
                .satisfies(timedOut -> assertThat(timedOut.after()).isEqualTo(Duration.ofSeconds(2)));
        route53.verify(8, getRequestedFor(urlPathEqualTo(CHANGE_PATH)));
        patient.close();
    }

    @Test
    void refused_credentials_fail_as_not_authorized() {
        route53.stubFor(get(urlPathEqualTo(RRSET_PATH)).willReturn(xml(403, Route53Xml.errorResponse("AccessDenied",
                "User: arn:aws:iam::123456789012:user/cutover is not authorized to perform: route53:ListResourceRecordSets"))));

        assertThatThrownBy(() -> provider.flip(new FlipRequest(DB, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .hasMessageContaining("check the AWS credentials")
                .extracting(e -> ((DnsFailureException) e).failure())
                .isInstanceOf(DnsFailure.NotAuthorized.class);
    }

    @Test
    void the_ttl_is_changed_on_both_sides_and_the_weights_are_kept() {
        records(source(SOURCE, 100, 300), target(TARGET, 0, 300));
        changeAccepted("INSYNC");

        TtlResult lowered = provider.setTtl(DB, ONE_SECOND);

        assertThat(lowered.previousTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(lowered.before()).isEqualTo(DnsAnswer.of(SOURCE, Duration.ofSeconds(300)));
        assertThat(onlyChangeBatchSent().changes()).containsExactly(
                new SentChange("UPSERT", NAME, "A", "source", 100, 1, List.of("10.0.0.2")),
                new SentChange("UPSERT", NAME, "A", "target", 0, 1, List.of("10.0.0.3")));
    }

    @Test
    void a_change_that_would_leave_every_weight_at_zero_is_never_sent() {
        records(source(SOURCE, 0, 300), target(TARGET, 0, 300));

        assertThatThrownBy(() -> provider.setTtl(DB, ONE_SECOND))
                .isInstanceOf(DnsFailureException.class)
                .hasMessageContaining("would set every weighted record of db.cutover.example. to weight 0")
                .extracting(e -> ((DnsFailureException) e).failure())
                .isInstanceOf(DnsFailure.Rejected.class);
        route53.verify(0, postRequestedFor(urlPathEqualTo(RRSET_PATH + "/")));
    }

    @Test
    void settings_refuse_an_active_weight_of_zero() {
        Route53Settings defaults = Route53Settings.of(ZONE_ID);

        assertThatThrownBy(() -> new Route53Settings(defaults.hostedZoneId(), defaults.region(), defaults.endpoint(),
                "source", "target", 0, defaults.pollInterval(), defaults.changeTimeout(), defaults.throttleAttempts(),
                defaults.throttleBackoff(), defaults.throttleMaxBackoff(), defaults.apiTimeout()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would take the name out of DNS");
    }

    @Test
    void the_current_answer_is_the_side_that_carries_weight() {
        records(source(SOURCE, 0, 1), target(TARGET, 100, 1));

        assertThat(provider.current(DB)).contains(DnsAnswer.of(TARGET, ONE_SECOND));
    }

    @Test
    void the_record_sets_are_read_from_the_database_name_on() {
        records(source(SOURCE, 100, 60), target(TARGET, 0, 60));

        provider.current(DB);

        LoggedRequest list = route53.findAll(getRequestedFor(urlPathEqualTo(RRSET_PATH))).getFirst();
        assertThat(list.queryParameter("name").firstValue()).isEqualTo(NAME);
        assertThat(list.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDCUTOVERTEST/");
    }

    private Route53Provider providerWith(Route53Settings settings) {
        return Route53Provider.create(settings.withEndpoint(URI.create(route53.baseUrl())),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCUTOVERTEST", "not-a-real-secret")), time);
    }

    private void records(WeightedSet... sets) {
        route53.stubFor(get(urlPathEqualTo(RRSET_PATH))
                .willReturn(xml(200, Route53Xml.listResourceRecordSetsResponse(sets))));
    }

    private void changeAccepted(String status) {
        route53.stubFor(post(urlPathEqualTo(RRSET_PATH + "/"))
                .willReturn(xml(200, Route53Xml.changeResourceRecordSetsResponse(CHANGE_ID, status))));
        route53.stubFor(get(urlPathEqualTo(CHANGE_PATH))
                .atPriority(10)
                .willReturn(xml(200, Route53Xml.getChangeResponse(CHANGE_ID, "INSYNC"))));
    }

    private SentBatch onlyChangeBatchSent() {
        List<LoggedRequest> posts = route53.findAll(postRequestedFor(urlPathEqualTo(RRSET_PATH + "/")));
        assertThat(posts).hasSize(1);
        return Route53Xml.parseChangeRequest(posts.getFirst().getBodyAsString());
    }

    private static WeightedSet source(DnsTarget value, long weight, long ttl) {
        return new WeightedSet(NAME, "A", "source", weight, ttl, value.value());
    }

    private static WeightedSet target(DnsTarget value, long weight, long ttl) {
        return new WeightedSet(NAME, "A", "target", weight, ttl, value.value());
    }

    private static ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body);
    }
}
