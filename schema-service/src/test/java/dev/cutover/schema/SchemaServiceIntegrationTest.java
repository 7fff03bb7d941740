package dev.cutover.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.events.ApplySchema;
import dev.cutover.events.CheckPreflight;
import dev.cutover.events.FindingSeverity;
import dev.cutover.events.Metadata;
import dev.cutover.events.PlannedTable;
import dev.cutover.events.PreflightReported;
import dev.cutover.events.SchemaApplied;
import dev.cutover.events.SchemaSection;
import dev.cutover.events.SchemaVerified;
import dev.cutover.events.StepFailed;
import dev.cutover.events.VerifySchema;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.schema.testing.Saga;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.SharedStackExtension;

/** The service as deployed: commands from the stack's broker, work on its servers, events back. */
@ExtendWith(SharedStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaServiceIntegrationTest {

    private static final Duration ANSWER = Duration.ofSeconds(60);
    private ConfigurableApplicationContext service;
    private Saga saga;

    @BeforeAll
    void startTheService(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "schema_service", List.of());
        TestDatabases.execute(pair.source(), "CREATE TABLE public.orders (id bigserial PRIMARY KEY, note text)",
                "CREATE TABLE public.audit (at timestamptz, entry text)");
        DatabasePair preCreated = TestDatabases.create(stack, "schema_service_precreated", List.of());
        for (var side : List.of(preCreated.source(), preCreated.target())) {
            TestDatabases.execute(side, "CREATE TABLE public.orders (id bigserial PRIMARY KEY, note text)");
        }
        service = new SpringApplicationBuilder(SchemaServiceApplication.class).properties(Map.of(
                "spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers(),
                "server.port", "0",
                "cutover.schema.work-directory", System.getProperty("java.io.tmpdir") + "/schema-tests")).properties(
                database("shop", "source", stack.source())).properties(database("shop", "target", stack.target()))
                .properties(database("precreated", "source", stack.source()))
                .properties(database("precreated", "target", stack.target())).run();
        saga = new Saga(stack.kafkaBootstrapServers());
    }

    private static Map<String, Object> database(String name, String side, Postgres server) {
        String prefix = "cutover.databases." + name + "." + side + ".";
        String database = name.equals("shop") ? "schema_service" : "schema_service_" + name;
        return Map.of(prefix + "host", server.host(), prefix + "port", server.port(), prefix + "database", database,
                prefix + "user", server.superuser(), prefix + "password", server.password());
    }

    @AfterAll
    void stopTheService() {
        saga.close();
        service.close();
    }

    @Test
    void aPreflightCommandIsAnsweredWithItsFindingsAndARepeatWithTheSameAnswer() {
        Metadata metadata = Saga.metadata("shop");
        CheckPreflight command = CheckPreflight.newBuilder().setMetadata(metadata).setScope("MIGRATION").build();

        saga.send(command, metadata);
        saga.send(command, metadata);

        List<SpecificRecord> answers = await().atMost(ANSWER).until(() -> saga.answersTo(metadata), list -> list.size() == 2);
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
        PreflightReported report = (PreflightReported) answers.getFirst();
        assertThat(report.getBlockers()).isEqualTo(1);
        assertThat(report.getFindings()).singleElement().satisfies(finding -> {
            assertThat(finding.getSeverity()).isEqualTo(FindingSeverity.BLOCKER);
            assertThat(finding.getObject()).isEqualTo("public.audit");
        });
        assertThat(report.getSchemas()).as("what a migration would move").containsExactly("public");
        assertThat(report.getTables()).extracting(PlannedTable::getTable).contains("public.audit", "public.orders");
    }

    @Test
    void preDataIsAppliedVerificationListsTheKeysStillMissingAndPostDataOfTheCopiedTableBuildsThem() {
        Metadata apply = Saga.metadata("shop");
        saga.send(ApplySchema.newBuilder().setMetadata(apply).setSection(SchemaSection.PRE_DATA).build(), apply);

        SchemaApplied applied = (SchemaApplied) await().atMost(ANSWER)
                .until(() -> saga.answersTo(apply), list -> !list.isEmpty()).getFirst();
        assertThat(applied.getSection()).isEqualTo(SchemaSection.PRE_DATA);
        assertThat(applied.getStatements()).isPositive();
        assertThat(applied.getNote()).isNull();

        Metadata verify = Saga.metadata("shop");
        saga.send(VerifySchema.newBuilder().setMetadata(verify).build(), verify);

        SchemaVerified verified = (SchemaVerified) await().atMost(ANSWER)
                .until(() -> saga.answersTo(verify), list -> !list.isEmpty()).getFirst();
        assertThat(verified.getDifferences()).extracting(d -> d.getKind() + " " + d.getObject())
                .containsExactly("MISSING_CONSTRAINT public.orders.orders_pkey", "MISSING_INDEX public.orders_pkey");

        Metadata postData = Saga.metadata("shop");
        saga.send(ApplySchema.newBuilder().setMetadata(postData).setSection(SchemaSection.POST_DATA)
                .setTables(List.of("public.orders")).build(), postData);

        SchemaApplied built = (SchemaApplied) await().atMost(ANSWER)
                .until(() -> saga.answersTo(postData), list -> !list.isEmpty()).getFirst();
        assertThat(built.getTables()).containsExactly("public.orders");
        assertThat(built.getConstraints()).isEqualTo(1);

        Metadata verifyAgain = Saga.metadata("shop");
        saga.send(VerifySchema.newBuilder().setMetadata(verifyAgain).build(), verifyAgain);
        assertThat(((SchemaVerified) await().atMost(ANSWER)
                .until(() -> saga.answersTo(verifyAgain), list -> !list.isEmpty()).getFirst()).getDifferences()).isEmpty();
    }

    @Test
    void preDataOnATargetWhoseSchemaWasCreatedBeforehandAppliesNothingAndTheEventSaysSo() {
        Metadata apply = Saga.metadata("precreated");
        saga.send(ApplySchema.newBuilder().setMetadata(apply).setSection(SchemaSection.PRE_DATA).build(), apply);

        SchemaApplied applied = (SchemaApplied) await().atMost(ANSWER)
                .until(() -> saga.answersTo(apply), list -> !list.isEmpty()).getFirst();
        assertThat(applied.getNote()).contains("created beforehand and matches the source's", "nothing of the source's pre-data is applied");
        assertThat(applied.getStatements()).as("the primary key, set aside for the load").isEqualTo(1);
    }

    @Test
    void preDataNamingTablesIsRefusedBecauseOnlyPostDataIsBuiltTableByTable() {
        Metadata metadata = Saga.metadata("shop");
        saga.send(ApplySchema.newBuilder().setMetadata(metadata).setSection(SchemaSection.PRE_DATA)
                .setTables(List.of("public.orders")).build(), metadata);

        StepFailed failed = (StepFailed) await().atMost(ANSWER)
                .until(() -> saga.answersTo(metadata), list -> !list.isEmpty()).getFirst();
        assertThat(failed.getStep()).isEqualTo("ApplySchema");
        assertThat(failed.getReason()).contains("only POST_DATA can be applied table by table");
    }

    @Test
    void postDataOfACopiedTableIsBuiltBesideTheListenerAndItsFailureIsStillAnsweredWithStepFailed() {
        Metadata metadata = Saga.metadata("unknown");
        saga.send(ApplySchema.newBuilder().setMetadata(metadata).setSection(SchemaSection.POST_DATA)
                .setTables(List.of("public.orders")).build(), metadata);

        StepFailed failed = (StepFailed) await().atMost(ANSWER)
                .until(() -> saga.answersTo(metadata), list -> !list.isEmpty()).getFirst();
        assertThat(failed.getStep()).isEqualTo("ApplySchema");
        assertThat(failed.getReason()).contains("cutover.databases.unknown");
        assertThat(failed.getRetryable()).isFalse();
    }

    @Test
    void aCommandForADatabaseNobodyConfiguredFailsWithWhatToConfigure() {
        Metadata metadata = Saga.metadata("unknown");
        saga.send(VerifySchema.newBuilder().setMetadata(metadata).build(), metadata);

        StepFailed failed = (StepFailed) await().atMost(ANSWER)
                .until(() -> saga.answersTo(metadata), list -> !list.isEmpty()).getFirst();
        assertThat(failed.getStep()).isEqualTo("VerifySchema");
        assertThat(failed.getReason()).contains("cutover.databases.unknown");
        assertThat(failed.getRetryable()).isFalse();
    }
}
