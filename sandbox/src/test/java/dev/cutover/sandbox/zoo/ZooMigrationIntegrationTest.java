package dev.cutover.sandbox.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static java.util.stream.Collectors.toSet;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.specific.SpecificRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cutover.events.DataVerified;
import dev.cutover.events.SchemaApplied;
import dev.cutover.events.SchemaSection;
import dev.cutover.events.SchemaVerified;
import dev.cutover.events.StepFailed;
import dev.cutover.events.VerifyData;
import dev.cutover.events.VerifySchema;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.sandbox.rehearsal.MigrationDriver;
import dev.cutover.sandbox.rehearsal.Services;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.PostgresServer;
import dev.cutover.stack.StackOptions;

/**
 * The schema zoo ({@code zoo/zoo.sql}: one of every object kind PostgreSQL 11 and later share, with awkward values)
 * moved from PostgreSQL 11 to 15 and to 17 through every service, the way ops do it: one {@code StartMigration},
 * then the saga until the target streams. Writes of every kind follow on the source; once the target has confirmed
 * them all, a check written for this test (row digests in SQL, the catalogue, and pg_dump where it can read both
 * sides) must find no difference, and the project's own VerifySchema and VerifyData must say the same.
 *
 * <p>One stack for all: the source databases {@code zoo_15} and {@code zoo_17} live on the stack's 11, the targets
 * on a 15 started beside it and on the stack's 17, and one set of services moves both. Each server has an address of
 * its own, as the saga's DNS settings require. A third, {@code zoo_17_precreated}, moves to a target whose schema
 * was created beforehand from the source's own {@code pg_dump --schema-only}, post-data included, as teams often do.
 */
class ZooMigrationIntegrationTest {

    /** {@code -Dcutover.zoo.schemas=public,Sales,inventory,audit} names the schemas to move instead of the default. */
    private static final String SCHEMAS_PROPERTY = "cutover.zoo.schemas";
    private static final String APP_ROLE = "zoo_app";
    private static final Pattern ROWS_DIFFER = Pattern.compile("^rows: (.+?) (differs|exists on)");
    private static final int SHOWN = 60;
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
    private static final String PRE_CREATED = "zoo_17_precreated";

    private static LocalStack stack;
    private static PostgresServer fifteen;
    private static Services services;
    private static KafkaProbe bus;

