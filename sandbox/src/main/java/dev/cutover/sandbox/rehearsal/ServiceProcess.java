package dev.cutover.sandbox.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * One service as an operator runs it: {@code java @jvm.options -jar <module>-exec.jar --setting=value ...} (the
 * options file where the module ships one), its output in a log file, ready once its health endpoint answers.
 * {@link #kill()} ends it with SIGKILL, as a crash would.
 *
 * <p>Its HTTP port is picked free just before the launch; another process on the machine can take it before the
 * service binds it, so a service that stops for that reason alone is launched again on another port. The kernel can
 * also offer a port it just offered for a service that has not bound it yet; two services on one port would make
 * the second's health check answered by the first, and the second's failure to start go unseen, so no port is handed
 * out twice in one run.
 */
final class ServiceProcess {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final int LAUNCHES = 5;
    /** Every port handed out to a service by this process. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    /** The JVM options file a module ships beside its pom, read by {@code java @<file>}. */
    static final String JVM_OPTIONS = "jvm.options";

    private final String module;
    private final Map<String, Object> settings;
    private final Path log;
    private Process process;
    private int port;
    private int launches;

    private ServiceProcess(String module, Map<String, Object> settings, Path logDirectory) {
        this.module = module;
        this.settings = Map.copyOf(settings);
        this.log = logDirectory.resolve(module + ".log");
    }

    /** Starts the module's exec jar with these settings and returns once it reports itself up. */
    static ServiceProcess start(String module, Map<String, Object> settings, Path logDirectory) {
        ServiceProcess started = launch(module, settings, logDirectory);
        started.awaitUp();
        return started;
    }

    /** Starts the module's exec jar with these settings; {@link #awaitUp()} waits until it reports itself up. */
    static ServiceProcess launch(String module, Map<String, Object> settings, Path logDirectory) {
        ServiceProcess service = new ServiceProcess(module, settings, logDirectory);
        service.launch();
        return service;
    }

    private void launch() {
        port = unusedPort(ServiceProcess::freePort, HANDED_OUT);
        launches++;
        Map<String, Object> all = new TreeMap<>(settings);
        all.put("server.port", port);
        List<String> command = javaCommand(Path.of(System.getProperty("java.home"), "bin", "java"),
                moduleDirectory(module), execJar(module));
        all.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + module + ": " + e.getMessage(), e);
        }
    }

    void awaitUp() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (true) {
            if (!process.isAlive()) {
                if (lostItsPort() && launches < LAUNCHES) {
                    launch();
                    continue;
                }
                throw new RehearsalFailed(module + " exited with code " + process.exitValue() + " while starting; its log: "
                        + log + "\n" + tail());
            }
            HttpRequest health = HttpRequest.newBuilder(URI.create(actuator() + "/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RehearsalFailed("interrupted while " + module + " was starting");
            }
            if (Instant.now().isAfter(deadline)) {
                kill();
                throw new RehearsalFailed(module + " was not up within " + READY_TIMEOUT.toSeconds() + " s; its log: " + log
                        + "\n" + tail());
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    /** Where its actuator answers, e.g. {@code /actuator/health} below it. */
    URI actuator() {
        return URI.create("http://127.0.0.1:" + port + "/actuator");
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (a graceful shutdown, as a service manager stops it), SIGKILL if it is not gone within 30 s. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** Spring Boot's own words when the web server cannot bind its port. */
    private boolean lostItsPort() {
        try {
            return Files.readString(log).contains("Port " + port + " was already in use");
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    /**
     * {@code java [@<module>/jvm.options] -jar <exec jar>}: the JVM options the module ships (decision 124), as its
     * Dockerfile passes them, when it ships any.
     */
    static List<String> javaCommand(Path java, Path moduleDirectory, Path execJar) {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        Path options = moduleDirectory.resolve(JVM_OPTIONS);
        if (Files.isRegularFile(options)) {
            command.add("@" + options);
        }
        command.addAll(List.of("-jar", execJar.toString()));
        return command;
    }

    /** {@code <module>/target/<module>-<version>-exec.jar} under the project's root ({@link #moduleDirectory}). */
    static Path execJar(String module) {
        Path target = moduleDirectory(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().startsWith(module + "-")
                    && f.getFileName().toString().endsWith("-exec.jar")).sorted().toList();
            if (!jars.isEmpty()) {
                return jars.getLast();
            }
        } catch (IOException e) {
            // No target directory: not built yet, said below.
        }
        throw new RehearsalFailed("no " + target + "/" + module + "-*-exec.jar: build it first (./mvnw -B -q package -DskipTests)");
    }

    /**
     * A module's directory under the project's root: the working directory or one of its parents ({@code ./rehearse}
     * runs at the root, a module's tests one level below it).
     */
    static Path moduleDirectory(String module) {
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            if (Files.isDirectory(directory.resolve(module).resolve("target"))) {
                return directory.resolve(module);
            }
        }
        throw new RehearsalFailed("no " + module + "/target under " + Path.of("").toAbsolutePath()
                + " or its parents: build the project first (./mvnw -B -q package -DskipTests)");
    }

    /** A free port that {@code handedOut} does not hold yet, added to it. */
    static int unusedPort(IntSupplier free, Set<Integer> handedOut) {
        while (true) {
            int candidate = free.getAsInt();
            if (handedOut.add(candidate)) {
                return candidate;
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return module + " (pid " + process.pid() + ")";
    }
}
