package dev.cutover.dns.messaging;

import static dev.cutover.dns.messaging.SwitchParticipant.carryOut;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.dns.pgbouncer.PgBouncerSettings;
import dev.cutover.dns.pgbouncer.PgBouncerSwitch;
import dev.cutover.dns.pgbouncer.PoolFlip;
import dev.cutover.dns.pgbouncer.PoolReverted;
import dev.cutover.dns.pgbouncer.PoolResumed;
import dev.cutover.dns.pgbouncer.ServerAddress;
import dev.cutover.dns.pgbouncer.Side;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.DnsReverted;
import dev.cutover.events.DnsTtlChanged;
import dev.cutover.events.FlipDns;
import dev.cutover.events.LowerDnsTtl;
import dev.cutover.events.Metadata;
import dev.cutover.events.PgBouncerResumed;
import dev.cutover.events.RestoreDnsTtl;
import dev.cutover.events.RevertDns;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.TargetOpened;
import dev.cutover.platform.MessagePublisher;

/**
 * The DNS commands carried out on PgBouncer: {@code FlipDns} pauses and rewrites the entry, {@code RevertDns} rewrites
 * it back, and the clients are reloaded and resumed once the side the entry points at has opened ({@code TargetOpened}
 * for the target, {@code SourceRestored} for the source). The command's record is the PgBouncer entry, its
 * targets the servers as host:port; it answers with the same events as DNS, plus {@code PgBouncerResumed} whenever
 * held clients go on.
 */
class PgBouncerParticipant implements SwitchParticipant, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgBouncerParticipant.class);

    private final PgBouncerSwitch pgbouncer;
    private final MessagePublisher publisher;

    /** The switch reports through this participant when it resumes clients by itself, so it is made here. */
    PgBouncerParticipant(PgBouncerSettings settings, MessagePublisher publisher) {
        this.publisher = publisher;
        this.pgbouncer = new PgBouncerSwitch(settings, this::maxPauseExceeded);
    }

    /** At start-up: bounds the pause of a pool an earlier run left paused. */
    void adoptPaused() {
        pgbouncer.adoptPaused();
    }

    @Override
    public void flip(FlipDns command) {
        Metadata metadata = command.getMetadata();
        PoolFlip flip = carryOut(() -> pgbouncer.flip(metadata.getDatabase(), Optional.ofNullable(metadata.getCutoverId()),
                command.getRecord(), ServerAddress.parse(command.getExpectedTarget()), ServerAddress.parse(command.getNewTarget())));
        publisher.publish(DnsFlipped.newBuilder()
                .setMetadata(publisher.answering(metadata))
                .setRecord(flip.database())
                .setPrevious(flip.previous().toString())
                .setCurrent(flip.current().toString())
                // PgBouncer has no TTL: its clients follow the entry at once.
                .setTtlSeconds(0)
                .setChangeId(flip.changed() ? "paused and repointed " + String.join(", ", flip.instances()) : null)
                .setEffectiveMs(flip.took().toMillis())
                .build());
    }

    @Override
    public void revert(RevertDns command) {
        Metadata metadata = command.getMetadata();
        ServerAddress expected = carryOut(() -> ServerAddress.parse(command.getExpectedTarget()));
        PoolReverted reverted = carryOut(() -> pgbouncer.revert(metadata.getDatabase(), Optional.ofNullable(metadata.getCutoverId()),
                command.getRecord(), expected, ServerAddress.parse(command.getNewTarget())));
        List<SpecificRecord> answers = new ArrayList<>();
        answers.add(DnsReverted.newBuilder()
                .setMetadata(publisher.answering(metadata))
                .setRecord(reverted.database())
                .setPrevious(expected.toString())
                .setCurrent(reverted.server().toString())
                .setChangeId(reverted.resumed().map(resumed -> resumed.instances().isEmpty() ? null
                        : "resumed " + String.join(", ", resumed.instances()))
                        .orElse("repointed; held until " + reverted.server() + " lets the application in"))
                .build());
        reverted.resumed().ifPresent(resumed -> answers.add(resumedEvent(publisher.answering(metadata), resumed)));
        publisher.publishAll(answers);
    }

    /** A TTL means nothing to PgBouncer: the answer says the TTL is what the command asks, so the saga goes on. */
    @Override
    public void lowerTtl(LowerDnsTtl command) {
        publishTtl(command.getMetadata(), command.getRecord(), command.getTtlSeconds());
    }

    @Override
    public void restoreTtl(RestoreDnsTtl command) {
        publishTtl(command.getMetadata(), command.getRecord(), command.getTtlSeconds());
    }

    @Override
    public void targetOpened(TargetOpened event) {
        opened(event.getMetadata(), Side.TARGET);
    }

    @Override
    public void sourceRestored(SourceRestored event) {
        opened(event.getMetadata(), Side.SOURCE);
    }

    private void opened(Metadata event, Side side) {
        pgbouncer.opened(event.getDatabase(), Optional.ofNullable(event.getCutoverId()), side)
                .filter(resumed -> !resumed.instances().isEmpty())
                .ifPresent(resumed -> publisher.publish(resumedEvent(publisher.answering(event), resumed)));
    }

    /** The switch resumed clients itself after dns.pgbouncer.max-pause: nothing asked for it, so nothing is answered. */
    void maxPauseExceeded(PoolResumed resumed) {
        log.error("{} resumed on {} after dns.pgbouncer.max-pause before the side it points at opened; clients now reach {}",
                resumed.database(), resumed.instances(), resumed.server());
        publisher.publish(resumedEvent(publisher.originating(resumed.cutoverDatabase(), resumed.cutoverId().orElse(null), null),
                resumed));
    }

    private void publishTtl(Metadata cause, String record, int ttlSeconds) {
        publisher.publish(DnsTtlChanged.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setRecord(record)
                .setPreviousTtlSeconds(ttlSeconds)
                .setTtlSeconds(ttlSeconds)
                .build());
    }

    private static PgBouncerResumed resumedEvent(Metadata metadata, PoolResumed resumed) {
        return PgBouncerResumed.newBuilder()
                .setMetadata(metadata)
                .setEntry(resumed.database())
                .setServer(resumed.server().toString())
                .setInstances(resumed.instances())
                .setHeldMs(resumed.held().map(Duration::toMillis).orElse(null))
                .setCause(resumed.cause().name())
                .build();
    }

    @Override
    public void close() {
        pgbouncer.close();
    }
}
