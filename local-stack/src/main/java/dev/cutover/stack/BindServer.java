package dev.cutover.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * A real BIND 9 ({@code named}) serving one zone on a loopback address, accepting dynamic updates
 * signed with the TSIG key {@code cutover-key}.
 */
public final class BindServer implements DnsServer, AutoCloseable {

    /** Path of the {@code named} executable, if it is not on the PATH or in /usr/sbin: {@code -Dcutover.named=...}. */
    public static final String NAMED_PROPERTY = "cutover.named";
    public static final String TSIG_KEY_NAME = "cutover-key";
    public static final String TSIG_ALGORITHM = "hmac-sha256";
    /** Time to live of the zone's records, short so that clients follow a flip quickly. */
    public static final Duration TTL = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(BindServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String MARKER = "_cutover-stack";
    /** How many times, {@link #UPDATE_PROBE_PAUSE} apart, a new server is asked to take an update before it is given up. */
    private static final int UPDATE_PROBES = 10;
    private static final Duration UPDATE_PROBE_PAUSE = Duration.ofMillis(100);

    /**
     * How to run BIND.
     *
     * @param host address to listen on (UDP and TCP)
     * @param port 0 for a free port
     * @param zone absolute zone name, e.g. {@code cutover.test.}
     * @param addresses A records in the zone, name relative to the zone to IPv4 address, e.g. {@code db -> 127.0.0.2}
     * @param directory where the configuration, zone and journal go; {@code null} for a temporary directory deleted on close
     */
    public record Options(String host, int port, String zone, Map<String, String> addresses, Path directory) {

        public Options {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (a free port) or 1..65535, but is " + port);
            }
            zone = Objects.requireNonNull(zone, "zone").endsWith(".") ? zone : zone + ".";
            addresses = Map.copyOf(addresses);
        }

        /** Zone {@code cutover.test.} with {@code db} at 127.0.0.1, on 127.0.0.1 at a free port. */
        public static Options of() {
            return new Options("127.0.0.1", 0, "cutover.test.", Map.of("db", "127.0.0.1"), null);
        }

        public Options withHost(String newHost) {
            return new Options(newHost, port, zone, addresses, directory);
        }

        public Options withPort(int newPort) {
            return new Options(host, newPort, zone, addresses, directory);
        }

        public Options withZone(String newZone) {
            return new Options(host, port, newZone, addresses, directory);
        }

        public Options withAddresses(Map<String, String> newAddresses) {
            return new Options(host, port, zone, newAddresses, directory);
        }

        public Options withDirectory(Path newDirectory) {
            return new Options(host, port, zone, addresses, newDirectory);
        }
    }

    private final Options options;
    private final Path named;
    private final Path directory;
    private final boolean ownsDirectory;
    private final String secret;
    private final String token = UUID.randomUUID().toString();
    private Process process;
    private int port;
    private boolean closed;

    private BindServer(Options options, Path named, Path directory, boolean ownsDirectory) {
        this.options = options;
        this.named = named;
        this.directory = directory;
        this.ownsDirectory = ownsDirectory;
        this.secret = newSecret();
    }

    /** Starts {@code named}; fails with a message saying what to do (install BIND, free the port). */
    public static BindServer start(Options options) {
        return start(options, Os.findExecutable("named", NAMED_PROPERTY, List.of("/usr/sbin", "/usr/local/sbin", "/sbin")));
    }

