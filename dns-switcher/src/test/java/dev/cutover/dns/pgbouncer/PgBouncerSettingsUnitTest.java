package dev.cutover.dns.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.dns.DnsSwitch;
import dev.cutover.dns.config.DnsConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The PgBouncer settings and the [databases] line the switch rewrites, without servers. */
class PgBouncerSettingsUnitTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(DnsConfiguration.class);

    @Test
    void repointingChangesHostAndPortAndKeepsEveryOtherParameter() {
        assertThat(DatabasesFile.repointed("host=10.0.0.5 port=5432 dbname=app pool_size=40 application_name='a b'",
                new ServerAddress("10.0.0.6", 6543)))
                .isEqualTo("host=10.0.0.6 port=6543 dbname=app pool_size=40 application_name='a b'");
    }

    @Test
    void anEntryWithTheDefaultPortGetsTheNewPortWrittenOut() {
        assertThat(DatabasesFile.repointed("dbname=app host=db-old", new ServerAddress("db-new", 5433)))
                .isEqualTo("dbname=app host=db-new port=5433");
    }

    @Test
    void theFileIsReadAndRewrittenAroundTheOtherEntries(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("databases.ini");
        Files.writeString(file, """
                [databases]
                ; the application's entry
                app = host=10.0.0.5 dbname=app
                reports = host=10.0.0.5 port=5432 dbname=reports
                """);

        assertThat(DatabasesFile.server(file, "app")).contains(new ServerAddress("10.0.0.5", 5432));
        DatabasesFile.repoint(file, "app", new ServerAddress("10.0.0.6", 5432));

        assertThat(Files.readString(file)).isEqualTo("""
                [databases]
                ; the application's entry
                app = host=10.0.0.6 dbname=app port=5432
                reports = host=10.0.0.5 port=5432 dbname=reports
                """);
    }

    @Test
    void theSagasAddressesMustBeHostAndPortInPgBouncerMode() {
        assertThat(ServerAddress.parse("DB-1.internal:6432")).isEqualTo(new ServerAddress("db-1.internal", 6432));
        assertThatThrownBy(() -> ServerAddress.parse("10.0.0.5"))
                .hasMessageContaining("in PgBouncer mode the source and target addresses of the cutover");
    }

    @Test
    void pgbouncerSettingsBuildNoDnsProviderAndNameEachInstance(@TempDir Path directory) throws Exception {
        Path password = Files.writeString(directory.resolve("admin.secret"), "s3cret\n");
        context.withPropertyValues("dns.provider=pgbouncer", "dns.pgbouncer.admin-user=cutover_admin",
                        "dns.pgbouncer.password-file=" + password,
                        "dns.pgbouncer.databases.orders.instances[0].admin=10.0.0.7:6432",
                        "dns.pgbouncer.databases.orders.instances[0].databases-file=/etc/pgbouncer/orders.ini",
                        "dns.pgbouncer.databases.orders.instances[1].admin=10.0.0.8:6432",
                        "dns.pgbouncer.databases.orders.instances[1].databases-file=/etc/pgbouncer/orders.ini")
                .run(started -> {
                    assertThat(started).hasNotFailed().doesNotHaveBean(DnsSwitch.class);
                    PgBouncerSettings settings = started.getBean(PgBouncerSettings.class);
                    assertThat(settings.adminPassword()).isEqualTo("s3cret");
                    assertThat(settings.pools().get("orders").database()).isEqualTo("orders");
                    assertThat(settings.pools().get("orders").instances()).extracting(PgBouncerInstance::admin)
                            .containsExactly(new ServerAddress("10.0.0.7", 6432), new ServerAddress("10.0.0.8", 6432));
                });
    }

    @Test
    void aMissingPasswordFailsStartUpWithWhatToSet() {
        context.withPropertyValues("dns.provider=pgbouncer", "dns.pgbouncer.admin-user=cutover_admin",
                        "dns.pgbouncer.databases.orders.instances[0].admin=10.0.0.7:6432",
                        "dns.pgbouncer.databases.orders.instances[0].databases-file=/etc/pgbouncer/orders.ini")
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("set exactly one of dns.pgbouncer.password-file"));
    }

    @Test
    void aMaxPauseNoLongerThanThePauseTimeoutIsRefused() {
        assertThatThrownBy(() -> new PgBouncerSettings("cutover_admin", "s3cret", Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Map.of()))
                .hasMessageContaining("max-pause (PT10S) must be longer than pause-timeout");
    }
}
