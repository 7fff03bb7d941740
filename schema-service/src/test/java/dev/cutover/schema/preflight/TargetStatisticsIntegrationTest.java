package dev.cutover.schema.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

@ExtendWith(SharedStackExtension.class)
class TargetStatisticsIntegrationTest {

    private static final String APP_ROLE = "statistics_app";

    private final PreflightChecker checker = new PreflightChecker(
            new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"), Duration.ofMinutes(1)),
            Duration.ofMinutes(5));

    @Test
    void theCutoversPreflightWarnsOfATargetTableWithoutStatisticsUntilItIsAnalyzed(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "preflight_statistics", List.of(APP_ROLE));
        String table = "CREATE TABLE public.\"Orders\" (id bigint PRIMARY KEY, note text)";
        TestDatabases.execute(pair.source(), "CREATE ROLE " + APP_ROLE, table);
        // Fewer rows than autovacuum's threshold (50), so that nothing analyzes the table behind the test's back.
        TestDatabases.execute(pair.target(), "CREATE ROLE " + APP_ROLE + " NOLOGIN", table,
                "INSERT INTO public.\"Orders\" SELECT g, 'note ' || g FROM generate_series(1, 20) g");

        assertThat(checker.check(pair, Scope.CUTOVER))
                .filteredOn(finding -> finding.check().equals("target_statistics"))
                .singleElement()
                .satisfies(finding -> {
                    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
                    assertThat(finding.object()).isEqualTo("public.\"Orders\"");
                    assertThat(finding.remedy()).contains("ANALYZE public.\"Orders\"");
                });

        TestDatabases.execute(pair.target(), "ANALYZE public.\"Orders\"");
        assertThat(checker.check(pair, Scope.CUTOVER)).extracting(Finding::check).doesNotContain("target_statistics");
    }

    @Test
    void onlyTheTargetsTablesInSchemasThatMoveAreWarnedOf(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "statistics_moving", List.of());
        String table = "CREATE TABLE moving.items (id bigint PRIMARY KEY)";
        TestDatabases.execute(pair.source(), "CREATE SCHEMA moving", table);
        // A schema made on the target alone: the cutover does not move it, so its tables are none of its business.
        TestDatabases.execute(pair.target(), "CREATE SCHEMA moving", table, "CREATE SCHEMA scratch",
                "CREATE TABLE scratch.notes (id bigint PRIMARY KEY)");

        assertThat(checker.check(pair, Scope.CUTOVER))
                .filteredOn(finding -> finding.check().equals("target_statistics"))
                .extracting(Finding::object)
                .containsExactly("moving.items");
    }
}
