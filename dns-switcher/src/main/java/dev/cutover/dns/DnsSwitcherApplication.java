package dev.cutover.dns;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;

/** Where the database's DNS name points: Route53 and RFC 2136 providers. */
@SpringBootApplication
@PropertySource("classpath:dns-switcher.properties")
public class DnsSwitcherApplication {

    public static void main(String[] args) {
        SpringApplication.run(DnsSwitcherApplication.class, args);
    }
}
