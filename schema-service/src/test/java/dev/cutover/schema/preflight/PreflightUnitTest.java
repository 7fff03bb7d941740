package dev.cutover.schema.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cutover.schema.pgtools.ClientVersion;
import dev.cutover.schema.roles.MissingRoles;

class PreflightUnitTest {

    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Facts.Table KEYED = new Facts.Table("public.orders", 'd', true, false);

    private static Facts.Source source(List<Facts.Table> tables) {
        return new Facts.Source(11, "admin", "logical", 10, 2, 10, 1, true, tables, 0, List.of(), List.of(),
                Set.of("app"), Set.of("pg_trgm"));
    }

    private static Facts.Target target() {
        return new Facts.Target(17, "shop", Set.of("app"), Set.of("pg_trgm", "citext"));
    }

    private static Facts facts(Facts.Source source, Facts.Target target) {
        return new Facts(source, target, Optional.of(ClientVersion.parse("pg_dump (PostgreSQL) 15.18")), List.of("app"),
                Facts.Schemas.FINE, MissingRoles.none(), false);
    }

    private final Facts healthy = facts(source(List.of(KEYED)), target());

    @Test
    void aHealthyPairHasNoFindings() {
        assertThat(Preflight.check(healthy, Scope.MIGRATION, LONG)).isEmpty();
    }

