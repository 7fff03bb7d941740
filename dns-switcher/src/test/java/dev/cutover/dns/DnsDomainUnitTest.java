package dev.cutover.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DnsDomainUnitTest {

    @Test
    void a_record_name_is_kept_lower_case_with_the_trailing_dot() {
        assertThat(DnsRecordName.of("DB.Cutover.Test").value()).isEqualTo("db.cutover.test.");
        assertThat(DnsRecordName.of("db.cutover.test.")).isEqualTo(DnsRecordName.of("db.cutover.test"));
    }

    @Test
    void a_record_name_must_be_fully_qualified_and_well_formed() {
        assertThatThrownBy(() -> DnsRecordName.of("db")).hasMessageContaining("not fully qualified");
        assertThatThrownBy(() -> DnsRecordName.of("-db.cutover.test")).hasMessageContaining("invalid label '-db'");
        assertThatThrownBy(() -> DnsRecordName.of("db..test")).hasMessageContaining("invalid label ''");
        assertThatThrownBy(() -> DnsRecordName.of(" ")).hasMessageContaining("is required");
    }

    @Test
    void a_target_is_an_address_or_a_host_name() {
        assertThat(DnsTarget.parse("127.0.0.002")).isEqualTo(new DnsTarget.Ipv4("127.0.0.2"));
        assertThat(DnsTarget.parse("127.0.0.2").type()).isEqualTo(RecordType.A);
        assertThat(DnsTarget.parse("pg-new.cutover.test")).isEqualTo(new DnsTarget.Hostname(DnsRecordName.of("pg-new.cutover.test.")));
        assertThat(DnsTarget.parse("pg-new.cutover.test").type()).isEqualTo(RecordType.CNAME);
        assertThatThrownBy(() -> DnsTarget.parse("127.0.0.256")).hasMessageContaining("256 > 255");
    }

    @Test
    void a_ttl_is_a_whole_number_of_seconds() {
        DnsRecordName db = DnsRecordName.of("db.cutover.test");
        DnsTarget source = DnsTarget.parse("127.0.0.2");
        DnsTarget target = DnsTarget.parse("127.0.0.3");

        assertThatThrownBy(() -> new FlipRequest(db, source, target, Duration.ofMillis(1500)))
                .hasMessageContaining("not a whole number of seconds");
        assertThatThrownBy(() -> new FlipRequest(db, source, target, Duration.ofSeconds(-1)))
                .hasMessageContaining("not a whole number of seconds");
        assertThat(new FlipRequest(db, source, target, Duration.ZERO).reversed())
                .isEqualTo(new FlipRequest(db, target, source, Duration.ZERO));
    }

    @Test
    void an_answer_points_at_a_target_only_when_it_is_the_only_one() {
        DnsTarget source = DnsTarget.parse("127.0.0.2");
        DnsTarget target = DnsTarget.parse("127.0.0.3");

        assertThat(DnsAnswer.of(source, Duration.ofSeconds(1)).pointsAt(source)).isTrue();
        assertThat(new DnsAnswer(List.of(source, target), Duration.ofSeconds(1)).pointsAt(source)).isFalse();
        assertThat(new DnsAnswer(List.of(source, target), Duration.ofSeconds(1)).describe()).isEqualTo("127.0.0.2, 127.0.0.3 (TTL 1 s)");
    }

    @Test
    void every_failure_says_what_to_do_and_whether_a_retry_can_help() {
        DnsRecordName db = DnsRecordName.of("db.cutover.test");
        List<DnsFailure> failures = List.of(
                new DnsFailure.NotAuthorized("127.0.0.1:53", "NOTAUTH/BADSIG", "check dns.rfc2136.key-name and the secret file"),
                new DnsFailure.CurrentValueDiffers(db, "127.0.0.2", "127.0.0.9 (TTL 60 s)"),
                new DnsFailure.InvalidChangeBatch(List.of("weighted sets must have the same type")),
                new DnsFailure.Throttled(6, Duration.ofMillis(6200)),
                new DnsFailure.TimedOut("confirm the new answer", Duration.ofSeconds(10)),
                new DnsFailure.Unreachable("127.0.0.1:53", "connection refused", "check dns.rfc2136.host"),
                new DnsFailure.Rejected("127.0.0.1:53", "NOTZONE", "check dns.rfc2136.zone"),
                new DnsFailure.PauseTimedOut("PgBouncer 127.0.0.1:6432", "app", Duration.ofSeconds(10)));

        for (DnsFailure failure : failures) {
            boolean retryable = switch (failure) {
                case DnsFailure.NotAuthorized notAuthorized -> false;
                case DnsFailure.CurrentValueDiffers differs -> false;
                case DnsFailure.InvalidChangeBatch invalid -> false;
                case DnsFailure.Throttled throttled -> true;
                case DnsFailure.TimedOut timedOut -> true;
                case DnsFailure.Unreachable unreachable -> true;
                case DnsFailure.Rejected rejected -> false;
                case DnsFailure.PauseTimedOut pauseTimedOut -> true;
            };
            assertThat(failure.retryable()).as(failure.toString()).isEqualTo(retryable);
            assertThat(new DnsFailureException(failure)).hasMessage(failure.reason());
        }
        assertThat(failures.getFirst().reason()).isEqualTo(
                "127.0.0.1:53 refused our credentials (NOTAUTH/BADSIG): check dns.rfc2136.key-name and the secret file");
        assertThat(failures.get(1).reason()).startsWith(
                "db.cutover.test. was expected to point at 127.0.0.2 but points at 127.0.0.9 (TTL 60 s): ");
    }
}
