package dev.cutover.sandbox;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The local rehearsal: every service on the local stack, a client at 1,000 writes/s, a report. */
@SpringBootApplication
public class Sandbox {

    public static void main(String[] args) {
        SpringApplication.run(Sandbox.class, args);
    }
}
