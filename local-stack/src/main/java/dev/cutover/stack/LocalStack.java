package dev.cutover.stack;

import java.time.Duration;
import java.util.Map;

/**
 * A Kafka broker, a source and a target PostgreSQL server and a DNS server, running together.
 *
 * <p>Start one with {@link #start(StackOptions)}; in JUnit tests share one per JVM with
 * {@link SharedStackExtension}.
 */
public interface LocalStack extends AutoCloseable {

    /** Kafka's {@code bootstrap.servers}, e.g. {@code localhost:40123}. */
    String kafkaBootstrapServers();

    /** The Kafka node, e.g. to restart it the way a broker restarts in production. */
    Kafka kafka();

    /** The server the data moves away from (PostgreSQL 11 unless configured otherwise). */
    Postgres source();

    /** The server the data moves to (PostgreSQL 17 unless configured otherwise). */
    Postgres target();

    DnsServer dns();

    /** How long each part took to start, keyed by {@link StackPart}, in start order. */
    Map<StackPart, Duration> startupTimes();

    /** Stops everything that is still running; never throws for parts that already stopped. */
    @Override
    void close();

    /**
     * Starts the parts the options ask for, as local processes, or as containers when
     * {@link StackOptions#backend()} is {@link StackOptions.Backend#TESTCONTAINERS}
     * ({@code -Dstack=testcontainers}).
     */
    static LocalStack start(StackOptions options) {
        return switch (options.backend()) {
            case PROCESSES -> ProcessStack.start(options);
            case TESTCONTAINERS -> TestcontainersStack.start(options);
        };
    }

    /** Starts a stack with {@link StackOptions#defaults()}. */
    static LocalStack start() {
        return start(StackOptions.defaults());
    }
}