    @BeforeAll
    static void moveBothZoosWithOneSetOfServices() throws Exception {
        stack = LocalStack.start(StackOptions.defaults().withSourceHost("127.0.0.2").withTargetHost("127.0.0.3"));
        fifteen = PostgresServer.start(PostgresServer.Options.of("15").withHost("127.0.0.4"));
        createRoles(stack.source(), true);
        createRoles(fifteen, false);
        createRoles(stack.target(), false);
        List<Services.Database> databases = new ArrayList<>();
        for (Postgres target : List.of(fifteen, stack.target(), stack.target())) {
            String database = databases.size() == 2 ? PRE_CREATED : database(target.majorVersion());
            stack.source().createDatabase(database);
            target.createDatabase(database);
            run(stack.source(), database, "zoo/zoo.sql");
            // No schemas configured unless asked: a user who moves a database expects all of it to move.
            databases.add(new Services.Database(database, stack.source(), target, APP_ROLE,
                    System.getProperty(SCHEMAS_PROPERTY)));
        }
        createFromTheSourcesSchemaDump(stack.source(), stack.target(), PRE_CREATED);
        Path work = Files.createTempDirectory("cutover-zoo");
        services = new Services(stack, work, Duration.ofSeconds(5), databases);
        services.startAll();
        bus = new KafkaProbe(stack.kafkaBootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
        if (bus != null) {
            bus.close();
        }
        if (fifteen != null) {
            fifteen.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @ParameterizedTest(name = "11 -> {0}")
    @ValueSource(ints = {15, 17})
    void theZooArrivesWholeAndStaysWholeWhileStreaming(int targetMajor) throws Exception {
        migrateAndCheck(targetMajor == 15 ? fifteen : stack.target(), database(targetMajor), String.valueOf(targetMajor));
    }

    @Test
    void aZooTargetWhoseSchemaWasCreatedBeforehandIsUsedAsItIsAndArrivesWholeToo() throws Exception {
        MigrationDriver.Outcome migration = migrateAndCheck(stack.target(), PRE_CREATED, "17, schema created beforehand");

        assertThat(migration.messages()).filteredOn(SchemaApplied.class::isInstance).map(SchemaApplied.class::cast)
                .filteredOn(applied -> applied.getSection() == SchemaSection.PRE_DATA).singleElement()
                .satisfies(applied -> assertThat(applied.getNote()).contains("created beforehand", "nothing of the source's pre-data is applied"));
    }

    private static MigrationDriver.Outcome migrateAndCheck(Postgres target, String database, String label)
            throws Exception {
        Postgres source = stack.source();
        MigrationDriver.Outcome migration = new MigrationDriver(bus, System.out, STEP_TIMEOUT).migrate(database);
        List<String> duringMigration = verificationsOf(migration.messages());

        boolean streaming = streams(source, database);
        if (streaming) {
            run(source, database, "zoo/writes.sql");
            awaitConfirmed(source, database);
        }

        List<String> independent = new ArrayList<>();
        try (Connection s = source.connect(database); Connection t = target.connect(database)) {
            independent.addAll(RowDigests.compare(s, t, 5));
            independent.addAll(Catalogue.compare(s, t));
        }
        if (SchemaDump.canDump(target)) {
            independent.addAll(SchemaDump.compare(source, target, database));
        }
        List<String> schemaByProject = schemaVerifiedNow(database);
        List<String> dataByProject = dataVerifiedNow(database);

        System.out.printf("%n==== zoo 11 -> %s ====%nmigration: %s%nstreaming: %s%nthe project's verifications during the"
                + " migration:%n  %s%nindependent check after the writes (%d):%n  %s%nVerifySchema after the writes (%d):%n"
                + "  %s%nVerifyData after the writes (%d):%n  %s%n==== end of zoo 11 -> %s ====%n",
                label, migration.failure() == null ? "ready" : migration.failure(), streaming,
                shown(duringMigration), independent.size(), shown(independent), schemaByProject.size(),
                shown(schemaByProject), dataByProject.size(), shown(dataByProject), label);

        boolean schemaDiffers = independent.stream().anyMatch(d -> !d.startsWith("rows: "));
        Set<String> tablesByProject = dataByProject.stream().map(d -> d.substring(0, d.indexOf(": "))).collect(toSet());
        Set<String> materializedViews = materializedViews(source, database);
        Set<String> tablesIndependently = independent.stream().map(ROWS_DIFFER::matcher).filter(Matcher::find)
                .map(m -> m.group(1).replace("\"", "")).filter(table -> !materializedViews.contains(table))
                .collect(toSet());
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(migration.failure()).as("the migration reaches MigrationReady").isNull();
        softly.assertThat(independent.size()).as("differences the independent check found after the writes, the first"
                + " ones:%n  %s", shown(independent)).isZero();
        softly.assertThat(schemaByProject.isEmpty()).as("VerifySchema agrees with the independent check: "
                + schemaByProject).isEqualTo(!schemaDiffers);
        // VerifyData leaves materialized views alone (neither side's is refreshed while the data streams).
        softly.assertThat(tablesByProject).as("the tables VerifyData names are the tables the independent check names")
                .isEqualTo(tablesIndependently);
        softly.assertAll();
        return migration;
    }

    /** The first {@value #SHOWN} lines of a list, one per line, and how many more there are. */
    private static String shown(List<String> lines) {
        String first = String.join("\n  ", lines.subList(0, Math.min(SHOWN, lines.size())));
        return lines.size() > SHOWN ? first + "\n  ... and " + (lines.size() - SHOWN) + " more" : first;
    }

    private static Set<String> materializedViews(Postgres server, String database) {
        try (Connection c = server.connect(database); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select n.nspname || '.' || c.relname from pg_class c"
                        + " join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'm'")) {
            Set<String> views = new HashSet<>();
            while (r.next()) {
                views.add(r.getString(1));
            }
            return views;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the materialized views of " + database, e);
        }
    }

    private static String database(int targetMajor) {
        return "zoo_" + targetMajor;
    }

    /** What a team does: the source's whole schema, pre-data and post-data, restored on the target. */
    private static void createFromTheSourcesSchemaDump(Postgres source, Postgres target, String database) {
        PgTools tools = new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "cutover-zoo"), STEP_TIMEOUT);
        Path archive = tools.dump(endpoint(source, database), List.of("--schema-only"));
        try {
            tools.apply(endpoint(target, database), tools.script(archive, tools.list(archive)));
        } finally {
            PgTools.delete(archive);
        }
    }

