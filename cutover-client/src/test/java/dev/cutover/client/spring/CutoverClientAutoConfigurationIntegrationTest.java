package dev.cutover.client.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.zaxxer.hikari.HikariDataSource;

import dev.cutover.client.Checkout;
import dev.cutover.client.CutoverClient;
import dev.cutover.client.FollowingPool;
import dev.cutover.client.Route;
import dev.cutover.client.Saga;
import dev.cutover.client.SandboxStack;
import dev.cutover.client.Servers;
import dev.cutover.stack.LocalStack;

/** An application's own HikariCP bean, made as Spring Boot makes it, with and without the starter's two settings. */
@ExtendWith(SandboxStack.class)
class CutoverClientAutoConfigurationIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String APPLICATION = "spring-app";

    private final LocalStack stack;
    private final ApplicationContextRunner application;

    CutoverClientAutoConfigurationIntegrationTest(LocalStack stack) {
        this.stack = stack;
        this.application = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CutoverClientAutoConfiguration.class))
                .withUserConfiguration(ApplicationDataSource.class)
                .withPropertyValues("app.url=jdbc:postgresql://" + SandboxStack.DATABASE_HOST + ":" + stack.source().port() + "/" + SandboxStack.DATABASE,
                        "app.password=" + stack.source().password());
    }

    @Test
    void withTheTwoSettingsTheApplicationsPoolHoldsThenMovesToTheTargetAndLeavesTheSource() {
        application.withPropertyValues("cutover.client.bootstrap-servers=" + stack.kafkaBootstrapServers(), "cutover.client.database=spring")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DataSource pool = context.getBean(DataSource.class);
                    CutoverClient client = context.getBean(CutoverClient.class);
                    assertThat(pool).isInstanceOf(FollowingPool.class);
                    assertThat(client.awaitFollowing(PATIENCE)).isTrue();
                    try (Connection before = pool.getConnection()) {
                        assertThat(Servers.serverAddress(before)).isEqualTo("127.0.0.2");
                    }

                    try (Saga saga = new Saga(stack.kafkaBootstrapServers(), "spring")) {
                        saga.dnsFlipped("127.0.0.2", "127.0.0.3");
                        saga.stopTraffic();
                        await().atMost(PATIENCE).until(() -> client.route() instanceof Route.Holding);
                        Checkout held = Checkout.start(pool);
                        await().atMost(PATIENCE).until(held::isHeld);
                        assertThat(held.server()).isNotDone();

                        saga.targetOpened();
                        assertThat(held.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("127.0.0.3");
                    }
                    await().atMost(PATIENCE).until(() -> Servers.sessions(stack.source(), APPLICATION) == 0);
                    try (Connection after = pool.getConnection()) {
                        assertThat(Servers.serverAddress(after)).isEqualTo("127.0.0.3");
                    }
                });
    }

    @Test
    void withoutTheSettingsTheApplicationsPoolIsLeftAsItIs() {
        application.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(CutoverClient.class);
            assertThat(context.getBean(DataSource.class)).isExactlyInstanceOf(HikariDataSource.class);
        });
    }

    @Test
    void withoutTheDatabasesNameTheApplicationStopsAndSaysWhichSettingToAdd() {
        application.withPropertyValues("cutover.client.bootstrap-servers=" + stack.kafkaBootstrapServers())
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("cutover.client.database is not set"));
    }

    /** The application's own pool, made the way Spring Boot's DataSourceBuilder makes it: lazily, with setters. */
    @Configuration(proxyBeanMethods = false)
    static class ApplicationDataSource {

        @Bean
        HikariDataSource dataSource(Environment environment) {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(environment.getRequiredProperty("app.url"));
            pool.setUsername("postgres");
            pool.setPassword(environment.getRequiredProperty("app.password"));
            pool.setMaximumPoolSize(2);
            pool.addDataSourceProperty("ApplicationName", APPLICATION);
            return pool;
        }
    }
}
