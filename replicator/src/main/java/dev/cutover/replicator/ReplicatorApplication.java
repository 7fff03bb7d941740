package dev.cutover.replicator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.PropertySource;

import dev.cutover.replicator.copy.RunningLoads;

/** The data path: snapshot-consistent parallel full load, then native logical replication. */
@SpringBootApplication
@PropertySource("classpath:replicator.properties")
@EnableConfigurationProperties({ReplicatorSettings.class, LoadSharingSettings.class})
public class ReplicatorApplication {

    /** The full loads running here, so that an abort can stop its migration's copy. */
    @Bean
    RunningLoads runningLoads() {
        return new RunningLoads();
    }

    public static void main(String[] args) {
        SpringApplication.run(ReplicatorApplication.class, args);
    }
}
