package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cutover.sandbox.client.ClientKind;
import dev.cutover.sandbox.client.DnsCache;

class FleetOptionsUnitTest {

    private static List<String> args(String... values) {
        return new ArrayList<>(List.of(values));
    }

    @Test
    void theFleetsOptionsAreTakenOutOfTheArgumentsAndTheRestIsLeft() {
        List<String> rest = args("--layout", "processes", "--instances", "4", "--client-dns-cache", "30:stale", "--client", "starter",
                "--rate", "1000");

        FleetOptions fleet = FleetOptions.take(rest);

        assertThat(fleet).isEqualTo(new FleetOptions(4, ClientKind.STARTER, new DnsCache(Duration.ofSeconds(30), true)));
        assertThat(rest).containsExactly("--layout", "processes", "--rate", "1000");
    }

    @Test
    void withoutAnyOfThemTheClientIsOnePoolAsBefore() {
        assertThat(FleetOptions.take(args("--client-dns", "none"))).isNull();
    }

    @Test
    void oneOfThemIsEnoughTheOthersTakeTheirDefaults() {
        assertThat(FleetOptions.take(args("--client", "pgbouncer"))).isEqualTo(new FleetOptions(1, ClientKind.PGBOUNCER, null));
    }

    @Test
    void aWrongValueSaysWhatIsExpected() {
        assertThatThrownBy(() -> FleetOptions.take(args("--client", "hikari"))).hasMessageContaining("plain, starter or pgbouncer");
        assertThatThrownBy(() -> FleetOptions.take(args("--instances", "four"))).hasMessageContaining("--instances needs a number");
        assertThatThrownBy(() -> FleetOptions.take(args("--instances", "0"))).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> FleetOptions.take(args("--client-dns-cache"))).hasMessageContaining("needs a value");
    }

    @Test
    void pgbouncerInstancesNeedTheSagasSwitch() {
        Rehearsal saga = new Rehearsal(RehearsalOptions.defaults(), System.out);
        Rehearsal againstThePlainProgram = dev.cutover.sandbox.plain.PlainRehearsal.rehearsal(RehearsalOptions.defaults(), System.out);

        assertThat(saga.withFleet(new FleetOptions(2, ClientKind.PGBOUNCER, null))).isSameAs(saga);
        assertThatThrownBy(() -> againstThePlainProgram.withFleet(new FleetOptions(2, ClientKind.PGBOUNCER, null)))
                .hasMessageContaining("--client pgbouncer needs the saga's dns-switcher");
    }
}
