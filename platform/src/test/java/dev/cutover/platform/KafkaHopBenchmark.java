package dev.cutover.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.cutover.stack.KafkaBroker;

/**
 * What one hop of a saga costs on the local broker: a command committed in a transaction, read by a
 * read_committed consumer that answers in a consume-produce transaction of its own, the answer read back.
 * Prints the median and p95 round trip (two hops) for transactional and plain (idempotent, acks=all) hops.
 *
 * <pre>java ... dev.cutover.platform.KafkaHopBenchmark [round trips, default 200]</pre>
 */
public final class KafkaHopBenchmark {

    public static void main(String[] args) throws Exception {
        int trips = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        try (KafkaBroker broker = KafkaBroker.start()) {
            String servers = broker.bootstrapServers();
            for (boolean transactional : new boolean[] {true, false}) {
                List<Long> micros = run(servers, transactional, trips);
                Collections.sort(micros);
                System.out.printf("%-14s round trip (2 hops): median %.1f ms, p95 %.1f ms, max %.1f ms over %d%n",
                        transactional ? "transactional" : "plain", micros.get(micros.size() / 2) / 1000.0,
                        micros.get(micros.size() * 95 / 100) / 1000.0, micros.getLast() / 1000.0, micros.size());
            }
        }
    }

    private static List<Long> run(String servers, boolean transactional, int trips) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String ping = "ping-" + suffix;
        String pong = "pong-" + suffix;
        Thread responder = Thread.ofPlatform().start(() -> respond(servers, transactional, ping, pong, trips + 5));
        try (KafkaProducer<String, String> producer = producer(servers, transactional ? "init-" + suffix : null);
                KafkaConsumer<String, String> answers = consumer(servers, "init-" + suffix, transactional)) {
            if (transactional) {
                producer.initTransactions();
            }
            answers.subscribe(List.of(pong));
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < trips + 5; i++) {
                long sent = System.nanoTime();
                if (transactional) {
                    producer.beginTransaction();
                }
                producer.send(new ProducerRecord<>(ping, "k", "m" + i));
                if (transactional) {
                    producer.commitTransaction();
                } else {
                    producer.flush();
                }
                boolean got = false;
                while (!got) {
                    for (ConsumerRecord<String, String> r : answers.poll(Duration.ofSeconds(5))) {
                        got |= r.value().equals("m" + i);
                    }
                }
                if (i >= 5) {
                    micros.add((System.nanoTime() - sent) / 1000);
                }
            }
            responder.join();
            return micros;
        }
    }

    private static void respond(String servers, boolean transactional, String ping, String pong, int count) {
        String group = "resp-" + ping;
        try (KafkaProducer<String, String> producer = producer(servers, transactional ? group : null);
                KafkaConsumer<String, String> commands = consumer(servers, group, transactional)) {
            if (transactional) {
                producer.initTransactions();
            }
            commands.subscribe(List.of(ping));
            int answered = 0;
            while (answered < count) {
                ConsumerRecords<String, String> records = commands.poll(Duration.ofSeconds(5));
                for (ConsumerRecord<String, String> r : records) {
                    if (transactional) {
                        producer.beginTransaction();
                    }
                    producer.send(new ProducerRecord<>(pong, r.key(), r.value()));
                    if (transactional) {
                        producer.sendOffsetsToTransaction(
                                Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)),
                                commands.groupMetadata());
                        producer.commitTransaction();
                    } else {
                        producer.flush();
                        commands.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
                    }
                    answered++;
                }
            }
        }
    }

    private static KafkaProducer<String, String> producer(String servers, String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", servers);
        config.put("acks", "all");
        config.put("enable.idempotence", "true");
        config.put("linger.ms", "0");
        if (transactionalId != null) {
            config.put("transactional.id", transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String servers, String group, boolean readCommitted) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", servers);
        config.put("group.id", group);
        config.put("auto.offset.reset", "earliest");
        config.put("enable.auto.commit", "false");
        config.put("fetch.max.wait.ms", System.getProperty("fetch.max.wait.ms", "20"));
        config.put("isolation.level", readCommitted ? "read_committed" : "read_uncommitted");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
