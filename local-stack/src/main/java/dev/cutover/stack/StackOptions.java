package dev.cutover.stack;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link LocalStack#start(StackOptions)} starts and where.
 *
 * @param sourceVersion PostgreSQL binaries version of the source, e.g. {@code 11.22.1}; a bare major
 *     version ({@code 11}, {@code 12}, {@code 15}, {@code 16}, {@code 17}) means the version we tested
 * @param targetVersion the same for the target
 * @param sourceHost loopback address the source listens on
 * @param targetHost loopback address the target listens on
 * @param sourcePort 0 for a free port
 * @param targetPort 0 for a free port
 * @param samePort source and target listen on one port (at different hosts), so that a DNS name
 *     can move clients from one to the other
 * @param dnsHost address BIND listens on (on a free port)
 * @param dnsZone zone BIND serves, absolute, e.g. {@code cutover.test.}
 * @param parts the parts to start
 * @param workDirectory where data, sockets and logs go; {@code null} for a new temporary directory
 *     that is deleted on close
 * @param backend processes on this machine, or containers on a Docker engine
 * @param kafkaProcess Kafka in a JVM of its own ({@link KafkaProcess}) rather than inside this one ({@link KafkaBroker}),
 *     as in production; processes backend only
 * @param kafkaSecurity SASL/SCRAM users and ACL authorization for Kafka, or {@code null} for a plaintext broker that
 *     lets anyone do anything; only with {@code kafkaProcess}
 */
