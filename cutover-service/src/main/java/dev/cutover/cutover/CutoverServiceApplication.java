package dev.cutover.cutover;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The migration and cutover sagas, the source fence and the ops API. */
@SpringBootApplication
public class CutoverServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CutoverServiceApplication.class, args);
    }
}