    static BindServer start(Options options, Optional<Path> installedNamed) {
        long started = System.nanoTime();
        Path named = installedNamed
                .orElseThrow(() -> new StackException("BIND 9 is not installed: no `named` on the PATH or in /usr/sbin"
                        + (System.getProperty(NAMED_PROPERTY) == null ? "" : " (nor at -D" + NAMED_PROPERTY + "=" + System.getProperty(NAMED_PROPERTY) + ")")
                        + ". Install it with `apt-get install bind9` (Debian/Ubuntu), or point -D" + NAMED_PROPERTY + " at named."));
        boolean ownsDirectory = options.directory() == null;
        Path directory = ownsDirectory ? Os.createWorkDirectory("bind") : options.directory().toAbsolutePath();
        Os.createDirectories(directory);
        BindServer server = new BindServer(options, named, directory, ownsDirectory);
        Reaper.register(server);
        try {
            server.startOnSomePort();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("BIND ready on {}:{} serving {} in {} ms", options.host(), server.port, options.zone(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return server;
    }

    private void startOnSomePort() {
        Ports.launchOnFreePort(options.port(), () -> Ports.freeTcpAndUdpPort(options.host()), this::launch,
                "another DNS server answers on port {}; trying another");
    }

    private synchronized void launch(int candidate) {
        if (!Ports.tcpFree(options.host(), candidate) || !Ports.udpFree(options.host(), candidate)) {
            throw new PortTakenException("BIND", options.host(), candidate);
        }
        Path conf = directory.resolve("named.conf");
        Path logFile = logFile();
        try {
            Files.writeString(conf, configuration(candidate));
            Files.deleteIfExists(zoneFile().resolveSibling(zoneFile().getFileName() + ".jnl"));
            Files.writeString(zoneFile(), zoneContents());
            process = new ProcessBuilder(named.toString(), "-g", "-4", "-c", conf.toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new StackException("cannot start " + named + " in " + directory + ": " + e.getMessage(), e);
        }
        port = candidate;
        awaitRunning();
        Optional<String> foreign = foreignAnswer();
        if (foreign.isPresent()) {
            stopProcess();
            log.info("a query to our BIND on port {} got {} instead of our token", candidate, foreign.get());
            throw new PortTakenException("BIND (another DNS server answers there too)", options.host(), candidate);
        }
        Optional<String> refused = updateRefused();
        if (refused.isPresent()) {
            String output = Os.tail(logFile(), 40);
            stopProcess();
            log.warn("our BIND on port {} answered a signed update with {}; trying another port. Its output:\n{}",
                    candidate, refused.get(), output);
            throw new PortTakenException("BIND (it refused a signed update: " + refused.get() + ")", options.host(),
                    candidate);
        }
    }

    /**
     * A server that answers queries may still refuse updates (SERVFAIL was seen in test runs, for every update to one
     * server), and the stack's users need updates: one signed update that really changes the zone, so that its journal
     * is written, must be answered NOERROR, within a few tries, before the server counts as started.
     */
    private Optional<String> updateRefused() {
        String last = "no answer";
        for (int attempt = 0; attempt < UPDATE_PROBES; attempt++) {
            try {
                Update update = new Update(Name.fromString(options.zone()));
                update.replace(Name.fromString(MARKER + "-updatable." + options.zone()), Type.TXT, TTL.toSeconds(),
                        "\"" + attempt + "\"");
                SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(options.host()));
                resolver.setPort(port);
                resolver.setTimeout(Duration.ofSeconds(2));
                resolver.setTSIGKey(new TSIG(tsigAlgorithm(), tsigKeyName(), tsigSecret()));
                Message response = resolver.send(update);
                if (response.getRcode() == Rcode.NOERROR) {
                    return Optional.empty();
                }
                last = Rcode.string(response.getRcode());
            } catch (IOException e) {
                last = "no response: " + e.getMessage();
            }
            try {
                Thread.sleep(UPDATE_PROBE_PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for named to take updates", e);
            }
        }
        return Optional.of(last);
    }

    private void awaitRunning() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException("named exited with code " + process.exitValue() + " at start-up. Its output (" + logFile() + "):\n"
                        + Os.tail(logFile(), 30));
            }
            if (Os.read(logFile()).contains("\nrunning") || Os.read(logFile()).contains(" running\n")) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for named", e);
            }
        }
        stopProcess();
        throw new StackException("named did not finish starting within " + START_TIMEOUT.toSeconds() + " s. Its output (" + logFile() + "):\n"
                + Os.tail(logFile(), 30));
    }

    /**
     * BIND listens with SO_REUSEPORT, so a second server on our port starts fine and the kernel spreads
     * queries over both: only if every answer carries our token is the port ours alone.
     */
    private Optional<String> foreignAnswer() {
        for (int query = 0; query < 12; query++) {
            String answer = queryMarker(query % 4 == 3);
            if (!token.equals(answer)) {
                return Optional.of(answer);
            }
        }
        return Optional.empty();
    }

