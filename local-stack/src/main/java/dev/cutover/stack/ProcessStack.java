package dev.cutover.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stack as processes on this machine, its parts started in parallel. */
final class ProcessStack implements LocalStack {

    private static final Logger log = LoggerFactory.getLogger(ProcessStack.class);
    private static final int SHARED_PORT_ATTEMPTS = 5;

    private final StackOptions options;
    private final Path workDirectory;
    private final boolean ownsWorkDirectory;
    private final Map<StackPart, Duration> startupTimes = new EnumMap<>(StackPart.class);
    private volatile Kafka kafka;
    private volatile PostgresServer source;
    private volatile PostgresServer target;
    private volatile BindServer dns;
    private boolean closed;

    private ProcessStack(StackOptions options, Path workDirectory, boolean ownsWorkDirectory) {
        this.options = options;
        this.workDirectory = workDirectory;
        this.ownsWorkDirectory = ownsWorkDirectory;
    }

    static ProcessStack start(StackOptions options) {
        long started = System.nanoTime();
        boolean owns = options.workDirectory() == null;
        Path work = owns ? Os.createWorkDirectory("stack") : options.workDirectory().toAbsolutePath();
        ProcessStack stack = new ProcessStack(options, work, owns);
        if (!owns) {
            Os.createDirectories(work);
            stack.deletePartDirectories();
        }
        Reaper.register(stack);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "local-stack-start-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Future<?> kafka = options.starts(StackPart.KAFKA)
                ? pool.submit(() -> stack.kafka = stack.timed(StackPart.KAFKA, () -> options.kafkaProcess()
                        ? KafkaProcess.start(work.resolve("kafka"), options.kafkaSecurity())
                        : KafkaBroker.start()))
                : null;
        Future<?> dns = options.starts(StackPart.DNS)
                ? pool.submit(() -> stack.dns = stack.timed(StackPart.DNS, () -> BindServer.start(stack.bindOptions())))
                : null;
        try {
            stack.startPostgres(pool);
            await(kafka);
            await(dns);
        } catch (RuntimeException e) {
            // Let the other parts finish starting, so that closing stops them too.
            for (Future<?> other : new Future<?>[] {kafka, dns}) {
                try {
                    await(other);
                } catch (RuntimeException alsoFailed) {
                    if (alsoFailed != e) {
                        e.addSuppressed(alsoFailed);
                    }
                }
            }
            stack.close();
            throw e;
        } finally {
            pool.shutdown();
        }
        log.info("local stack ready in {} ms: {}", Duration.ofNanos(System.nanoTime() - started).toMillis(), stack.describe());
        return stack;
    }

    private BindServer.Options bindOptions() {
        return new BindServer.Options(options.dnsHost(), 0, options.dnsZone(), Map.of("db", options.sourceHost()), workDirectory.resolve("dns"));
    }

    private PostgresServer.Options postgresOptions(StackPart part, int port) {
        boolean isSource = part == StackPart.SOURCE;
        return PostgresServer.Options.of(isSource ? options.sourceVersion() : options.targetVersion())
                .withHost(isSource ? options.sourceHost() : options.targetHost())
                .withPort(port)
                .withDirectory(workDirectory.resolve(isSource ? "source" : "target"));
    }

