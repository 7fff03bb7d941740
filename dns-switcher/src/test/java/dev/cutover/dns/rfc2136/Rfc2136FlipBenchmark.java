package dev.cutover.dns.rfc2136;

import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsSwitch;
import dev.cutover.dns.DnsTarget;
import dev.cutover.dns.FlipRequest;
import dev.cutover.dns.FlipResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Time from a FlipDns command to the authoritative BIND answering the new address, over 50 flips
 * back and forth on a real BIND 9 on loopback. Two figures per flip: the whole command as the Kafka
 * listener would see it ({@link DnsSwitch#flip} call, including reading the SOA serial for the change
 * id), and the provider's own "update sent -> new answer confirmed" time.
 *
 * <p>Run: {@code ./mvnw -B -q -pl dns-switcher test-compile exec:java
 * -Dexec.mainClass=dev.cutover.dns.rfc2136.Rfc2136FlipBenchmark -Dexec.classpathScope=test}
 */
public final class Rfc2136FlipBenchmark {

    private static final int WARM_UP = 10;
    private static final int FLIPS = 50;

    public static void main(String[] args) {
        BindFixture bind = BindFixture.shared();
        DnsSwitch dnsSwitch = new DnsSwitch(new Rfc2136Provider(bind.settings()));
        DnsRecordName db = bind.freshName("bench");
        DnsTarget source = DnsTarget.parse("127.0.0.2");
        DnsTarget target = DnsTarget.parse("127.0.0.3");
        Duration ttl = Duration.ofSeconds(1);
        bind.put(db, source, ttl);

        List<Duration> commands = new ArrayList<>();
        List<Duration> confirmed = new ArrayList<>();
        FlipRequest there = new FlipRequest(db, source, target, ttl);
        for (int flip = 0; flip < WARM_UP + FLIPS; flip++) {
            FlipRequest request = flip % 2 == 0 ? there : there.reversed();
            long start = System.nanoTime();
            FlipResult result = dnsSwitch.flip(UUID.randomUUID(), request);
            Duration command = Duration.ofNanos(System.nanoTime() - start);
            if (!result.changed()) {
                throw new IllegalStateException("flip " + flip + " changed nothing: " + result);
            }
            if (flip >= WARM_UP) {
                commands.add(command);
                confirmed.add(result.effectiveTime());
            }
        }
        System.out.printf("RFC 2136 flips against BIND 9 on loopback (%d flips after %d warm-up, TTL %d s)%n",
                FLIPS, WARM_UP, ttl.toSeconds());
        System.out.println("command -> DnsSwitch.flip returned:      " + summary(commands));
        System.out.println("update sent -> new answer confirmed:    " + summary(confirmed));
        System.exit(0);
    }

    private static String summary(List<Duration> samples) {
        List<Double> millis = samples.stream().map(d -> d.toNanos() / 1_000_000.0).sorted().toList();
        return "median %.2f ms, p95 %.2f ms, min %.2f ms, max %.2f ms".formatted(percentile(millis, 50),
                percentile(millis, 95), millis.getFirst(), millis.getLast());
    }

    /** Nearest-rank percentile. */
    private static double percentile(List<Double> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
