package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cutover.events.ReplicationStopped;
import dev.cutover.sandbox.client.Server;
import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.Report;
import dev.cutover.stack.StackOptions;

/**
 * A team's own native logical replication (a publication and a subscription made by hand, no migration), cut over
 * by every service with the client writing through the DNS name: adopted, it completes and its tidy-up removes
 * exactly that subscription and slot; not adopted, preflight refuses it before anything is disrupted.
 */
class AdoptedReplicationEndToEndTest {

    private static final RehearsalOptions OPTIONS = new RehearsalOptions(5, 300, 4, Duration.ofSeconds(1), 300, 300,
            Duration.ofMinutes(5));

    @Test
    void aHandMadeSubscriptionIsAdoptedCutOverWithNothingLostAndExactlyItStoppedAfterwards() throws Exception {
        Rehearsed rehearsed = rehearse(true);
        Report report = rehearsed.report();

        assertThat(report.result()).isEqualTo(CutoverResult.COMPLETED);
        assertThat(report.lostWrites()).isZero();
        assertThat(report.writesAfterFence()).isZero();
        HandMadeReplication.Aftermath after = rehearsed.aftermath();
        ReplicationStopped stopped = after.stopped().orElseThrow();
        assertThat(stopped.getSubscription()).isEqualTo(HandMadeReplication.SUBSCRIPTION);
        assertThat(stopped.getSlot()).isEqualTo(HandMadeReplication.SUBSCRIPTION);
        assertThat(stopped.getPublication()).isEqualTo(HandMadeReplication.PUBLICATION);
        assertThat(stopped.getSubscriptionOutcome()).isEqualTo("DROPPED");
        assertThat(stopped.getSlotOutcome()).isEqualTo("DROPPED");
        assertThat(stopped.getPublicationOutcome()).isEqualTo("KEPT");
        assertThat(stopped.getAdopted()).isTrue();
        assertThat(after.subscriptions()).as("subscriptions left on the target").isEmpty();
        assertThat(after.slots()).as("slots left on the source, holding WAL").isEmpty();
        assertThat(after.publications()).as("the team's publication stays").containsExactly(HandMadeReplication.PUBLICATION);
        assertThat(rehearsed.output()).doesNotContain("cutover_sub_", "cutover_slot_");
    }

    @Test
    void withoutAdoptionAPublicationLackingTheCanaryIsRefusedAtPreflightWithNothingDisrupted() throws Exception {
        Rehearsed rehearsed = rehearse(false);
        Report report = rehearsed.report();

        assertThat(report.result()).isEqualTo(CutoverResult.FAILED);
        assertThat(rehearsed.output()).contains("CutoverRejected")
                .contains("ALTER PUBLICATION team_pub ADD TABLE cutover.canary, cutover.heartbeat")
                .doesNotContain("DnsFlipped", "TrafficStopped");
        HandMadeReplication.Aftermath after = rehearsed.aftermath();
        assertThat(after.dnsAnswer()).as("the DNS name still points at the source")
                .isEqualTo(StackOptions.sandbox().sourceHost());
        assertThat(after.appRoleCanLogin()).as("the app role still logs in to the source").isTrue();
        assertThat(report.errorWindowMs()).as("no session ended: not one write failed").isZero();
        assertThat(report.acksBy(Server.TARGET)).isZero();
        assertThat(report.lostWrites()).isZero();
        assertThat(after.subscriptions()).containsExactly(HandMadeReplication.SUBSCRIPTION);
        assertThat(after.slots()).containsExactly(HandMadeReplication.SUBSCRIPTION);
    }

    /** What one rehearsal reported, printed and left behind. */
    private record Rehearsed(Report report, String output, HandMadeReplication.Aftermath aftermath) {
    }

    private static Rehearsed rehearse(boolean adopted) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            Rehearsal rehearsal = new Rehearsal(OPTIONS, new RehearsalEndToEndTest.TeeStream(out, System.out))
                    .withHandMadeReplication(adopted);
            Report report = rehearsal.run();
            return new Rehearsed(report, output.toString(StandardCharsets.UTF_8), rehearsal.aftermath());
        }
    }
}
