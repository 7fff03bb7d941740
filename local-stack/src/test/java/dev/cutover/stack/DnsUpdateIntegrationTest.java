package dev.cutover.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

@ExtendWith(SharedStackExtension.class)
class DnsUpdateIntegrationTest {

    @Test
    void theDatabaseNameFirstPointsAtTheSource(LocalStack stack) throws IOException {
        assertThat(addressesOf(stack.dns(), stack.dns().databaseName())).containsExactly(stack.source().host());
    }

    @Test
    void aSignedUpdateMovesANameToANewAddressThatTheServerThenAnswers(LocalStack stack) throws IOException {
        DnsServer dns = stack.dns();
        String name = "moved." + dns.zone();
        Update update = new Update(Name.fromString(dns.zone()));
        update.replace(Name.fromString(name), Type.A, 5, "127.0.0.3");

        Message response = resolver(dns, new TSIG(dns.tsigAlgorithm(), dns.tsigKeyName(), dns.tsigSecret())).send(update);

        assertThat(Rcode.string(response.getRcode())).isEqualTo("NOERROR");
        assertThat(addressesOf(dns, name)).containsExactly("127.0.0.3");
    }

    @Test
    void anUpdateSignedWithAWrongKeyIsRefusedAndChangesNothing(LocalStack stack) throws IOException {
        DnsServer dns = stack.dns();
        String name = "intruder." + dns.zone();
        Update update = new Update(Name.fromString(dns.zone()));
        update.replace(Name.fromString(name), Type.A, 5, "10.6.6.6");
        String wrongSecret = Base64.getEncoder().encodeToString("not the key of this zone, at all".getBytes());

        Message response = resolver(dns, new TSIG(dns.tsigAlgorithm(), dns.tsigKeyName(), wrongSecret)).send(update);

        assertThat(Rcode.string(response.getRcode())).isEqualTo("NOTAUTH");
        assertThat(response.getTSIG()).isNotNull();
        assertThat(Rcode.TSIGstring(response.getTSIG().getError())).isEqualTo("BADSIG");
        assertThat(addressesOf(dns, name)).isEmpty();
    }

    private static List<String> addressesOf(DnsServer dns, String name) throws IOException {
        Message answer = resolver(dns, null).send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
        return answer.getSection(Section.ANSWER).stream()
                .filter(ARecord.class::isInstance)
                .map(r -> ((ARecord) r).getAddress().getHostAddress())
                .toList();
    }

    private static SimpleResolver resolver(DnsServer dns, TSIG key) throws IOException {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(dns.host()));
        resolver.setPort(dns.port());
        resolver.setTimeout(Duration.ofSeconds(5));
        if (key != null) {
            resolver.setTSIGKey(key);
        }
        return resolver;
    }
}
