package dev.cutover.sandbox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class InstanceDnsUnitTest {

    private final AtomicReference<String> server = new AtomicReference<>("127.0.0.2");
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private InstanceDns dns(String cache, Duration age) {
        return new InstanceDns(DnsCache.parse(cache), age, () -> {
            asked.incrementAndGet();
            return server.get();
        }, now::get);
    }

    private void after(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void anAnswerIsKeptForTheTtlFromWhenItWasAskedFor() {
        InstanceDns dns = dns("30", Duration.ZERO);
        server.set("127.0.0.3");

        after(Duration.ofSeconds(29));
        assertThat(dns.address()).isEqualTo("127.0.0.2");
        after(Duration.ofSeconds(1));
        assertThat(dns.address()).isEqualTo("127.0.0.3");
        assertThat(asked).hasValue(2);
    }

    @Test
    void anInstanceStartedEarlierHoldsAnOlderAnswer() {
        InstanceDns dns = dns("30", Duration.ofSeconds(20));
        server.set("127.0.0.3");

        after(Duration.ofSeconds(10));

        assertThat(dns.address()).isEqualTo("127.0.0.3");
    }

    @Test
    void withoutACacheEveryConnectionAsks() {
        InstanceDns dns = dns("0", Duration.ZERO);
        server.set("127.0.0.3");

        assertThat(dns.address()).isEqualTo("127.0.0.3");
    }

    @Test
    void aStaleCacheKeepsTheOldAddressForTheTtlAfterTheChangeWhateverItsAge() {
        InstanceDns dns = dns("30:stale", Duration.ZERO);
        after(Duration.ofMinutes(5));
        assertThat(dns.address()).isEqualTo("127.0.0.2");

        server.set("127.0.0.3");
        assertThat(dns.address()).as("the change is first seen now").isEqualTo("127.0.0.2");
        after(Duration.ofSeconds(29));
        assertThat(dns.address()).isEqualTo("127.0.0.2");
        after(Duration.ofSeconds(1));
        assertThat(dns.address()).isEqualTo("127.0.0.3");
    }

    @Test
    void theCacheIsParsedAsSecondsWithAnOptionalStaleMode() {
        assertThat(DnsCache.parse("30")).isEqualTo(new DnsCache(Duration.ofSeconds(30), false));
        assertThat(DnsCache.parse("30:stale")).isEqualTo(new DnsCache(Duration.ofSeconds(30), true));
        assertThatThrownBy(() -> DnsCache.parse("thirty")).hasMessageContaining("SECONDS or SECONDS:stale");
        assertThatThrownBy(() -> DnsCache.parse("0:stale")).hasMessageContaining("keeps nothing");
    }
}
