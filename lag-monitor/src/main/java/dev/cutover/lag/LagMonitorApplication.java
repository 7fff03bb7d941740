package dev.cutover.lag;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import dev.cutover.lag.settings.LagSettings;

/** Observes replication: lag, stalls, heartbeat, canary catch-up. */
@SpringBootApplication
@PropertySource("classpath:lag-monitor.properties")
@EnableConfigurationProperties(LagSettings.class)
public class LagMonitorApplication {

    public static void main(String[] args) {
        SpringApplication.run(LagMonitorApplication.class, args);
    }
}