    private String queryMarker(boolean tcp) {
        try {
            SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(options.host()));
            resolver.setPort(port);
            resolver.setTCP(tcp);
            resolver.setTimeout(Duration.ofSeconds(2));
            Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(MARKER + "." + options.zone()), Type.TXT, DClass.IN)));
            if (response.getRcode() != Rcode.NOERROR) {
                return Rcode.string(response.getRcode());
            }
            return response.getSection(Section.ANSWER).stream()
                    .filter(TXTRecord.class::isInstance)
                    .map(r -> String.join("", ((TXTRecord) r).getStrings()))
                    .findFirst()
                    .orElse("no answer");
        } catch (IOException e) {
            return "no response: " + e.getMessage();
        }
    }

    private String configuration(int listenPort) {
        return namedConf(directory.toString(), listenPort, options.host(), options.zone(), secret, zoneFile().toString());
    }

    private String zoneContents() {
        return zoneText(options.zone(), options.host(), options.addresses(), token);
    }

    /** A {@code named.conf} for one zone updatable with {@link #TSIG_KEY_NAME}; also used for the BIND container. */
    static String namedConf(String directory, int listenPort, String listenOn, String zone, String secret, String zoneFile) {
        return """
                // Written by cutover's local stack.
                options {
                    directory "%1$s";
                    pid-file "%1$s/named.pid";
                    session-keyfile "%1$s/session.key";
                    managed-keys-directory "%1$s";
                    listen-on port %2$d { %3$s; };
                    listen-on-v6 { none; };
                    recursion no;
                    allow-query { any; };
                    allow-transfer { none; };
                    notify no;
                    dnssec-validation no;
                };
                controls { };
                key "%4$s" {
                    algorithm %5$s;
                    secret "%6$s";
                };
                zone "%7$s" {
                    type primary;
                    file "%8$s";
                    update-policy { grant %4$s zonesub ANY; };
                };
                """.formatted(directory, listenPort, listenOn, TSIG_KEY_NAME, TSIG_ALGORITHM, secret, stripDot(zone), zoneFile);
    }

    /** The zone: SOA, NS, the A records and a TXT record with a token by which a server proves it is ours. */
    static String zoneText(String zone, String nameServerAddress, Map<String, String> addresses, String token) {
        StringBuilder text = new StringBuilder();
        text.append("$ORIGIN ").append(zone).append('\n');
        text.append("$TTL ").append(TTL.toSeconds()).append('\n');
        text.append("@ IN SOA ns hostmaster ( 1 3600 600 86400 ").append(TTL.toSeconds()).append(" )\n");
        text.append("@ IN NS ns\n");
        text.append("ns IN A ").append(nameServerAddress).append('\n');
        addresses.keySet().stream().sorted()
                .forEach(name -> text.append(name).append(" IN A ").append(addresses.get(name)).append('\n'));
        text.append(MARKER).append(" IN TXT \"").append(token).append("\"\n");
        return text.toString();
    }

    static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private Path zoneFile() {
        return directory.resolve(stripDot(options.zone()) + ".zone");
    }

    private static String stripDot(String zone) {
        return zone.substring(0, zone.length() - 1);
    }

    /** named's output, worth reading when an update is refused. */
    public Path logFile() {
        return directory.resolve("named.log");
    }

    @Override
    public String host() {
        return options.host();
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public String zone() {
        return options.zone();
    }

    @Override
    public String tsigKeyName() {
        return TSIG_KEY_NAME;
    }

    @Override
    public String tsigAlgorithm() {
        return TSIG_ALGORITHM;
    }

    @Override
    public String tsigSecret() {
        return secret;
    }

    private void stopProcess() {
        Os.terminate(process, "named", Duration.ofSeconds(10));
    }

    /** Stops named and deletes its directory if it made it; does nothing the second time. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopProcess();
        } finally {
            Reaper.unregister(this);
            if (ownsDirectory) {
                Os.deleteRecursively(directory);
            }
        }
    }

    @Override
    public String toString() {
        return "BIND on " + options.host() + ":" + port + " serving " + options.zone();
    }
}
