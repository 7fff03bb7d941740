package dev.cutover.dns.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.dns.DnsFailureException;
import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsSwitch;
import dev.cutover.dns.DnsTarget;
import dev.cutover.dns.FlipRequest;
import dev.cutover.dns.FlipResult;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The command handler's idempotency over a real BIND. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DnsSwitchIntegrationTest {

    private static final DnsTarget SOURCE = DnsTarget.parse("127.0.0.2");
    private static final DnsTarget TARGET = DnsTarget.parse("127.0.0.3");
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final BindFixture bind = BindFixture.shared();
    private final DnsSwitch dnsSwitch = new DnsSwitch(new Rfc2136Provider(bind.settings()));
    private final DnsRecordName db = bind.freshName("db");

    @Test
    void a_failed_command_is_not_remembered_so_its_retry_tries_again() {
        bind.put(db, DnsTarget.parse("127.0.0.9"), ONE_SECOND);
        UUID commandId = UUID.randomUUID();
        FlipRequest request = new FlipRequest(db, SOURCE, TARGET, ONE_SECOND);
        assertThatThrownBy(() -> dnsSwitch.flip(commandId, request)).isInstanceOf(DnsFailureException.class);
        bind.put(db, SOURCE, ONE_SECOND);

        FlipResult retried = dnsSwitch.flip(commandId, request);

        assertThat(retried.changed()).isTrue();
        assertThat(retried.current()).isEqualTo(TARGET);
    }

    @Test
    void a_command_id_reused_for_another_command_is_refused() {
        bind.put(db, SOURCE, ONE_SECOND);
        UUID commandId = UUID.randomUUID();
        FlipRequest request = new FlipRequest(db, SOURCE, TARGET, ONE_SECOND);
        dnsSwitch.flip(commandId, request);

        assertThatThrownBy(() -> dnsSwitch.revert(commandId, request.reversed()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was already used for FlipDns");
    }

    @Test
    void a_flip_then_a_revert_with_their_own_command_ids_go_there_and_back() {
        bind.put(db, SOURCE, ONE_SECOND);
        FlipRequest request = new FlipRequest(db, SOURCE, TARGET, ONE_SECOND);

        FlipResult flipped = dnsSwitch.flip(UUID.randomUUID(), request);
        FlipResult reverted = dnsSwitch.revert(UUID.randomUUID(), request.reversed());

        assertThat(flipped.current()).isEqualTo(TARGET);
        assertThat(reverted.previous()).isEqualTo(TARGET);
        assertThat(reverted.current()).isEqualTo(SOURCE);
    }
}