    @Test
    void walLevelOtherThanLogicalIsABlocker() {
        Facts.Source s = healthy.source();
        Facts facts = facts(new Facts.Source(11, "admin", "replica", 10, 2, 10, 1, true, s.tables(), 0, List.of(),
                List.of(), s.roles(), s.extensions()), target());

        assertThat(Preflight.check(facts, Scope.MIGRATION, LONG)).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(finding.check()).isEqualTo("wal_level");
            assertThat(finding.remedy()).contains("wal_level = logical");
        });
    }

    @Test
    void noFreeSlotOrWalSenderAndNoReplicationPrivilegeAreBlockers() {
        Facts.Source s = healthy.source();
        Facts facts = facts(new Facts.Source(11, "admin", "logical", 4, 4, 3, 3, false, s.tables(), 0, List.of(),
                List.of(), s.roles(), s.extensions()), target());

        assertThat(Preflight.check(facts, Scope.MIGRATION, LONG)).extracting(Finding::check)
                .containsExactly("replication_slots", "wal_senders", "replication_privilege");
    }

    @Test
    void tableWithoutPrimaryKeyIsReportedAsBlocker() {
        Facts facts = facts(source(List.of(KEYED, new Facts.Table("public.audit_log", 'd', false, false))), target());

        assertThat(Preflight.check(facts, Scope.MIGRATION, LONG)).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(finding.object()).isEqualTo("public.audit_log");
            assertThat(finding.remedy()).contains("ALTER TABLE public.audit_log REPLICA IDENTITY FULL");
        });
    }

    @Test
    void replicaIdentityFullOrByIndexIsEnoughAndNothingIsNot() {
        Facts facts = facts(source(List.of(new Facts.Table("public.f", 'f', false, false),
                new Facts.Table("public.i", 'i', false, false), new Facts.Table("public.n", 'n', true, false))), target());

        assertThat(Preflight.check(facts, Scope.MIGRATION, LONG)).extracting(Finding::object).containsExactly("public.n");
    }

    @Test
    void unloggedTablesAndLargeObjectsAreBlockersBecauseNeitherTravelsInLogicalReplication() {
        Facts.Source s = source(List.of(new Facts.Table("public.cache", 'd', false, true)));
        Facts facts = facts(new Facts.Source(11, "admin", "logical", 10, 2, 10, 1, true, s.tables(), 3, List.of(),
                List.of(), s.roles(), s.extensions()), target());

        assertThat(Preflight.check(facts, Scope.MIGRATION, LONG))
                .extracting(Finding::check, Finding::severity)
                .containsExactly(tuple("unlogged_tables", Severity.BLOCKER),
                        tuple("large_objects", Severity.BLOCKER));
    }

    @Test
    void onlyLongTransactionsCountAndOnlyWritingOnesBlock() {
        Facts.Source s = healthy.source();
        List<Facts.OpenTransaction> open = List.of(
                new Facts.OpenTransaction(10, "app", "shop", Duration.ofMinutes(6), true),
                new Facts.OpenTransaction(11, "report", "shop", Duration.ofMinutes(7), false),
                new Facts.OpenTransaction(12, "app", "shop", Duration.ofSeconds(3), true));
        Facts facts = facts(new Facts.Source(11, "admin", "logical", 10, 2, 10, 1, true, s.tables(), 0, open,
                List.of(new Facts.PreparedTransaction("tx-1", "shop", Duration.ofSeconds(1))), s.roles(),
                s.extensions()), target());

        assertThat(Preflight.check(facts, Scope.MIGRATION, LONG))
                .extracting(Finding::check, Finding::object, Finding::severity)
                .containsExactly(
                        tuple("long_transaction", "pid 10 (app@shop)", Severity.BLOCKER),
                        tuple("long_transaction", "pid 11 (report@shop)", Severity.WARNING),
                        tuple("prepared_transaction", "'tx-1' in shop", Severity.BLOCKER));
    }

    @Test
    void appRoleMissingOnEitherSideIsABlockerPerSide() {
        Facts facts = new Facts(source(List.of(KEYED)), new Facts.Target(17, "shop", Set.of(),
                Set.of("pg_trgm")), healthy.pgDump(), List.of("app", "reporting"),
                Facts.Schemas.FINE, MissingRoles.none(), false);

        assertThat(Preflight.check(facts, Scope.MIGRATION, LONG)).extracting(Finding::message).containsExactly(
                "the application role app does not exist on the target",
                "the application role reporting does not exist on the source",
                "the application role reporting does not exist on the target");
    }

    @Test
    void missingExtensionAndOlderTargetAreBlockers() {
        Facts facts = facts(source(List.of(KEYED)), new Facts.Target(10, "shop", Set.of("app"),
                Set.of("citext")));

        assertThat(Preflight.check(facts, Scope.MIGRATION, LONG)).extracting(Finding::check)
                .containsExactly("target_version", "extensions");
    }

    @Test
    void missingOrTooOldPgDumpIsABlocker() {
        Facts missing = new Facts(healthy.source(), target(), Optional.empty(), List.of("app"),
                Facts.Schemas.FINE, MissingRoles.none(), false);
        Facts tooOld = new Facts(new Facts.Source(16, "admin", "logical", 10, 2, 10, 1, true, List.of(KEYED), 0,
                List.of(), List.of(), Set.of("app"), Set.of()), target(),
                Optional.of(ClientVersion.parse("pg_dump (PostgreSQL) 15.18")), List.of("app"),
                Facts.Schemas.FINE, MissingRoles.none(), false);

        assertThat(Preflight.check(missing, Scope.MIGRATION, LONG)).extracting(Finding::message)
                .containsExactly("pg_dump is not installed where this service looks for it");
        assertThat(Preflight.check(tooOld, Scope.MIGRATION, LONG)).extracting(Finding::message)
                .containsExactly("pg_dump 15 refuses to dump a PostgreSQL 16 server");
    }

    @Test
    void theCutoverScopeLeavesOutWhatNoLongerApplies() {
        Facts facts = facts(new Facts.Source(11, "admin", "replica", 1, 1, 10, 1, true,
                List.of(new Facts.Table("public.audit_log", 'd', false, false)), 0, List.of(), List.of(),
                Set.of("app"), Set.of()), new Facts.Target(17, "shop", Set.of(), Set.of()));

        assertThat(Preflight.check(facts, Scope.CUTOVER, LONG)).extracting(Finding::check)
                .containsExactly("replica_identity", "app_roles");
    }

    @Test
    void scopesAreReadWithoutRegardToCaseAndUnknownOnesAreRefused() {
        assertThat(Scope.parse(" cutover ")).isEqualTo(Scope.CUTOVER);
        assertThatThrownBy(() -> Scope.parse("EVERYTHING")).hasMessageContaining("use MIGRATION or CUTOVER");
    }

    @Test
    void rolesTheSchemaNamesThatTheTargetLacksAreOneBlockerWithTheSqlOrAWarningWhenPreDataCreatesThem() {
        MissingRoles missing = new MissingRoles(List.of("billing_reader", "app"),
                Map.of("billing_reader", "has privileges on table public.invoices", "app", "an application role"),
                List.of("CREATE ROLE app NOLOGIN;", "CREATE ROLE billing_reader NOLOGIN;"));
        Facts.Target withoutApp = new Facts.Target(17, "shop", Set.of(), Set.of("pg_trgm", "citext"));
        Facts reported = new Facts(healthy.source(), withoutApp, healthy.pgDump(), List.of("app"), Facts.Schemas.FINE, missing,
                false);
        Facts created = new Facts(healthy.source(), withoutApp, healthy.pgDump(), List.of("app"), Facts.Schemas.FINE, missing,
                true);

        assertThat(Preflight.check(reported, Scope.MIGRATION, LONG))
                .extracting(Finding::severity, Finding::check, Finding::object)
                .containsExactly(tuple(Severity.BLOCKER, "schema_roles", "billing_reader, app"),
                        tuple(Severity.BLOCKER, "app_roles", "app"));
        assertThat(Preflight.check(reported, Scope.MIGRATION, LONG).getFirst().remedy())
                .contains("CREATE ROLE app NOLOGIN;\nCREATE ROLE billing_reader NOLOGIN;");
        assertThat(Preflight.check(created, Scope.MIGRATION, LONG))
                .extracting(Finding::severity, Finding::check)
                .containsExactly(tuple(Severity.WARNING, "schema_roles"));
    }

    @Test
    void aListedSchemaTheSourceLacksIsABlocker() {
        Facts facts = new Facts(healthy.source(), healthy.target(), healthy.pgDump(), List.of("app"),
                new Facts.Schemas(List.of("bililng"), Map.of()), MissingRoles.none(), false);

        assertThat(Preflight.check(facts, Scope.MIGRATION, LONG)).extracting(Finding::check, Finding::object)
                .containsExactly(tuple("schemas", "bililng"));
    }

    @Test
    void anExtensionInASchemaThatStaysBehindIsABlocker() {
        Facts facts = new Facts(healthy.source(), healthy.target(), healthy.pgDump(), List.of("app"),
                new Facts.Schemas(List.of(), Map.of("pg_trgm", "extensions")), MissingRoles.none(), false);

        assertThat(Preflight.check(facts, Scope.MIGRATION, LONG)).extracting(Finding::check, Finding::object)
                .containsExactly(tuple("extension_schema", "pg_trgm"));
        assertThat(Preflight.check(facts, Scope.CUTOVER, LONG)).isEmpty();
    }
}
