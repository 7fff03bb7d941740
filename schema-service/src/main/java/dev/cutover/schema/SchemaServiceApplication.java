package dev.cutover.schema;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;

/** Structure of the target: preflight checks, schema in two sections, verification, sequence sync. */
@SpringBootApplication
@PropertySource("classpath:schema-service.properties")
public class SchemaServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SchemaServiceApplication.class, args);
    }
}
