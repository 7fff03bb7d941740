package dev.cutover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.DatabasesSettings;

class DatabaseNamesFromEnvironmentUnitTest {

    @Test
    void aDatabaseWhoseNameHasAnUnderscoreIsConfiguredThroughEnvironmentVariablesOnceItIsListed() {
        StandardEnvironment environment = environment(Map.ofEntries(
                Map.entry("CUTOVER_DATABASE_NAMES", "notify_s"),
                Map.entry("CUTOVER_DATABASES_NOTIFY_S_SOURCE_HOST", "10.0.0.1"),
                Map.entry("CUTOVER_DATABASES_NOTIFY_S_SOURCE_PORT", "5432"),
                Map.entry("CUTOVER_DATABASES_NOTIFY_S_SOURCE_DATABASE", "notify"),
                Map.entry("CUTOVER_DATABASES_NOTIFY_S_SOURCE_USER", "admin"),
                Map.entry("CUTOVER_DATABASES_NOTIFY_S_SOURCE_PASSWORDFILE", "/run/secrets/source"),
                Map.entry("CUTOVER_DATABASES_NOTIFY_S_TARGET_HOST", "10.0.0.2"),
                Map.entry("CUTOVER_DATABASES_NOTIFY_S_TARGET_PORT", "5433"),
                Map.entry("CUTOVER_DATABASES_NOTIFY_S_TARGET_DATABASE", "notify"),
                Map.entry("CUTOVER_DATABASES_NOTIFY_S_TARGET_USER", "admin"),
                Map.entry("CUTOVER_DATABASES_NOTIFY_S_TARGET_PASSWORD", "secret")));

        new DatabaseNamesFromEnvironment().postProcessEnvironment(environment, new SpringApplication());
        DatabasesSettings settings = Binder.get(environment).bind("cutover", DatabasesSettings.class).get();

        assertThat(settings.databases()).containsOnlyKeys("notify_s");
        DatabasePair pair = settings.get("notify_s");
        assertThat(pair.source().host()).isEqualTo("10.0.0.1");
        assertThat(pair.source().passwordFile()).isEqualTo("/run/secrets/source");
        assertThat(pair.target().port()).isEqualTo(5433);
        assertThat(pair.target().password()).isEqualTo("secret");
    }

    @Test
    void aDatabaseWhoseNameHasAnUnderscoreButIsNotListedStopsTheServiceSayingWhatToList() {
        StandardEnvironment environment = environment(Map.of(
                "CUTOVER_DATABASES_BILLING_APP_SOURCE_HOST", "10.0.0.1",
                "CUTOVER_DATABASES_ORDERS_SOURCE_HOST", "10.0.0.3"));

        assertThatThrownBy(() -> new DatabaseNamesFromEnvironment().postProcessEnvironment(environment,
                new SpringApplication()))
                .hasMessage("environment variable CUTOVER_DATABASES_BILLING_APP_SOURCE_HOST configures database"
                        + " billing_app, whose name has an underscore, but CUTOVER_DATABASE_NAMES does not list it: add"
                        + " it (CUTOVER_DATABASE_NAMES=billing_app, comma-separated with any others), or Spring reads"
                        + " the variable as settings of a database billing and billing_app is not configured");
    }

    @Test
    void aListThatForgetsOneOfTwoNamesWithAnUnderscoreStopsTheServiceToo() {
        StandardEnvironment environment = environment(Map.of(
                "CUTOVER_DATABASE_NAMES", "notify_s",
                "CUTOVER_DATABASES_NOTIFY_S_SOURCE_HOST", "10.0.0.1",
                "CUTOVER_DATABASES_LEDGER_EU_TARGET_HOST", "10.0.0.2"));

        assertThatThrownBy(() -> new DatabaseNamesFromEnvironment().postProcessEnvironment(environment,
                new SpringApplication()))
                .hasMessageStartingWith("environment variable CUTOVER_DATABASES_LEDGER_EU_TARGET_HOST configures"
                        + " database ledger_eu");
    }

    @Test
    void everyCutoverSettingKeyedByTheDatabaseFindsTheListedName() {
        StandardEnvironment environment = environment(Map.of(
                "CUTOVER_DATABASE_NAMES", "notify_s, notify_s_eu",
                "CUTOVER_SAGA_DNS_NOTIFY_S_EU_RECORD", "db.example.com.",
                "CUTOVER_LAG_DATABASES_NOTIFY_S_ENGINE", "native",
                "PATH", "/usr/bin"));

        new DatabaseNamesFromEnvironment().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("cutover.saga.dns[notify_s_eu].record")).isEqualTo("db.example.com.");
        assertThat(environment.getProperty("cutover.lag.databases[notify_s].engine")).isEqualTo("native");
        assertThat(environment.getProperty("PATH")).isEqualTo("/usr/bin");
    }

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));
        return environment;
    }
}
