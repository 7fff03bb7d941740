package dev.cutover.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class DatabasesSettingsUnitTest {

    private static final Map<String, String> ENDPOINTS = Map.of(
            "cutover.databases.app.source.host", "127.0.0.2", "cutover.databases.app.source.port", "5432",
            "cutover.databases.app.source.database", "app", "cutover.databases.app.source.user", "postgres",
            "cutover.databases.app.source.password", "secret",
            "cutover.databases.app.target.host", "127.0.0.3", "cutover.databases.app.target.port", "5432",
            "cutover.databases.app.target.database", "app", "cutover.databases.app.target.user", "postgres",
            "cutover.databases.app.target.password", "secret");

    @Test
    void withoutSchemasTheWholeDatabaseMovesAndNoRoleIsCreated() {
        DatabasePair pair = bind(Map.of()).get("app");

        assertThat(pair.scope().wholeDatabase()).isTrue();
        assertThat(pair.scope().describe()).isEqualTo("the whole database");
        assertThat(pair.createMissingRoles()).isFalse();
    }

    @Test
    void excludedSchemasAndTheRoleOptionAreRead() {
        DatabasePair pair = bind(Map.of("cutover.databases.app.exclude-schemas", "audit,scratch",
                "cutover.databases.app.create-missing-roles", "true")).get("app");

        assertThat(pair.excludeSchemas()).containsExactly("audit", "scratch");
        assertThat(pair.scope().describe()).isEqualTo("the whole database but [audit, scratch]");
        assertThat(pair.createMissingRoles()).isTrue();
    }

    @Test
    void schemasStayAnExplicitList() {
        DatabasePair pair = bind(Map.of("cutover.databases.app.schemas", "sales,billing")).get("app");

        assertThat(pair.scope().wholeDatabase()).isFalse();
        assertThat(pair.scope().include()).containsExactly("sales", "billing");
    }

    @Test
    void aSchemaBothIncludedAndExcludedIsRefusedAtStartUp() {
        assertThatThrownBy(() -> bind(Map.of("cutover.databases.app.schemas", "sales",
                "cutover.databases.app.exclude-schemas", "sales")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("both in schemas and in exclude-schemas");
    }

    @Test
    void cutoversOwnSchemaCannotBeIncluded() {
        assertThatThrownBy(() -> new SchemaScope(List.of("cutover"), List.of()))
                .hasMessageContaining("PostgreSQL's or cutover's own");
    }

    @Test
    void withoutReplicationSettingsTheNamesAreTheOnesTheMigrationCreates() {
        Replication replication = bind(Map.of()).replication("app");

        assertThat(replication).isEqualTo(new Replication("cutover_pub_app", "cutover_slot_app", "cutover_sub_app", false));
    }

    @Test
    void adoptedReplicationIsNamedAsConfiguredAndItsSlotAfterItsSubscription() {
        Replication replication = bind(Map.of("cutover.databases.app.replication.adopted", "true",
                "cutover.databases.app.replication.subscription", "team_sub",
                "cutover.databases.app.replication.publication", "team_pub")).replication("app");

        assertThat(replication).isEqualTo(new Replication("team_pub", "team_sub", "team_sub", true));
    }

    @Test
    void adoptedReplicationWithoutItsNamesIsRefusedAtStartUp() {
        assertThatThrownBy(() -> bind(Map.of("cutover.databases.app.replication.adopted", "true")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("set .replication.subscription");
    }

    @Test
    void aSlotNamePostgresqlRefusesIsRefusedAtStartUp() {
        assertThatThrownBy(() -> bind(Map.of("cutover.databases.app.replication.slot", "Team-Slot")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("only lower-case letters, digits and underscores");
    }

    @Test
    void noFallbackIsPreparedUnlessAskedForAndItsConninfoDefaultsToTheTargetsLogin() {
        assertThat(bind(Map.of()).get("app").fallback()).isEqualTo(Fallback.off());

        Fallback fallback = bind(Map.of("cutover.databases.app.fallback.prepare", "true",
                "cutover.databases.app.fallback.target-conninfo", " host=10.0.0.3 user=app_admin ")).get("app").fallback();

        assertThat(fallback).isEqualTo(new Fallback(true, "host=10.0.0.3 user=app_admin"));
    }

    @Test
    void theReverseObjectsAreNamedAfterTheDatabaseWithTheirOwnPrefix() {
        assertThat(Replication.reverse("App-1"))
                .isEqualTo(new Replication("cutover_rev_pub_app_1", "cutover_rev_slot_app_1", "cutover_rev_sub_app_1", false));
    }

    private static DatabasesSettings bind(Map<String, String> more) {
        Map<String, String> properties = new HashMap<>(ENDPOINTS);
        properties.putAll(more);
        return new Binder(new MapConfigurationPropertySource(properties))
                .bind("cutover", DatabasesSettings.class).get();
    }
}
