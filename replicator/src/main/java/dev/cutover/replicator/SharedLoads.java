package dev.cutover.replicator;

import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.cutover.events.Metadata;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.replicator.copy.Sharing;

/** Whether a {@code CopyData} is shared with the other instances, and through what. */
@Component
class SharedLoads {

    private final LoadSharingSettings settings;
    private final KafkaTemplate<String, SpecificRecord> template;
    private final KafkaProperties kafka;
    private final MessagePublisher publisher;

    SharedLoads(LoadSharingSettings settings, KafkaTemplate<String, SpecificRecord> template, KafkaProperties kafka,
            MessagePublisher publisher) {
        this.settings = settings;
        this.template = template;
        this.kafka = kafka;
        this.publisher = publisher;
    }

    /** @param cause the {@code CopyData} being carried out; the tasks answer it */
    Optional<Sharing> forLoad(Metadata cause) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        return Optional.of(new Sharing(settings.instance(), new KafkaTaskExchange(template, kafka, publisher, cause)));
    }
}
