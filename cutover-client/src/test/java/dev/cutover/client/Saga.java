package dev.cutover.client;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.LockTarget;
import dev.cutover.events.Metadata;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.TargetOpened;
import dev.cutover.events.topic.Topic;
import dev.cutover.events.topic.Topics;

/** Publishes one cutover's messages to the real topics, as cutover-service and dns-switcher write them. */
public final class Saga implements AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final MetadataFactory metadata = new MetadataFactory("cutover-service", Clock.systemUTC());
    private final String database;
    private final String cutoverId;

    public Saga(String bootstrapServers, String database) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());
        this.database = database;
        this.cutoverId = database + "-" + UUID.randomUUID();
    }

    public String cutoverId() {
        return cutoverId;
    }

    public void dnsFlipped(String source, String target) {
        publish(Topics.EVENTS, DnsFlipped.newBuilder().setMetadata(metadata()).setRecord(SandboxStack.DATABASE_HOST + ".")
                .setPrevious(source).setCurrent(target).setTtlSeconds(1).build());
    }

    public void stopTraffic() {
        publish(Topics.COMMANDS, StopTraffic.newBuilder().setMetadata(metadata()).setTimeoutMs(5_000).build());
    }

    /** The fallback's fence of the target, which the saga sends once it has read the fallback's flip. */
    public void lockTarget() {
        publish(Topics.COMMANDS, LockTarget.newBuilder().setMetadata(metadata()).build());
    }

    public void targetOpened() {
        publish(Topics.EVENTS, TargetOpened.newBuilder().setMetadata(metadata()).setRoles(List.of("app")).build());
    }

    public void sourceRestored() {
        publish(Topics.EVENTS, SourceRestored.newBuilder().setMetadata(metadata()).setRoles(List.of("app")).build());
    }

    public void rolledBack() {
        publish(Topics.EVENTS, CutoverRolledBack.newBuilder().setMetadata(metadata()).setFailedStep("AWAIT_CATCH_UP")
                .setReason("the canary did not arrive").build());
    }

    private Metadata metadata() {
        return metadata.forCutover(database, cutoverId);
    }

    private void publish(Topic<String, SpecificRecord> topic, SpecificRecord message) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), cutoverId, message)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish " + message.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
