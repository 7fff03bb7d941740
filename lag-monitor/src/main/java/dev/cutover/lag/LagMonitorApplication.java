package dev.cutover.lag;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import dev.cutover.lag.settings.LagSettings;
import dev.cutover.lag.silence.SagaSilenceSettings;

/** Observes replication (lag, stalls, heartbeat, canary catch-up) and watches for a cutover whose saga fell silent. */
@SpringBootApplication
@PropertySource("classpath:lag-monitor.properties")
@EnableConfigurationProperties({LagSettings.class, SagaSilenceSettings.class})
public class LagMonitorApplication {

    public static void main(String[] args) {
        SpringApplication.run(LagMonitorApplication.class, args);
    }
}
