package dev.cutover.schema.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** Plants each problem preflight knows on the stack's real servers and expects exactly those findings. */
@ExtendWith(SharedStackExtension.class)
class PreflightIntegrationTest {

    private static final String APP_ROLE = "preflight_app";
    private static final Duration LONG_TRANSACTION = Duration.ofMillis(200);

    private final PreflightChecker checker = new PreflightChecker(
            new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"), Duration.ofMinutes(1)),
            LONG_TRANSACTION);

    @Test
    void aCleanPairHasNoFindings(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "preflight_clean", List.of("postgres"));
        TestDatabases.execute(pair.source(), "CREATE TABLE public.orders (id bigint PRIMARY KEY, note text)");

        assertThat(checker.check(pair, Scope.MIGRATION)).isEmpty();
    }

    @Test
    void everyPlantedProblemIsFoundAndNothingElse(LocalStack stack) throws SQLException {
        DatabasePair pair = TestDatabases.create(stack, "preflight_planted", List.of(APP_ROLE));
        TestDatabases.execute(pair.source(),
                "CREATE ROLE " + APP_ROLE,
                "CREATE TABLE public.keyed (id bigint PRIMARY KEY)",
                "CREATE TABLE public.no_key (id bigint, note text)",
                "CREATE UNLOGGED TABLE public.scratch (id bigint PRIMARY KEY)",
                "SELECT lo_create(0)",
                "CREATE EXTENSION adminpack");
        try (Connection writer = pair.source().connect(); Statement statement = writer.createStatement()) {
            writer.setAutoCommit(false);
            statement.execute("INSERT INTO public.keyed VALUES (1)");
            String pid = TestDatabases.strings(pair.source(), "SELECT pid FROM pg_stat_activity WHERE backend_xid IS NOT NULL"
                    + " AND datname = 'preflight_planted'").getFirst();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(checker.check(pair, Scope.MIGRATION))
                    .extracting(Finding::severity, Finding::check, Finding::object)
                    .containsExactly(
                            tuple(Severity.BLOCKER, "long_transaction", "pid " + pid + " (postgres@preflight_planted)"),
                            tuple(Severity.BLOCKER, "extensions", "adminpack"),
                            tuple(Severity.BLOCKER, "replica_identity", "public.no_key"),
                            tuple(Severity.BLOCKER, "unlogged_tables", "public.scratch"),
                            tuple(Severity.BLOCKER, "large_objects", "pg_largeobject"),
                            tuple(Severity.BLOCKER, "app_roles", APP_ROLE)));
            writer.rollback();
        }
        assertThat(checker.check(pair, Scope.CUTOVER)).extracting(Finding::check)
                .containsExactly("replica_identity", "unlogged_tables", "large_objects", "app_roles");
    }

    @Test
    void aServerThatCannotBeReadFailsThePreflightNamingThatServer(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "preflight_unreadable", List.of());
        Endpoint noSource = TestDatabases.endpoint(stack.source(), "preflight_no_such_database");
        Endpoint noTarget = TestDatabases.endpoint(stack.target(), "preflight_no_such_database");

        assertThatThrownBy(() -> checker.check(new DatabasePair(noSource, pair.target(), List.of(), List.of()),
                Scope.CUTOVER)).isInstanceOf(StepFailure.class)
                .hasMessageStartingWith("reading preflight facts on " + noSource.describe() + " failed");
        assertThatThrownBy(() -> checker.check(new DatabasePair(pair.source(), noTarget, List.of(), List.of()),
                Scope.CUTOVER)).isInstanceOf(StepFailure.class)
                .hasMessageStartingWith("reading preflight facts on " + noTarget.describe() + " failed");
    }

    @Test
    void theCutoversPreflightDoesNotRunPgDumpWhichOnlyTheMigrationsJudges(LocalStack stack, @TempDir Path bin)
            throws IOException {
        Path calls = bin.resolve("calls");
        Path pgDump = bin.resolve("pg_dump");
        Files.writeString(pgDump, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\necho 'pg_dump (PostgreSQL) 17.6'\n");
        assertThat(pgDump.toFile().setExecutable(true)).isTrue();
        PreflightChecker counting = new PreflightChecker(new PgTools(bin, bin.resolve("work"), Duration.ofMinutes(1)),
                LONG_TRANSACTION);
        DatabasePair pair = TestDatabases.create(stack, "preflight_pg_dump", List.of());

        counting.check(pair, Scope.CUTOVER);
        assertThat(calls).doesNotExist();

        assertThat(counting.check(pair, Scope.MIGRATION)).extracting(Finding::check).doesNotContain("pg_dump");
        assertThat(calls).hasContent("--version");
    }
}
