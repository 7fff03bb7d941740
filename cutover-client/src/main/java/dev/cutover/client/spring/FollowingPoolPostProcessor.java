package dev.cutover.client.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

import com.zaxxer.hikari.HikariDataSource;

import dev.cutover.client.CutoverClient;
import dev.cutover.client.FollowingPool;

/**
 * Puts a {@link FollowingPool} with the same settings in place of each {@link HikariDataSource} bean, once its
 * properties are bound and before anyone uses it. The replacement is a {@code HikariDataSource} too, so injection
 * points, metrics and health checks see the type they expect.
 */
final class FollowingPoolPostProcessor implements BeanPostProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(FollowingPoolPostProcessor.class);

    private final ObjectProvider<CutoverClient> client;

    FollowingPoolPostProcessor(ObjectProvider<CutoverClient> client) {
        this.client = client;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (!(bean instanceof HikariDataSource pool) || bean instanceof FollowingPool) {
            return bean;
        }
        if (pool.getHikariPoolMXBean() != null) {
            LOG.warn("the pool of bean '{}' was started while it was being created, before cutover-client could follow it: it will not "
                    + "follow cutovers. Create it with new HikariDataSource() and setters, as Spring Boot does, not new HikariDataSource(config)", name);
            return bean;
        }
        LOG.info("the pool of bean '{}' follows cutovers of database {}", name, client.getObject().settings().database());
        return client.getObject().follow(pool);
    }
}
