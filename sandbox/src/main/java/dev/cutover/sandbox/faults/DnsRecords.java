package dev.cutover.sandbox.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import dev.cutover.stack.DnsServer;

/** A name of its own for each case's database, added to the stack's zone with a signed update, as an operator would. */
final class DnsRecords {

    private DnsRecords() {
    }

    static void add(DnsServer dns, String name, String address, Duration ttl) throws IOException {
        Update update = new Update(Name.fromString(dns.zone()));
        update.replace(Name.fromString(name), Type.A, ttl.toSeconds(), address);
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(dns.host(), dns.port()));
        resolver.setTCP(true);
        resolver.setTSIGKey(new TSIG(TSIG.algorithmToName(dns.tsigAlgorithm()), Name.fromString(dns.tsigKeyName() + "."),
                dns.tsigSecret()));
        Message response = resolver.send(update);
        if (response.getRcode() != Rcode.NOERROR) {
            throw new IOException("the stack's DNS server refused to add " + name + ": " + Rcode.string(response.getRcode()));
        }
    }
}