    private static Endpoint endpoint(Postgres server, String database) {
        return new Endpoint(server.host(), server.port(), database, server.superuser(), server.password(), null);
    }

    /** The roles the zoo's objects name; roles belong to the server, so an operator creates them on the target. */
    private static void createRoles(Postgres server, boolean source) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            for (String role : List.of("zoo_owner", "\"Zoo Reader\"", APP_ROLE + (source ? " login" : " nologin")
                    + " password 'zoo'")) {
                s.execute("do $$ begin create role " + role + "; exception when duplicate_object then null; end $$");
            }
        }
    }

    private static void run(Postgres server, String database, String resource) throws IOException, SQLException {
        String sql;
        try (InputStream in = ZooMigrationIntegrationTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static boolean streams(Postgres source, String database) throws SQLException {
        try (Connection c = source.connect(database); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*) from pg_replication_slots where database = current_database()"
                        + " and slot_type = 'logical'")) {
            r.next();
            return r.getInt(1) > 0;
        }
    }

    /** Waits until every logical slot of the database has the target's confirmation of all the source has written. */
    private static void awaitConfirmed(Postgres source, String database) throws SQLException {
        String written;
        try (Connection c = source.connect(database); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select pg_current_wal_lsn()::text")) {
            r.next();
            written = r.getString(1);
        }
        await("the target confirms " + written).atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (Connection c = source.connect(database); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("select bool_and(confirmed_flush_lsn >= '" + written + "')"
                            + " from pg_replication_slots where database = current_database() and slot_type = 'logical'")) {
                return r.next() && r.getBoolean(1);
            }
        });
    }

    private static List<String> verificationsOf(List<SpecificRecord> messages) {
        List<String> lines = new ArrayList<>();
        for (SpecificRecord message : messages) {
            if (message instanceof SchemaVerified verified) {
                lines.add("SchemaVerified: " + verified.getDifferences().size() + " difference(s) " + verified.getDifferences());
            } else if (message instanceof DataVerified verified) {
                lines.add("DataVerified: " + verified.getTables() + " tables, " + verified.getRows() + " rows, "
                        + verified.getMismatches().size() + " mismatch(es) " + verified.getMismatches());
            }
        }
        return lines;
    }

    /**
     * VerifySchema sent now, outside the saga, for this test's question only (the saga, which did not start it,
     * dead-letters the answer it also reads). A failure to verify is a difference too.
     */
    private static List<String> schemaVerifiedNow(String database) {
        VerifySchema command = VerifySchema.newBuilder().setMetadata(checkMetadata(database)).build();
        bus.send(command);
        return switch (answerTo(command.getMetadata())) {
            case SchemaVerified verified -> verified.getDifferences().stream().map(Object::toString).toList();
            case StepFailed failed -> List.of("VerifySchema failed: " + failed.getReason());
            default -> throw new IllegalStateException("unexpected answer to VerifySchema");
        };
    }

    /** VerifyData sent now, the same way. */
    private static List<String> dataVerifiedNow(String database) {
        VerifyData command = VerifyData.newBuilder().setMetadata(checkMetadata(database)).build();
        bus.send(command);
        return switch (answerTo(command.getMetadata())) {
            case DataVerified verified -> verified.getMismatches().stream()
                    .map(m -> m.getTable() + ": " + m.toString()).toList();
            case StepFailed failed -> List.of("VerifyData failed: " + failed.getReason());
            default -> throw new IllegalStateException("unexpected answer to VerifyData");
        };
    }

    private static SpecificRecord answerTo(dev.cutover.events.Metadata command) {
        String id = command.getMessageId().toString();
        return bus.await(SpecificRecord.class, m -> (m instanceof SchemaVerified || m instanceof DataVerified
                || m instanceof StepFailed) && id.equals(MessagePublisher.metadataOf(m).getCausationId()), STEP_TIMEOUT);
    }

    private static dev.cutover.events.Metadata checkMetadata(String database) {
        return KafkaProbe.metadata(database, null, database + "-check-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
