package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ServiceProcessUnitTest {

    @Test
    void aPortTheKernelOffersAgainBeforeItsServiceBoundItIsNotHandedToASecondService() {
        // The kernel offers 41000 for the first service, then again for the second, which has not bound it yet.
        Iterator<Integer> offered = List.of(41000, 41000, 41000, 41001).iterator();
        Set<Integer> handedOut = new HashSet<>();

        int first = ServiceProcess.unusedPort(offered::next, handedOut);
        int second = ServiceProcess.unusedPort(offered::next, handedOut);

        assertThat(first).isEqualTo(41000);
        assertThat(second).isEqualTo(41001);
        assertThat(handedOut).containsExactlyInAnyOrder(41000, 41001);
    }
}
