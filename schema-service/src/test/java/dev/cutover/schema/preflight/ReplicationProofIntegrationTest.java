package dev.cutover.schema.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.Replication;
import dev.cutover.platform.database.WarmConnections;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.section.CutoverSchema;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * Replication a team created by hand (a publication of its own tables, a subscription on the target), and what the
 * cutover's preflight makes of it before anything disruptive happens.
 */
@ExtendWith(SharedStackExtension.class)
class ReplicationProofIntegrationTest {

    private static final Duration ROUND_TRIP = Duration.ofSeconds(10);

    /** Subscriptions made by hand, dropped after each test with their slots, which the shared source would keep. */
    private final List<Endpoint> subscribed = new java.util.ArrayList<>();

    @AfterEach
    void dropSubscriptions() {
        for (Endpoint target : subscribed) {
            TestDatabases.execute(target, "DROP SUBSCRIPTION " + target.database() + "_sub");
        }
    }

    @Test
    void adoptedReplicationGetsCutoversTablesAndCarriesACanaryToTheTarget(LocalStack stack) {
        DatabasePair pair = replicatedByHand(stack, "proof_adopted");
        Replication adopted = new Replication("proof_adopted_pub", null, "proof_adopted_sub", true).resolve("proof_adopted");

        List<Finding> findings = new ReplicationProof(ROUND_TRIP).prove(pair, "proof_adopted", adopted);

        assertThat(findings).isEmpty();
        assertThat(TestDatabases.strings(pair.source(), "SELECT schemaname || '.' || tablename FROM pg_publication_tables"
                + " WHERE pubname = 'proof_adopted_pub' ORDER BY 1"))
                .containsExactly("cutover.canary", "cutover.heartbeat", "public.items");
        assertThat(TestDatabases.number(pair.target(), "SELECT count(*) FROM pg_subscription_rel r JOIN pg_subscription s"
                + " ON s.oid = r.srsubid WHERE s.subname = 'proof_adopted_sub'")).isEqualTo(3);
        assertThat(TestDatabases.number(pair.source(), "SELECT count(*) FROM cutover.canary")).as("the proof's row is gone")
                .isZero();
    }

    @Test
    void aHeartbeatWrittenAcrossTheAdoptionStillReachesTheTargetAfterwards(LocalStack stack) throws Exception {
        DatabasePair pair = replicatedByHand(stack, "proof_beating");
        Replication adopted = new Replication("proof_beating_pub", null, "proof_beating_sub", true).resolve("proof_beating");
        try (Connection beating = pair.source().connect()) {
            CutoverSchema.install(beating);
            beating.setAutoCommit(false);
            // lag-monitor's beat, open while the preflight adds cutover's tables to the team's publication.
            beat(beating, 1);

            CompletableFuture<List<Finding>> proving = CompletableFuture.supplyAsync(
                    () -> new ReplicationProof(ROUND_TRIP).prove(pair, "proof_beating", adopted));
            await().atMost(ROUND_TRIP).until(() -> TestDatabases.number(pair.source(), "SELECT count(*) FROM"
                    + " pg_publication_tables WHERE pubname = 'proof_beating_pub' AND tablename = 'heartbeat'") == 1);
            beat(beating, 2);
            beating.commit();

            assertThat(proving.get()).isEmpty();
            beating.setAutoCommit(true);
            beat(beating, 3);
        }

        await().atMost(ROUND_TRIP).until(() -> TestDatabases.number(pair.target(),
                "SELECT count(*) FROM cutover.heartbeat WHERE id = 3") == 1);
    }

