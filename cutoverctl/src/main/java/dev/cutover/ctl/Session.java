package dev.cutover.ctl;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;

/**
 * What one run of the tool works with: where to print, which Kafka, which clock, how Ctrl-C reaches a command
 * that runs until stopped, and who runs it ({@code $USER}, the operator when none is named). Tests pass their own
 * streams and run commands on threads.
 */
record Session(PrintStream out, PrintStream err, KafkaClients kafka, Clock clock, Interrupts interrupts,
        Optional<String> user) {

    /**
     * Who asks. When the tool logs in to Kafka as a SASL user, that user, whom the broker authenticated and whose ACLs
     * let it write the commands: an {@code --operator} naming someone else is refused. Otherwise {@code --operator},
     * else {@code $USER}.
     */
    String operator(Arguments arguments) {
        Optional<String> typed = arguments.optional("operator");
        Optional<String> authenticated = kafka.saslUser();
        if (authenticated.isPresent()) {
            if (typed.isPresent() && !typed.get().equals(authenticated.get())) {
                throw new UsageException("--operator " + typed.get() + " is not who you log in to Kafka as ("
                        + authenticated.get() + ", in --kafka-config): leave --operator out");
            }
            return authenticated.get();
        }
        return typed.or(this::user).orElseThrow(() -> new UsageException(
                "--operator is required: $USER is not set to say who asks"));
    }
}
