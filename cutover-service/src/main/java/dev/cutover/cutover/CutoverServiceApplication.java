package dev.cutover.cutover;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;

/** The migration and cutover sagas, the source fence and the ops API. */
@SpringBootApplication
@PropertySource("classpath:cutover-service.properties")
public class CutoverServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CutoverServiceApplication.class, args);
    }
}
