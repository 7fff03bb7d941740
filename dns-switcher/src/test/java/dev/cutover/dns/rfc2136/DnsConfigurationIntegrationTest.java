package dev.cutover.dns.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.dns.DnsAnswer;
import dev.cutover.dns.DnsProvider;
import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsSwitch;
import dev.cutover.dns.DnsTarget;
import dev.cutover.dns.config.DnsConfiguration;
import dev.cutover.dns.route53.Route53Provider;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The dns.* settings build a working provider, or fail start-up with a message that says what to set. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DnsConfigurationIntegrationTest {

    private final BindFixture bind = BindFixture.shared();
    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(DnsConfiguration.class);

    @Test
    void rfc2136_settings_build_a_provider_that_reads_the_real_server() {
        DnsRecordName db = bind.freshName("db");
        bind.put(db, DnsTarget.parse("127.0.0.2"), Duration.ofSeconds(1));

        context.withPropertyValues("dns.provider=rfc2136", "dns.rfc2136.host=" + bind.host(),
                        "dns.rfc2136.port=" + bind.port(), "dns.rfc2136.zone=cutover.test",
                        "dns.rfc2136.key-name=" + bind.keyName(),
                        "dns.rfc2136.secret-file=" + bind.secretFile())
                .run(started -> {
                    assertThat(started).hasNotFailed().hasSingleBean(DnsSwitch.class);
                    assertThat(started.getBean(DnsProvider.class).current(db))
                            .contains(DnsAnswer.of(DnsTarget.parse("127.0.0.2"), Duration.ofSeconds(1)));
                });
    }

    @Test
    void route53_settings_build_the_route53_provider() {
        context.withPropertyValues("dns.provider=route53", "dns.route53.hosted-zone-id=Z0CUTOVER0TEST",
                        "dns.route53.endpoint=http://127.0.0.1:9")
                .run(started -> assertThat(started).hasNotFailed().getBean(DnsProvider.class).isInstanceOf(Route53Provider.class));
    }

    @Test
    void a_missing_provider_fails_start_up_with_what_to_set() {
        context.run(started -> assertThat(started).hasFailed().getFailure()
                .rootCause().hasMessageContaining("dns.provider is required: rfc2136 (BIND, PowerDNS, ...), route53 or pgbouncer"));
    }

    @Test
    void a_tsig_secret_must_come_from_a_file_or_an_environment_variable() {
        context.withPropertyValues("dns.provider=rfc2136", "dns.rfc2136.host=127.0.0.1", "dns.rfc2136.zone=cutover.test",
                        "dns.rfc2136.key-name=cutover-key")
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("set exactly one of dns.rfc2136.secret-file"));
    }
}