    /**
     * Starts source and target in parallel. On one shared free port a third process may take the port
     * between our check and the second server binding it; then both start again on another port.
     */
    private void startPostgres(ExecutorService pool) {
        boolean pickSharedPort = options.samePort() && options.sourcePort() == 0;
        int attempts = pickSharedPort ? SHARED_PORT_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            int sourcePort = options.sourcePort();
            int targetPort = options.targetPort();
            if (pickSharedPort) {
                sourcePort = Ports.freeTcpPort(options.sourceHost(), options.targetHost());
                targetPort = sourcePort;
            }
            int s = sourcePort;
            int t = targetPort;
            Future<PostgresServer> sourceStart = options.starts(StackPart.SOURCE)
                    ? pool.submit(() -> timed(StackPart.SOURCE, () -> PostgresServer.start(postgresOptions(StackPart.SOURCE, s))))
                    : null;
            Future<PostgresServer> targetStart = options.starts(StackPart.TARGET)
                    ? pool.submit(() -> timed(StackPart.TARGET, () -> PostgresServer.start(postgresOptions(StackPart.TARGET, t))))
                    : null;
            List<RuntimeException> failures = new ArrayList<>();
            source = collect(sourceStart, failures);
            target = collect(targetStart, failures);
            if (failures.isEmpty()) {
                return;
            }
            closeQuietly(source);
            closeQuietly(target);
            source = null;
            target = null;
            deletePartDirectories();
            boolean portRace = failures.stream().allMatch(PortTakenException.class::isInstance);
            if (!portRace || attempt >= attempts) {
                RuntimeException first = failures.getFirst();
                failures.stream().skip(1).forEach(first::addSuppressed);
                throw first;
            }
            log.info("shared port {} was taken before both servers bound it; trying another", sourcePort);
        }
    }

    private static <T> T collect(Future<T> future, List<RuntimeException> failures) {
        if (future == null) {
            return null;
        }
        try {
            return future.get();
        } catch (ExecutionException e) {
            failures.add(e.getCause() instanceof RuntimeException r ? r : new StackException(e.getCause().getMessage(), e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(new StackException("interrupted while starting PostgreSQL", e));
        }
        return null;
    }

    private static void await(Future<?> future) {
        if (future == null) {
            return;
        }
        try {
            future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new StackException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while starting the local stack", e);
        }
    }

    private <T> T timed(StackPart part, Supplier<T> starter) {
        long started = System.nanoTime();
        T running = starter.get();
        synchronized (startupTimes) {
            startupTimes.put(part, Duration.ofNanos(System.nanoTime() - started));
        }
        return running;
    }

    private void deletePartDirectories() {
        for (String part : List.of("source", "target", "dns", "kafka")) {
            Os.deleteRecursively(workDirectory.resolve(part));
        }
    }

    private String describe() {
        StringBuilder text = new StringBuilder();
        startupTimes().forEach((part, took) -> text.append(part.name().toLowerCase()).append(' ').append(took.toMillis()).append(" ms, "));
        text.append("work directory ").append(workDirectory);
        return text.toString();
    }

    @Override
    public String kafkaBootstrapServers() {
        return require(kafka, StackPart.KAFKA).bootstrapServers();
    }

    @Override
    public PostgresServer source() {
        return require(source, StackPart.SOURCE);
    }

    @Override
    public PostgresServer target() {
        return require(target, StackPart.TARGET);
    }

    @Override
    public BindServer dns() {
        return require(dns, StackPart.DNS);
    }

    @Override
    public Kafka kafka() {
        return require(kafka, StackPart.KAFKA);
    }

    private <T> T require(T part, StackPart which) {
        if (part == null) {
            throw new IllegalStateException("this stack was started without " + which + ": add StackPart." + which + " to StackOptions.parts");
        }
        return part;
    }

    @Override
    public Map<StackPart, Duration> startupTimes() {
        synchronized (startupTimes) {
            return new LinkedHashMap<>(startupTimes);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        closeQuietly(dns);
        closeQuietly(target);
        closeQuietly(source);
        closeQuietly(kafka);
        Reaper.unregister(this);
        try {
            if (ownsWorkDirectory) {
                Os.deleteRecursively(workDirectory);
            } else {
                deletePartDirectories();
            }
        } catch (RuntimeException e) {
            log.warn("could not delete {}", workDirectory, e);
        }
        log.info("local stack stopped in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static void closeQuietly(AutoCloseable part) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception e) {
            log.warn("could not stop {}", part, e);
        }
    }

    @Override
    public String toString() {
        return "local stack in " + workDirectory;
    }
}
