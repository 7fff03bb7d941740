package dev.cutover.dns.rfc2136;

import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsTarget;
import dev.cutover.stack.BindServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The local stack's real BIND 9 ({@link BindServer}: zone {@code cutover.test.}, TSIG key
 * {@code cutover-key}, hmac-sha256, a free loopback port), one per test JVM, plus what these tests
 * need around it: the secret in a file, fresh names, and an operator's unguarded update.
 *
 * <p>Only BIND is started, not the whole local stack: these tests need no Kafka or PostgreSQL.
 */
final class BindFixture {

    static final String ZONE = "cutover.test.";

    private static BindFixture shared;

    private final BindServer server;
    private final Path secretFile;

    private BindFixture(BindServer server, Path secretFile) {
        this.server = server;
        this.secretFile = secretFile;
    }

    /** The one server of this JVM, started on first use and stopped when the JVM exits. */
    static synchronized BindFixture shared() {
        if (shared == null) {
            BindServer server = BindServer.start(BindServer.Options.of().withZone(ZONE));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            try {
                Path secretFile = Files.createTempFile("dns-switcher-tsig", ".secret");
                secretFile.toFile().deleteOnExit();
                Files.writeString(secretFile, server.tsigSecret() + "\n");
                shared = new BindFixture(server, secretFile);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the TSIG secret file", e);
            }
        }
        return shared;
    }

    String host() {
        return server.host();
    }

    int port() {
        return server.port();
    }

    String keyName() {
        return server.tsigKeyName();
    }

    String secret() {
        return server.tsigSecret();
    }

    /** The file holding the base64 TSIG secret, the way production is given it. */
    Path secretFile() {
        return secretFile;
    }

    Rfc2136Settings settings() {
        return Rfc2136Settings.of(host(), port(), DnsRecordName.of(server.zone()), server.tsigKeyName(),
                server.tsigAlgorithm(), new TsigSecretSource.File(secretFile));
    }

    /** A name in the zone that no other test uses. */
    DnsRecordName freshName(String prefix) {
        return DnsRecordName.of(prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + "." + ZONE);
    }

    /**
     * Sets a record with no prerequisite, as an operator with nsupdate would: how tests prepare a
     * name and change it behind the provider's back.
     */
    void put(DnsRecordName record, DnsTarget target, Duration ttl) {
        try {
            Name owner = Name.fromString(record.value());
            Update update = new Update(Name.fromString(server.zone()));
            update.delete(owner, Type.A);
            update.delete(owner, Type.CNAME);
            update.add(switch (target) {
                case DnsTarget.Ipv4 ipv4 -> new ARecord(owner, DClass.IN, ttl.toSeconds(), InetAddress.getByName(ipv4.address()));
                case DnsTarget.Hostname host -> new CNAMERecord(owner, DClass.IN, ttl.toSeconds(), Name.fromString(host.value()));
            });
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(host(), port()));
            resolver.setTSIGKey(new TSIG(TSIG.algorithmToName(server.tsigAlgorithm()),
                    Name.fromString(server.tsigKeyName() + "."), server.tsigSecret()));
            Message response = resolver.send(update);
            if (response.getRcode() != Rcode.NOERROR) {
                throw new IllegalStateException("BIND refused the test's update: " + Rcode.string(response.getRcode()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not update BIND at " + host() + ":" + port(), e);
        }
    }
}