    private static void beat(Connection connection, int id) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO cutover.heartbeat (id, beat_at) VALUES (" + id + ", now())"
                    + " ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at");
        }
    }

    @Test
    void withoutAdoptionAPublicationLackingTheCanaryIsABlockerSayingWhatToAddAndNothingIsChanged(LocalStack stack) {
        DatabasePair pair = replicatedByHand(stack, "proof_foreign");
        Replication foreign = new Replication("proof_foreign_pub", null, "proof_foreign_sub", false).resolve("proof_foreign");

        List<Finding> findings = new ReplicationProof(ROUND_TRIP).prove(pair, "proof_foreign", foreign);

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(finding.check()).isEqualTo("replication_canary");
            assertThat(finding.object()).isEqualTo("proof_foreign_pub");
            assertThat(finding.remedy())
                    .contains("ALTER PUBLICATION proof_foreign_pub ADD TABLE cutover.canary, cutover.heartbeat")
                    .contains("ALTER SUBSCRIPTION proof_foreign_sub REFRESH PUBLICATION WITH (copy_data = false)")
                    .contains("cutover.databases.proof_foreign.replication.adopted=true");
        });
        assertThat(TestDatabases.strings(pair.source(), "SELECT schemaname || '.' || tablename FROM pg_publication_tables"
                + " WHERE pubname = 'proof_foreign_pub'")).containsExactly("public.items");
    }

    @Test
    void aCanaryThatDoesNotArriveIsABlockerNamingTheSubscription(LocalStack stack) {
        DatabasePair pair = replicatedByHand(stack, "proof_stalled");
        // Published on the source, but the subscription is never refreshed: it does not apply the canary's rows.
        TestDatabases.execute(pair.source(), "CREATE SCHEMA IF NOT EXISTS cutover",
                "CREATE TABLE cutover.canary (token text PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE cutover.heartbeat (id int PRIMARY KEY, beat_at timestamptz NOT NULL)",
                "ALTER PUBLICATION proof_stalled_pub ADD TABLE cutover.canary, cutover.heartbeat");
        Replication adopted = new Replication("proof_stalled_pub", null, "proof_stalled_sub", false).resolve("proof_stalled");

        List<Finding> findings = new ReplicationProof(Duration.ofMillis(500)).prove(pair, "proof_stalled", adopted);

        assertThat(findings).extracting(Finding::check, Finding::object)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("replication_canary", "proof_stalled_sub"));
        assertThat(findings.getFirst().message()).contains("did not arrive on the target within 500 ms");
    }

    @Test
    void aDisabledSubscriptionIsABlockerSayingHowToEnableIt(LocalStack stack) {
        DatabasePair pair = replicatedByHand(stack, "proof_disabled");
        TestDatabases.execute(pair.target(), "ALTER SUBSCRIPTION proof_disabled_sub DISABLE");
        Replication adopted = new Replication("proof_disabled_pub", null, "proof_disabled_sub", true)
                .resolve("proof_disabled");

        List<Finding> findings = new ReplicationProof(ROUND_TRIP).prove(pair, "proof_disabled", adopted);

        assertThat(findings).extracting(Finding::check).containsExactly("replication_subscription");
        assertThat(findings.getFirst().remedy()).contains("ALTER SUBSCRIPTION proof_disabled_sub ENABLE");
    }

    @Test
    void aSubscriptionThatIsNotThereIsABlockerSayingWhichSettingNamesIt(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "proof_missing", List.of());
        Replication wrong = new Replication("nobody_pub", null, "nobody_sub", true).resolve("proof_missing");

        List<Finding> findings = new ReplicationProof(ROUND_TRIP).prove(pair, "proof_missing", wrong);

        assertThat(findings).extracting(Finding::check).containsExactly("replication_subscription");
        assertThat(findings.getFirst().remedy()).contains("cutover.databases.proof_missing.replication.subscription");
    }

    @Test
    void cutoversOwnSubscriptionNotThereIsABlockerNamingAMigrationNotReadyAndACutoverDoneBeforeAnySetting(
            LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "proof_unmigrated", List.of());
        Replication managed = Replication.unset().resolve("proof_unmigrated");

        List<Finding> findings = new ReplicationProof(ROUND_TRIP).prove(pair, "proof_unmigrated", managed);

        assertThat(findings).extracting(Finding::check).containsExactly("replication_subscription");
        assertThat(findings.getFirst().remedy())
                .startsWith("cutover's own subscription exists once a migration of proof_unmigrated streams")
                .contains("wait until `cutoverctl migrate watch` says ready")
                .contains("was cut over already, that cutover's tidy-up dropped it")
                .endsWith("adopt that replication (cutover.databases.proof_unmigrated.replication.adopted,"
                        + " .subscription, .publication)");
    }

    @Test
    void theCutoversPreflightProvesTheReplicationBesideTheFactsEachOnItsOwnLoginsKeptForTheNextCutover(LocalStack stack) {
        DatabasePair pair = replicatedByHand(stack, "proof_beside", List.of("proof_beside_app"));
        TestDatabases.execute(pair.source(), "CREATE ROLE proof_beside_app");
        TestDatabases.execute(pair.target(), "CREATE ROLE proof_beside_app NOLOGIN", "ANALYZE public.items");
        Replication adopted = new Replication("proof_beside_pub", null, "proof_beside_sub", true).resolve("proof_beside");
        try (WarmConnections facts = new WarmConnections();
                CutoverPreflight preflight = new CutoverPreflight(new PreflightChecker(new PgTools(null,
                        Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"), Duration.ofMinutes(1)),
                        Duration.ofMinutes(5), facts), ROUND_TRIP)) {

            CutoverPreflight.Result first = preflight.run(pair, "proof_beside", adopted);
            List<String> sourceSessions = sessions(pair.source());
            List<String> targetSessions = sessions(pair.target());
            CutoverPreflight.Result second = preflight.run(pair, "proof_beside", adopted);

            assertThat(first.findings()).isEmpty();
            assertThat(second.findings()).isEmpty();
            assertThat(sourceSessions).as("one login for the facts, one for the proof").hasSize(2)
                    .isEqualTo(sessions(pair.source()));
            assertThat(targetSessions).as("one login for the facts, one for the proof").hasSize(2)
                    .isEqualTo(sessions(pair.target()));
        }
        assertThat(TestDatabases.number(pair.source(), "SELECT count(*) FROM cutover.canary")).as("the proofs' rows are gone")
                .isZero();
    }

    @Test
    void theCutoversPreflightReportsTheProofsBlockerWithTheFactsFindings(LocalStack stack) {
        DatabasePair pair = replicatedByHand(stack, "proof_blocked", List.of("proof_blocked_app"));
        // On the target only: the facts find the role missing on the source.
        TestDatabases.execute(pair.target(), "CREATE ROLE proof_blocked_app NOLOGIN");
        Replication foreign = new Replication("proof_blocked_pub", null, "proof_blocked_sub", false).resolve("proof_blocked");
        try (WarmConnections facts = new WarmConnections();
                CutoverPreflight preflight = new CutoverPreflight(new PreflightChecker(new PgTools(null,
                        Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"), Duration.ofMinutes(1)),
                        Duration.ofMinutes(5), facts), ROUND_TRIP)) {

            List<Finding> findings = preflight.run(pair, "proof_blocked", foreign).findings();

            assertThat(findings).extracting(Finding::check).contains("replication_canary");
            assertThat(findings).filteredOn(finding -> !finding.check().equals("replication_canary"))
                    .as("the facts' findings").isNotEmpty();
        }
    }

    /** The service's sessions on the endpoint's database, by server process id. */
    private static List<String> sessions(Endpoint endpoint) {
        return TestDatabases.strings(endpoint, "SELECT pid FROM pg_stat_activity WHERE application_name = 'cutover'"
                + " AND datname = current_database() AND pid <> pg_backend_pid()");
    }

    /** A table replicated by a publication and a subscription made by hand, as a team does without cutover. */
    private DatabasePair replicatedByHand(LocalStack stack, String name) {
        return replicatedByHand(stack, name, List.of());
    }

    private DatabasePair replicatedByHand(LocalStack stack, String name, List<String> appRoles) {
        DatabasePair pair = TestDatabases.create(stack, name, appRoles);
        for (Endpoint side : List.of(pair.source(), pair.target())) {
            TestDatabases.execute(side, "CREATE TABLE public.items (id int PRIMARY KEY, name text)");
        }
        Endpoint source = pair.source();
        TestDatabases.execute(source, "CREATE PUBLICATION " + name + "_pub FOR TABLE public.items");
        TestDatabases.execute(pair.target(), "CREATE SUBSCRIPTION " + name + "_sub CONNECTION 'host=" + source.host()
                + " port=" + source.port() + " dbname=" + name + " user=" + source.user() + " password="
                + source.resolvePassword() + "' PUBLICATION " + name + "_pub");
        subscribed.add(pair.target());
        return pair;
    }
}
