package dev.cutover.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.PropertySource;

/** The operators' web console: reads the cutover topics and shows them live in a browser. */
@SpringBootApplication
@PropertySource("classpath:console.properties")
@EnableConfigurationProperties(ConsoleSettings.class)
public class ConsoleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsoleApplication.class, args);
    }
}
