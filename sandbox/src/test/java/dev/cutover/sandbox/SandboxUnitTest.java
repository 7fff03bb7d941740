package dev.cutover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cutover.sandbox.rehearsal.ClientDns;
import dev.cutover.sandbox.rehearsal.Layout;
import dev.cutover.sandbox.rehearsal.RehearsalOptions;

class SandboxUnitTest {

    @Test
    void optionsOverrideTheDefaultsOneByOne() {
        RehearsalOptions options = Sandbox.parse(new String[] {"--size-mb", "20", "--rate", "500", "--ttl", "2"});

        assertThat(options.dataMegabytes()).isEqualTo(20);
        assertThat(options.rate()).isEqualTo(500);
        assertThat(options.dnsTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.workers()).isEqualTo(RehearsalOptions.defaults().workers());
    }

    @Test
    void theLayoutAndTheClientsDnsAreChosenByName() {
        RehearsalOptions options = Sandbox.parse(new String[] {"--layout", "processes", "--client-dns", "none"});

        assertThat(options.layout()).isEqualTo(Layout.PROCESSES);
        assertThat(options.clientDns()).isEqualTo(ClientDns.NONE);
        assertThat(options.clientDnsCache()).as("no cache: the name is resolved on every connect").isZero();
        assertThat(RehearsalOptions.defaults().layout()).isEqualTo(Layout.ONE_JVM);
        assertThatThrownBy(() -> Sandbox.parse(new String[] {"--layout", "k8s"})).hasMessageContaining("one-jvm or processes");
    }

    @Test
    void theProcessesLayoutSettlesBeforeTheCutoverUnlessToldNotToAndTheOneJvmLayoutNeverDoes() {
        assertThat(Sandbox.parse(new String[] {"--layout", "processes"}).settle()).isEqualTo(Duration.ofSeconds(60));
        assertThat(Sandbox.parse(new String[] {"--layout", "processes", "--settle", "0"}).settle()).isZero();
        assertThat(Sandbox.parse(new String[] {"--layout", "processes", "--settle", "15"}).settle())
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(Sandbox.parse(new String[] {}).settle()).isZero();
        assertThatThrownBy(() -> Sandbox.parse(new String[] {"--settle", "-1"})).hasMessageContaining("--settle");
    }

    @Test
    void anUnknownOptionOrAMissingNumberIsRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> Sandbox.parse(new String[] {"--fast", "1"})).hasMessageContaining("unknown option --fast");
        assertThatThrownBy(() -> Sandbox.parse(new String[] {"--rate", "lots"})).hasMessageContaining("--rate needs a number");
        assertThatThrownBy(() -> Sandbox.parse(new String[] {"--rate"})).hasMessageContaining("--rate needs a value");
    }

    @Test
    void aCountIsTakenOutOfTheArgumentsAndMustBeAWholeNumberOfAtLeastOne() {
        List<String> args = new ArrayList<>(List.of("--layout", "processes", "--replicators", "2"));

        assertThat(Sandbox.count(args, "--replicators")).isEqualTo(2);
        assertThat(args).containsExactly("--layout", "processes");
        assertThat(Sandbox.count(args, "--replicators")).as("not given").isEqualTo(1);
        assertThatThrownBy(() -> Sandbox.count(new ArrayList<>(List.of("--replicators", "0")), "--replicators"))
                .hasMessageContaining("--replicators must be at least 1, was 0");
        assertThatThrownBy(() -> Sandbox.count(new ArrayList<>(List.of("--runs", "x")), "--runs"))
                .hasMessageContaining("--runs needs a number, got 'x'");
    }

    @Test
    void percentilesAreNearestRankOverSortedValues() {
        long[] values = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

        assertThat(Summary.percentile(values, 50)).isEqualTo(50);
        assertThat(Summary.percentile(values, 95)).isEqualTo(100);
        assertThat(Summary.percentile(new long[] {7}, 95)).isEqualTo(7);
    }
}