public record StackOptions(
        String sourceVersion,
        String targetVersion,
        String sourceHost,
        String targetHost,
        int sourcePort,
        int targetPort,
        boolean samePort,
        String dnsHost,
        String dnsZone,
        Set<StackPart> parts,
        Path workDirectory,
        Backend backend,
        boolean kafkaProcess,
        KafkaSecurity kafkaSecurity) {

    /** System property naming the source's binaries version, e.g. {@code -Dcutover.source.version=12.22.0}. */
    public static final String SOURCE_VERSION_PROPERTY = "cutover.source.version";
    /** System property naming the target's binaries version. */
    public static final String TARGET_VERSION_PROPERTY = "cutover.target.version";
    /** System property choosing the backend: {@code -Dstack=testcontainers}. */
    public static final String BACKEND_PROPERTY = "stack";

    public static final String DEFAULT_SOURCE_VERSION = "11.22.1";
    public static final String DEFAULT_TARGET_VERSION = "17.11.0";

    public enum Backend {
        PROCESSES,
        TESTCONTAINERS;

        static Backend parse(String value) {
            return switch (value.trim().toLowerCase()) {
                case "", "processes", "process", "local" -> PROCESSES;
                case "testcontainers", "containers", "docker" -> TESTCONTAINERS;
                default -> throw new IllegalArgumentException(
                        "-D" + BACKEND_PROPERTY + "=" + value + " is not a backend: use 'processes' (the default) or 'testcontainers'");
            };
        }
    }

    public StackOptions {
        sourceVersion = PostgresBinaries.fullVersion(Objects.requireNonNull(sourceVersion, "sourceVersion"));
        targetVersion = PostgresBinaries.fullVersion(Objects.requireNonNull(targetVersion, "targetVersion"));
        Objects.requireNonNull(sourceHost, "sourceHost");
        Objects.requireNonNull(targetHost, "targetHost");
        Objects.requireNonNull(dnsHost, "dnsHost");
        Objects.requireNonNull(backend, "backend");
        checkPort(sourcePort, "sourcePort");
        checkPort(targetPort, "targetPort");
        dnsZone = Objects.requireNonNull(dnsZone, "dnsZone").endsWith(".") ? dnsZone : dnsZone + ".";
        parts = parts.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(parts));
        if (samePort && sourceHost.equals(targetHost)) {
            throw new IllegalArgumentException("source and target can share a port only at different addresses, but both are "
                    + sourceHost + ": give them e.g. 127.0.0.2 and 127.0.0.3");
        }
        if (kafkaSecurity != null && !kafkaProcess) {
            throw new IllegalArgumentException("Kafka with SASL and ACLs runs in a JVM of its own: add"
                    + " withKafkaProcess(true) to withKafkaSecurity(...)");
        }
        if (samePort && sourcePort != targetPort) {
            throw new IllegalArgumentException("samePort asks for one port, but sourcePort is " + sourcePort
                    + " and targetPort is " + targetPort + ": use withPostgresPort(port)");
        }
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0 (a free port) or 1..65535, but is " + port);
        }
    }

    /**
     * PostgreSQL 11 and 17 (or {@code -Dcutover.source.version} / {@code -Dcutover.target.version}) on
     * 127.0.0.1 at free ports, Kafka and BIND; processes unless {@code -Dstack=testcontainers}.
     */
    public static StackOptions defaults() {
        return new StackOptions(
                System.getProperty(SOURCE_VERSION_PROPERTY, DEFAULT_SOURCE_VERSION),
                System.getProperty(TARGET_VERSION_PROPERTY, DEFAULT_TARGET_VERSION),
                "127.0.0.1",
                "127.0.0.1",
                0,
                0,
                false,
                "127.0.0.1",
                "cutover.test.",
                EnumSet.allOf(StackPart.class),
                null,
                Backend.parse(System.getProperty(BACKEND_PROPERTY, "")),
                false,
                null);
    }

    /**
     * The defaults with the source at 127.0.0.2 and the target at 127.0.0.3 on one free port, so that
     * flipping {@code db.cutover.test.} moves clients for real.
     */
    public static StackOptions sandbox() {
        return defaults().withSourceHost("127.0.0.2").withTargetHost("127.0.0.3").withSamePostgresPort();
    }

    public StackOptions withSourceVersion(String version) {
        return new StackOptions(version, targetVersion, sourceHost, targetHost, sourcePort, targetPort, samePort, dnsHost, dnsZone, parts, workDirectory, backend, kafkaProcess, kafkaSecurity);
    }

    public StackOptions withTargetVersion(String version) {
        return new StackOptions(sourceVersion, version, sourceHost, targetHost, sourcePort, targetPort, samePort, dnsHost, dnsZone, parts, workDirectory, backend, kafkaProcess, kafkaSecurity);
    }

    public StackOptions withSourceHost(String host) {
        return new StackOptions(sourceVersion, targetVersion, host, targetHost, sourcePort, targetPort, samePort, dnsHost, dnsZone, parts, workDirectory, backend, kafkaProcess, kafkaSecurity);
    }

    public StackOptions withTargetHost(String host) {
        return new StackOptions(sourceVersion, targetVersion, sourceHost, host, sourcePort, targetPort, samePort, dnsHost, dnsZone, parts, workDirectory, backend, kafkaProcess, kafkaSecurity);
    }

    /** Source and target on their own ports; 0 picks a free one. */
    public StackOptions withPorts(int source, int target) {
        return new StackOptions(sourceVersion, targetVersion, sourceHost, targetHost, source, target, false, dnsHost, dnsZone, parts, workDirectory, backend, kafkaProcess, kafkaSecurity);
    }

    /** Source and target on one free port (their hosts must differ). */
    public StackOptions withSamePostgresPort() {
        return withPostgresPort(0);
    }

    /** Source and target on this port (their hosts must differ); 0 picks a free one. */
    public StackOptions withPostgresPort(int port) {
        return new StackOptions(sourceVersion, targetVersion, sourceHost, targetHost, port, port, true, dnsHost, dnsZone, parts, workDirectory, backend, kafkaProcess, kafkaSecurity);
    }

    public StackOptions withDnsHost(String host) {
        return new StackOptions(sourceVersion, targetVersion, sourceHost, targetHost, sourcePort, targetPort, samePort, host, dnsZone, parts, workDirectory, backend, kafkaProcess, kafkaSecurity);
    }

    public StackOptions withDnsZone(String zone) {
        return new StackOptions(sourceVersion, targetVersion, sourceHost, targetHost, sourcePort, targetPort, samePort, dnsHost, zone, parts, workDirectory, backend, kafkaProcess, kafkaSecurity);
    }

    public StackOptions withParts(StackPart... only) {
        return withParts(only.length == 0 ? Set.of() : EnumSet.of(only[0], only));
    }

    public StackOptions withParts(Set<StackPart> only) {
        return new StackOptions(sourceVersion, targetVersion, sourceHost, targetHost, sourcePort, targetPort, samePort, dnsHost, dnsZone, only, workDirectory, backend, kafkaProcess, kafkaSecurity);
    }

    public StackOptions withWorkDirectory(Path directory) {
        return new StackOptions(sourceVersion, targetVersion, sourceHost, targetHost, sourcePort, targetPort, samePort, dnsHost, dnsZone, parts, directory, backend, kafkaProcess, kafkaSecurity);
    }

    public StackOptions withBackend(Backend chosen) {
        return new StackOptions(sourceVersion, targetVersion, sourceHost, targetHost, sourcePort, targetPort, samePort, dnsHost, dnsZone, parts, workDirectory, chosen, kafkaProcess, kafkaSecurity);
    }

    /** Kafka in a JVM of its own, as in production, instead of inside this one. */
    public StackOptions withKafkaProcess(boolean own) {
        return new StackOptions(sourceVersion, targetVersion, sourceHost, targetHost, sourcePort, targetPort, samePort, dnsHost, dnsZone, parts, workDirectory, backend, own, kafkaSecurity);
    }

    /**
     * Kafka with SASL/SCRAM-SHA-512 clients and the StandardAuthorizer (ACLs: {@link KafkaProcess#allow}), in a JVM
     * of its own.
     */
    public StackOptions withKafkaSecurity(KafkaSecurity security) {
        return new StackOptions(sourceVersion, targetVersion, sourceHost, targetHost, sourcePort, targetPort, samePort, dnsHost, dnsZone, parts, workDirectory, backend, true, security);
    }

    public boolean starts(StackPart part) {
        return parts.contains(part);
    }
}
