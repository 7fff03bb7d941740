package dev.cutover.dns.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.dns.DnsSwitcherApplication;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.DnsReverted;
import dev.cutover.events.FlipDns;
import dev.cutover.events.PgBouncerResumed;
import dev.cutover.events.StepFailed;
import dev.cutover.events.RevertDns;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.TargetOpened;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.stack.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service with {@code dns.provider=pgbouncer} as it runs: FlipDns, RevertDns, TargetOpened and SourceRestored in
 * over a real broker, a real PgBouncer paused, repointed and resumed, DnsFlipped, DnsReverted and PgBouncerResumed out.
 */
class PgBouncerCommandsOverKafkaIntegrationTest {

    static PgBouncerFixture servers;
    static KafkaBroker kafka;
    static ConfigurableApplicationContext service;
    static KafkaProbe probe;

    @BeforeAll
    static void start() throws Exception {
        servers = PgBouncerFixture.withInstances(1);
        kafka = KafkaBroker.start();
        Path password = Files.createTempFile("pgbouncer-admin", ".secret");
        password.toFile().deleteOnExit();
        Files.writeString(password, PgBouncerFixture.ADMIN_PASSWORD + "\n");
        String instance = "dns.pgbouncer.databases." + servers.database + ".instances[0].";
        service = new SpringApplicationBuilder(DnsSwitcherApplication.class).properties(Map.of(
                "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "server.port", "0",
                "dns.provider", "pgbouncer",
                "dns.pgbouncer.admin-user", servers.pgbouncers.getFirst().adminUser(),
                "dns.pgbouncer.password-file", password.toString(),
                "dns.pgbouncer.databases." + servers.database + ".database", PgBouncerFixture.ENTRY,
                instance + "admin", servers.instance(0).admin().toString(),
                instance + "databases-file", servers.instance(0).databasesFile().toString())).run();
        probe = new KafkaProbe(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        probe.close();
        service.close();
        kafka.close();
        servers.close();
    }

    @Test
    void flipDnsHoldsTheClientsAndTargetOpenedResumesThemOnTheTarget() throws Exception {
        String cutover = "cutover-" + UUID.randomUUID();
        FlipDns flip = flip(cutover, servers.source.toString(), servers.target.toString());

        probe.send(flip);
        DnsFlipped flipped = probe.awaitAnswer(DnsFlipped.class, flip.getMetadata().getMessageId(), Duration.ofSeconds(30));

        assertThat(flipped.getPrevious()).isEqualTo(servers.source.toString());
        assertThat(flipped.getCurrent()).isEqualTo(servers.target.toString());
        assertThat(servers.entry(0)).isEqualTo(new AdminConsole.Entry(servers.source, true));
        assertThat(DatabasesFile.server(servers.instance(0).databasesFile(), PgBouncerFixture.ENTRY)).contains(servers.target);

        TargetOpened opened = TargetOpened.newBuilder()
                .setMetadata(KafkaProbe.metadata(servers.database, cutover, null))
                .setRoles(List.of("app"))
                .build();
        probe.send(opened);
        PgBouncerResumed resumed = probe.awaitAnswer(PgBouncerResumed.class, opened.getMetadata().getMessageId(),
                Duration.ofSeconds(30));

        assertThat(resumed.getCause()).isEqualTo("TARGET_OPENED");
        assertThat(resumed.getServer()).isEqualTo(servers.target.toString());
        assertThat(resumed.getInstances()).containsExactly(servers.instance(0).admin().toString());
        assertThat(resumed.getHeldMs()).isNotNull();
        assertThat(servers.entry(0).paused()).isFalse();
        try (var client = servers.client(0)) {
            assertThat(PgBouncerFixture.serverOf(client)).isEqualTo("target");
        }
    }

    /**
     * The saga's rollback sends RestoreSource with RevertDns, and the listener reads the fence's SourceRestored (events)
     * and the RevertDns (commands) in either order: the clients go on once both are in, whichever came last.
     */
    @Test
    void aRollbackResumesOnTheSourceWhicheverOfSourceRestoredAndRevertDnsIsReadFirst() throws Exception {
        String cutover = "cutover-" + UUID.randomUUID();
        ServerAddress source = servers.entry(0).server();
        ServerAddress target = source.equals(servers.source) ? servers.target : servers.source;
        FlipDns flip = flip(cutover, source.toString(), target.toString());
        probe.send(flip);
        probe.awaitAnswer(DnsFlipped.class, flip.getMetadata().getMessageId(), Duration.ofSeconds(30));

        SourceRestored restored = SourceRestored.newBuilder()
                .setMetadata(KafkaProbe.metadata(servers.database, cutover, null))
                .setRoles(List.of("app"))
                .build();
        probe.send(restored);
        RevertDns revert = RevertDns.newBuilder()
                .setMetadata(KafkaProbe.metadata(servers.database, cutover, null))
                .setRecord(PgBouncerFixture.ENTRY)
                .setExpectedTarget(target.toString())
                .setNewTarget(source.toString())
                .setTtlSeconds(1)
                .build();
        probe.send(revert);
        DnsReverted reverted = probe.awaitAnswer(DnsReverted.class, revert.getMetadata().getMessageId(), Duration.ofSeconds(30));
        PgBouncerResumed resumed = probe.await(PgBouncerResumed.class,
                event -> cutover.equals(event.getMetadata().getCutoverId()), Duration.ofSeconds(30));

        assertThat(reverted.getCurrent()).isEqualTo(source.toString());
        assertThat(resumed.getCause()).isIn("REVERTED", "SOURCE_RESTORED");
        assertThat(resumed.getServer()).isEqualTo(source.toString());
        assertThat(servers.entry(0)).isEqualTo(new AdminConsole.Entry(source, false));
    }

    @Test
    void aFlipFromAServerTheEntryDoesNotPointAtIsAnsweredWithStepFailed() {
        FlipDns flip = flip("cutover-" + UUID.randomUUID(), "127.0.0.9:5432", "127.0.0.8:5432");

        probe.send(flip);
        StepFailed failed = probe.awaitAnswer(StepFailed.class, flip.getMetadata().getMessageId(), Duration.ofSeconds(30));

        assertThat(failed.getStep()).isEqualTo("FlipDns");
        assertThat(failed.getReason()).contains("not at the expected 127.0.0.9:5432").contains("Nothing was paused");
    }

    private static FlipDns flip(String cutover, String expected, String next) {
        return FlipDns.newBuilder()
                .setMetadata(KafkaProbe.metadata(servers.database, cutover, null))
                .setRecord(PgBouncerFixture.ENTRY)
                .setExpectedTarget(expected)
                .setNewTarget(next)
                .setTtlSeconds(1)
                .build();
    }
}
