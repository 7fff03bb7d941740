package dev.cutover.client.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import com.zaxxer.hikari.HikariDataSource;

import dev.cutover.client.CutoverClient;

/** Follows the database's cutover when {@code cutover.client.bootstrap-servers} is set, and moves every HikariCP pool with it. */
@AutoConfiguration
@ConditionalOnClass(HikariDataSource.class)
@ConditionalOnProperty(prefix = "cutover.client", name = "bootstrap-servers")
@EnableConfigurationProperties(CutoverClientProperties.class)
public class CutoverClientAutoConfiguration {

    @Bean(destroyMethod = "close")
    CutoverClient cutoverClient(CutoverClientProperties properties) {
        return CutoverClient.start(properties.settings());
    }

    /** Static, and reaching the client only when a pool appears, so that post-processing starts no bean early. */
    @Bean
    static BeanPostProcessor cutoverClientPools(ObjectProvider<CutoverClient> client) {
        return new FollowingPoolPostProcessor(client);
    }
}
