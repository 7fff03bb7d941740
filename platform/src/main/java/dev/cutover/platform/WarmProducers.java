package dev.cutover.platform;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.ProducerFactory;

import dev.cutover.events.topic.Topics;

/**
 * Readies a service's producers before they are needed: each made, and told where the cutover topics' partitions are.
 * Each listener in a Kafka transaction takes a producer of its own from the factory's cache, and a producer the cache
 * lacks is made on the spot: a transactional id registered with the coordinator, tens of milliseconds on a busy
 * broker. The first moment two or three listeners are in a transaction together is the switch (the fence answering
 * while the saga decides), so without this the applications would wait for it there. And a producer's first send to
 * a topic waits for that topic's metadata (5-9 ms measured at the switch, on a send the switch waited for); the
 * platform keeps a topic's metadata once known ({@code metadata.max.idle.ms}, {@link PlatformDefaults}), so asking
 * once here is enough. A service without transactions has one shared producer, readied the same way. Best effort, off
 * the start-up thread: a broker that is not reachable yet only means the producers are made on first use, as before.
 */
class WarmProducers {

    private static final Logger log = LoggerFactory.getLogger(WarmProducers.class);

    private final ProducerFactory<?, ?> factory;
    private final int count;

    WarmProducers(ProducerFactory<?, ?> factory, int count) {
        this.factory = factory;
        this.count = count;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warm() {
        if (count == 0) {
            return;
        }
        Thread.ofPlatform().daemon().name("warm-producers").start(this::ready);
    }

    /**
     * Takes {@code count} producers at once (one when the service has no transactions: it shares one), so that the
     * cache makes that many, has each learn the cutover topics, and gives them back.
     */
    void ready() {
        List<Producer<?, ?>> taken = new ArrayList<>();
        try {
            for (int i = 0; i < (factory.transactionCapable() ? count : 1); i++) {
                Producer<?, ?> producer = factory.createProducer();
                taken.add(producer);
                producer.partitionsFor(Topics.EVENTS.name());
                producer.partitionsFor(Topics.COMMANDS.name());
            }
        } catch (RuntimeException e) {
            log.debug("producers not readied ({}); they are made, and learn the topics, on first use", e.getMessage());
        } finally {
            taken.forEach(Producer::close);
        }
    }
}
