package dev.cutover.dns.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.dns.DnsAnswer;
import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsSwitcherApplication;
import dev.cutover.dns.DnsTarget;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.DnsTtlChanged;
import dev.cutover.events.FlipDns;
import dev.cutover.events.LowerDnsTtl;
import dev.cutover.events.Metadata;
import dev.cutover.events.StepFailed;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.stack.KafkaBroker;

/** The service as it runs: commands in over a real broker, changes made in a real BIND, events out. */
class DnsCommandsOverKafkaIntegrationTest {

    static KafkaBroker kafka;
    static ConfigurableApplicationContext service;
    static KafkaProbe probe;
    static BindFixture bind = BindFixture.shared();

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.start();
        service = new SpringApplicationBuilder(DnsSwitcherApplication.class).properties(Map.of(
                "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "server.port", "0",
                "dns.provider", "rfc2136",
                "dns.rfc2136.host", bind.host(),
                "dns.rfc2136.port", String.valueOf(bind.port()),
                "dns.rfc2136.zone", BindFixture.ZONE,
                "dns.rfc2136.key-name", bind.keyName(),
                "dns.rfc2136.secret-file", bind.secretFile().toString())).run();
        probe = new KafkaProbe(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        probe.close();
        service.close();
        kafka.close();
    }

    @Test
    void flipDnsIsAnsweredWithDnsFlippedOnceTheServerAnswersTheNewAddress() {
        FlipDns flip = flipOfANameThatPointsAt("127.0.0.2");

        probe.send(flip);
        DnsFlipped flipped = probe.awaitAnswer(DnsFlipped.class, flip.getMetadata().getMessageId(), Duration.ofSeconds(30));

        assertThat(flipped.getPrevious()).isEqualTo("127.0.0.2");
        assertThat(flipped.getCurrent()).isEqualTo("127.0.0.3");
        assertThat(flipped.getTtlSeconds()).isEqualTo(1);
        assertThat(flipped.getMetadata().getCutoverId()).isEqualTo(flip.getMetadata().getCutoverId());
    }

    @Test
    void aFlipFromAnAddressTheNameDoesNotHaveIsAnsweredWithStepFailed() {
        FlipDns flip = flipOfANameThatPointsAt("127.0.0.9");

        probe.send(flip);
        StepFailed failed = probe.awaitAnswer(StepFailed.class, flip.getMetadata().getMessageId(), Duration.ofSeconds(30));

        assertThat(failed.getStep()).isEqualTo("FlipDns");
        assertThat(failed.getReason()).contains("127.0.0.2").contains("127.0.0.9");
    }

    @Test
    void aFlipTheSagaGaveUpLongAgoIsRefusedAndTheNameIsLeftAlone() {
        FlipDns flip = flipOfANameThatPointsAt("127.0.0.2");
        flip.setMetadata(Metadata.newBuilder(flip.getMetadata())
                .setOccurredAt(Instant.now().minus(Duration.ofMinutes(3))).build());

        probe.send(flip);
        StepFailed failed = probe.awaitAnswer(StepFailed.class, flip.getMetadata().getMessageId(), Duration.ofSeconds(30));

        assertThat(failed.getStep()).isEqualTo("FlipDns");
        assertThat(failed.getReason()).contains("dns.overtaken-after").contains("was not changed");
        assertThat(new Rfc2136Provider(bind.settings()).current(DnsRecordName.of(flip.getRecord())))
                .contains(DnsAnswer.of(DnsTarget.parse("127.0.0.2"), Duration.ofSeconds(1)));
    }

    /** A flip from 127.0.0.2 to 127.0.0.3 of a fresh name that points at {@code current} now. */
    private static FlipDns flipOfANameThatPointsAt(String current) {
        DnsRecordName record = bind.freshName("db");
        bind.put(record, DnsTarget.parse(current), Duration.ofSeconds(1));
        return FlipDns.newBuilder()
                .setMetadata(KafkaProbe.metadata("app", "cutover-" + UUID.randomUUID(), null))
                .setRecord(record.value())
                .setExpectedTarget("127.0.0.2")
                .setNewTarget("127.0.0.3")
                .setTtlSeconds(1)
                .build();
    }

    @Test
    void lowerDnsTtlReportsThePreviousTtlSoItCanBeRestored() {
        DnsRecordName record = bind.freshName("db");
        bind.put(record, DnsTarget.parse("127.0.0.2"), Duration.ofSeconds(300));
        LowerDnsTtl lower = LowerDnsTtl.newBuilder()
                .setMetadata(KafkaProbe.metadata("app", "cutover-" + UUID.randomUUID(), null))
                .setRecord(record.value())
                .setTtlSeconds(1)
                .build();

        probe.send(lower);
        DnsTtlChanged changed = probe.awaitAnswer(DnsTtlChanged.class, lower.getMetadata().getMessageId(),
                Duration.ofSeconds(30));

        assertThat(changed.getPreviousTtlSeconds()).isEqualTo(300);
        assertThat(changed.getTtlSeconds()).isEqualTo(1);
    }
}
