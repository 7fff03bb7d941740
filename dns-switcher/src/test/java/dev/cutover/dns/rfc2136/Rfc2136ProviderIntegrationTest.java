package dev.cutover.dns.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.cutover.dns.DnsAnswer;
import dev.cutover.dns.DnsFailure;
import dev.cutover.dns.DnsFailureException;
import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsSwitch;
import dev.cutover.dns.DnsTarget;
import dev.cutover.dns.FlipRequest;
import dev.cutover.dns.FlipResult;
import dev.cutover.dns.Timekeeper;
import dev.cutover.dns.TtlResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RFC 2136 provider against a real BIND 9. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Rfc2136ProviderIntegrationTest {

    private static final DnsTarget SOURCE = DnsTarget.parse("127.0.0.2");
    private static final DnsTarget TARGET = DnsTarget.parse("127.0.0.3");
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final BindFixture bind = BindFixture.shared();
    private final Rfc2136Provider provider = new Rfc2136Provider(bind.settings());
    private final DnsRecordName db = bind.freshName("db");

    @Test
    void a_flip_points_the_name_at_the_target_and_the_server_answers_it() {
        bind.put(db, SOURCE, ONE_SECOND);

        FlipResult result = provider.flip(new FlipRequest(db, SOURCE, TARGET, ONE_SECOND));

        assertThat(result.previous()).isEqualTo(SOURCE);
        assertThat(result.current()).isEqualTo(TARGET);
        assertThat(result.changeId()).hasValueSatisfying(id -> assertThat(id).startsWith("cutover.test. serial "));
        assertThat(result.effectiveTime()).isPositive().isLessThan(Duration.ofSeconds(5));
        assertThat(provider.current(db)).contains(DnsAnswer.of(TARGET, ONE_SECOND));
    }

    @Test
    void a_revert_points_the_name_back_at_the_source() {
        bind.put(db, SOURCE, ONE_SECOND);
        FlipRequest flip = new FlipRequest(db, SOURCE, TARGET, ONE_SECOND);
        provider.flip(flip);

        FlipResult reverted = provider.flip(flip.reversed());

        assertThat(reverted.previous()).isEqualTo(TARGET);
        assertThat(reverted.current()).isEqualTo(SOURCE);
        assertThat(provider.current(db)).contains(DnsAnswer.of(SOURCE, ONE_SECOND));
    }

    @Test
    void the_ttl_is_lowered_before_a_cutover_and_restored_after_it() {
        bind.put(db, SOURCE, Duration.ofSeconds(300));
        DnsSwitch dnsSwitch = new DnsSwitch(provider);

        TtlResult lowered = dnsSwitch.lowerTtl(UUID.randomUUID(), db, ONE_SECOND);
        assertThat(lowered.previousTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(provider.current(db)).contains(DnsAnswer.of(SOURCE, ONE_SECOND));

        dnsSwitch.flip(UUID.randomUUID(), new FlipRequest(db, SOURCE, TARGET, ONE_SECOND));
        TtlResult restored = dnsSwitch.restoreTtl(UUID.randomUUID(), db, lowered.previousTtl());

        assertThat(restored.previousTtl()).isEqualTo(ONE_SECOND);
        assertThat(restored.changed()).isTrue();
        assertThat(provider.current(db)).contains(DnsAnswer.of(TARGET, Duration.ofSeconds(300)));
    }

    @Test
    void a_ttl_already_in_place_is_not_changed_again() {
        bind.put(db, SOURCE, ONE_SECOND);

        TtlResult result = provider.setTtl(db, ONE_SECOND);

        assertThat(result.changed()).isFalse();
        assertThat(result.before()).isEqualTo(DnsAnswer.of(SOURCE, ONE_SECOND));
    }

    @Test
    void a_wrong_secret_is_refused_as_not_authorized_and_the_name_is_unchanged(@TempDir Path dir) throws IOException {
        bind.put(db, SOURCE, ONE_SECOND);
        Path wrongSecret = Files.writeString(dir.resolve("wrong.secret"),
                Base64.getEncoder().encodeToString("not the key BIND has, 32 bytes!!".getBytes()));
        Rfc2136Settings settings = bind.settings();
        Rfc2136Provider wrongKey = new Rfc2136Provider(new Rfc2136Settings(settings.host(), settings.port(),
                settings.zone(), settings.keyName(), settings.algorithm(), new TsigSecretSource.File(wrongSecret),
                settings.timeout(), settings.confirmTimeout(), settings.confirmInterval()));

        assertThatThrownBy(() -> wrongKey.flip(new FlipRequest(db, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .hasMessageContaining("NOTAUTH/BADSIG")
                .hasMessageContaining("check dns.rfc2136.key-name")
                .extracting(e -> ((DnsFailureException) e).failure())
                .isInstanceOf(DnsFailure.NotAuthorized.class);
        assertThat(provider.current(db)).contains(DnsAnswer.of(SOURCE, ONE_SECOND));
    }

    @Test
    void a_key_the_server_does_not_know_is_refused_as_not_authorized() {
        bind.put(db, SOURCE, ONE_SECOND);
        Rfc2136Settings settings = bind.settings();
        Rfc2136Provider unknownKey = new Rfc2136Provider(new Rfc2136Settings(settings.host(), settings.port(),
                settings.zone(), "someone-elses-key", settings.algorithm(), settings.secret(),
                settings.timeout(), settings.confirmTimeout(), settings.confirmInterval()));

        assertThatThrownBy(() -> unknownKey.flip(new FlipRequest(db, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .hasMessageContaining("NOTAUTH/BADKEY")
                .extracting(e -> ((DnsFailureException) e).failure())
                .isInstanceOf(DnsFailure.NotAuthorized.class);
    }

    @Test
    void a_value_changed_behind_our_back_fails_the_compare_and_says_what_is_there() {
        bind.put(db, SOURCE, ONE_SECOND);
        bind.put(db, DnsTarget.parse("127.0.0.9"), Duration.ofSeconds(60));

        assertThatThrownBy(() -> provider.flip(new FlipRequest(db, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .extracting(e -> ((DnsFailureException) e).failure())
                .asInstanceOf(type(DnsFailure.CurrentValueDiffers.class))
                .satisfies(differs -> {
                    assertThat(differs.expected()).isEqualTo("127.0.0.2");
                    assertThat(differs.actual()).isEqualTo("127.0.0.9 (TTL 60 s)");
                });
        assertThat(provider.current(db)).contains(DnsAnswer.of(DnsTarget.parse("127.0.0.9"), Duration.ofSeconds(60)));
    }

    @Test
    void a_missing_record_fails_the_compare() {
        assertThatThrownBy(() -> provider.flip(new FlipRequest(db, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .hasMessageContaining("points at nothing (no A or CNAME record)");
        assertThat(provider.current(db)).isEmpty();
    }

    @Test
    void the_same_command_twice_returns_the_first_result_without_touching_dns() {
        bind.put(db, SOURCE, ONE_SECOND);
        DnsSwitch dnsSwitch = new DnsSwitch(provider);
        UUID commandId = UUID.randomUUID();
        FlipRequest request = new FlipRequest(db, SOURCE, TARGET, ONE_SECOND);
        FlipResult first = dnsSwitch.flip(commandId, request);
        // If the repeat touched DNS, its compare-and-swap would now fail on this value.
        bind.put(db, DnsTarget.parse("127.0.0.9"), ONE_SECOND);

        FlipResult second = dnsSwitch.flip(commandId, request);

        assertThat(second).isEqualTo(first);
        assertThat(provider.current(db)).contains(DnsAnswer.of(DnsTarget.parse("127.0.0.9"), ONE_SECOND));
    }

    @Test
    void a_flip_to_the_state_already_in_place_reports_success_without_a_change() {
        bind.put(db, SOURCE, ONE_SECOND);
        FlipRequest request = new FlipRequest(db, SOURCE, TARGET, ONE_SECOND);
        new DnsSwitch(provider).flip(UUID.randomUUID(), request);

        // A new DnsSwitch is a restarted service: it has forgotten the command id.
        FlipResult repeated = new DnsSwitch(provider).flip(UUID.randomUUID(), request);

        assertThat(repeated.changed()).isFalse();
        assertThat(repeated.current()).isEqualTo(TARGET);
        assertThat(repeated.effectiveTime()).isZero();
        assertThat(provider.current(db)).contains(DnsAnswer.of(TARGET, ONE_SECOND));
    }

    @Test
    void a_cname_is_flipped_from_one_host_to_another() {
        DnsTarget oldHost = DnsTarget.parse("pg-old.cutover.test");
        DnsTarget newHost = DnsTarget.parse("pg-new.cutover.test");
        bind.put(db, oldHost, ONE_SECOND);

        FlipResult result = provider.flip(new FlipRequest(db, oldHost, newHost, ONE_SECOND));

        assertThat(result.current()).isEqualTo(newHost);
        assertThat(provider.current(db)).contains(DnsAnswer.of(newHost, ONE_SECOND));
    }

    @Test
    void a_name_outside_the_zone_is_rejected_before_anything_is_sent() {
        DnsRecordName elsewhere = DnsRecordName.of("db.example.org");

        assertThatThrownBy(() -> provider.flip(new FlipRequest(elsewhere, SOURCE, TARGET, ONE_SECOND)))
                .isInstanceOf(DnsFailureException.class)
                .hasMessageContaining("is outside zone cutover.test.")
                .extracting(e -> ((DnsFailureException) e).failure())
                .isInstanceOf(DnsFailure.Rejected.class);
    }

    @Test
    void a_server_that_does_not_answer_times_out() throws IOException {
        Rfc2136Settings settings = bind.settings();
        int silentPort;
        try (var socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            silentPort = socket.getLocalPort();
            // The socket stays open and never answers: a server that hangs.
            Rfc2136Provider silent = new Rfc2136Provider(new Rfc2136Settings(settings.host(), silentPort,
                    settings.zone(), settings.keyName(), settings.algorithm(), settings.secret(),
                    Duration.ofMillis(300), settings.confirmTimeout(), settings.confirmInterval()));

            assertThatThrownBy(() -> silent.flip(new FlipRequest(db, SOURCE, TARGET, ONE_SECOND)))
                    .isInstanceOf(DnsFailureException.class)
                    .extracting(e -> ((DnsFailureException) e).failure())
                    .asInstanceOf(type(DnsFailure.TimedOut.class))
                    .satisfies(timedOut -> assertThat(timedOut.retryable()).isTrue());
        }
    }

    @Test
    void the_secret_appears_in_no_settings_provider_or_failure_text() {
        bind.put(db, DnsTarget.parse("127.0.0.9"), ONE_SECOND);
        String secret = bind.secret();
        TsigSecret read = bind.settings().secret().read(System::getenv);

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> provider.flip(new FlipRequest(db, SOURCE, TARGET, ONE_SECOND)));

        assertThat(failure).isInstanceOf(DnsFailureException.class);
        assertThat(String.join("\n", bind.settings().toString(), provider.toString(), read.toString(),
                failure.getMessage(), ((DnsFailureException) failure).failure().toString()))
                .doesNotContain(secret)
                .doesNotContain(secret.substring(0, 12));
    }

    @Test
    void the_secret_can_come_from_an_environment_variable() {
        TsigSecretSource source = new TsigSecretSource.EnvironmentVariable("CUTOVER_TSIG_SECRET");

        TsigSecret secret = source.read(name -> name.equals("CUTOVER_TSIG_SECRET") ? bind.secret() : null);
        Rfc2136Settings settings = bind.settings();
        Rfc2136Provider fromEnvironment = new Rfc2136Provider(new Rfc2136Settings(settings.host(), settings.port(),
                settings.zone(), settings.keyName(), settings.algorithm(), source, settings.timeout(),
                settings.confirmTimeout(), settings.confirmInterval()), secret, Timekeeper.system());
        bind.put(db, SOURCE, ONE_SECOND);

        assertThat(fromEnvironment.flip(new FlipRequest(db, SOURCE, TARGET, ONE_SECOND)).changed()).isTrue();
        assertThatThrownBy(() -> source.read(name -> null))
                .hasMessageContaining("CUTOVER_TSIG_SECRET")
                .hasMessageContaining("is not set");
    }
}
