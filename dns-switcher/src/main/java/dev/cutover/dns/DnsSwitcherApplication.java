package dev.cutover.dns;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;

/** Where the database's clients are sent: a DNS name (Route53, RFC 2136) or a PgBouncer entry. */
@SpringBootApplication
@PropertySource("classpath:dns-switcher.properties")
public class DnsSwitcherApplication {

    public static void main(String[] args) {
        SpringApplication.run(DnsSwitcherApplication.class, args);
    }
}
