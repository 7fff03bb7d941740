package dev.cutover.lag;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Observes replication: lag, stalls, heartbeat, canary catch-up. */
@SpringBootApplication
public class LagMonitorApplication {

    public static void main(String[] args) {
        SpringApplication.run(LagMonitorApplication.class, args);
    }
}
