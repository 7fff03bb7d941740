package dev.cutover.ctl;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The ops command line: start, abort, status, watch, timeline, tail. */
@SpringBootApplication
public class Cutoverctl {

    public static void main(String[] args) {
        SpringApplication.run(Cutoverctl.class, args);
    }
}
