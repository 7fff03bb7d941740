package dev.cutover.dns;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Where the database's DNS name points: Route53 and RFC 2136 providers. */
@SpringBootApplication
public class DnsSwitcherApplication {

    public static void main(String[] args) {
        SpringApplication.run(DnsSwitcherApplication.class, args);
    }
}
