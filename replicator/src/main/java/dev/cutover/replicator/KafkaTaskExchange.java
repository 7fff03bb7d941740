package dev.cutover.replicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;

import dev.cutover.events.LoadTaskDone;
import dev.cutover.events.Metadata;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.UndecodableMessageException;
import dev.cutover.events.topic.Topics;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.PublishFailed;
import dev.cutover.replicator.copy.SharedTask;
import dev.cutover.replicator.copy.TaskExchange;
import dev.cutover.replicator.copy.TaskOutcome;

/**
 * A shared load's tasks out on {@code replicator.load-tasks} and its answers in from
 * {@code replicator.load-task-results}, for the one {@code CopyData} being carried out.
 *
 * <p>Task {@code n} goes to partition {@code n} modulo the partitions, and the workers' group deals partitions out
 * round robin ({@link TaskWorkers}), so consecutive tasks, biggest first, go to different instances and to different
 * workers of each: a key's hash would heap several tasks on one instance while another has none.
 */
final class KafkaTaskExchange implements TaskExchange {

    private static final Logger log = LoggerFactory.getLogger(KafkaTaskExchange.class);

    private final KafkaTemplate<String, SpecificRecord> template;
    private final KafkaProperties kafka;
    private final MessagePublisher publisher;
    private final Metadata cause;

    KafkaTaskExchange(KafkaTemplate<String, SpecificRecord> template, KafkaProperties kafka, MessagePublisher publisher,
            Metadata cause) {
        this.template = template;
        this.kafka = kafka;
        this.publisher = publisher;
        this.cause = cause;
    }

    /** The instances in the workers' group now, each taken to have as many workers as this one. */
    @Override
    public int workers(int perInstance) {
        try (Admin admin = Admin.create(kafka.buildAdminProperties())) {
            int members = admin.describeConsumerGroups(List.of(TaskWorkers.GROUP)).all().get(10, TimeUnit.SECONDS)
                    .get(TaskWorkers.GROUP).members().size();
            return Math.max(1, members) * perInstance;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("cannot count the replicator instances that copy tasks ({}); planning for this one's {} workers",
                    e.getMessage(), perInstance);
            return perInstance;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return perInstance;
        }
    }

    @Override
    public Answers handOut(String loadId, List<SharedTask> tasks) {
        KafkaAnswers answers = KafkaAnswers.fromNow(kafka);
        try {
            String topic = Topics.LOAD_TASKS.name();
            int partitions = template.partitionsFor(topic).size();
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (SharedTask task : tasks) {
                sent.add(template.send(new ProducerRecord<>(topic, task.number() % partitions,
                        loadId + "/" + task.number(), LoadTasks.message(task, publisher.answering(cause)))));
            }
            for (CompletableFuture<?> one : sent) {
                one.get(30, TimeUnit.SECONDS);
            }
            log.info("load {} of {}: {} tasks handed out over {} partitions of {}", loadId, cause.getDatabase(),
                    tasks.size(), partitions, topic);
            return answers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answers.close();
            throw new PublishFailed("interrupted while handing out the load's tasks", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            answers.close();
            throw new PublishFailed("Kafka did not take the load's tasks on " + Topics.LOAD_TASKS.name()
                    + ": check that the broker at spring.kafka.bootstrap-servers is reachable", e);
        }
    }

    /** Every partition of the answers' topic, read from where it ended when the load began; no group, no offsets. */
    private static final class KafkaAnswers implements Answers {

        private final KafkaConsumer<String, byte[]> consumer;
        private final AvroMessageDeserializer decoder = new AvroMessageDeserializer();

        private KafkaAnswers(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        static KafkaAnswers fromNow(KafkaProperties kafka) {
            Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                    new ByteArrayDeserializer());
            try {
                String topic = Topics.LOAD_TASK_RESULTS.name();
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(partition -> new TopicPartition(topic, partition.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                // Fixes each position now, before any task is out: seekToEnd alone is lazy.
                partitions.forEach(consumer::position);
                return new KafkaAnswers(consumer);
            } catch (RuntimeException e) {
                consumer.close();
                throw new PublishFailed("cannot read " + Topics.LOAD_TASK_RESULTS.name() + ": check that the broker at"
                        + " spring.kafka.bootstrap-servers is reachable", e);
            }
        }

        @Override
        public List<TaskOutcome> next(Duration wait) {
            List<TaskOutcome> outcomes = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
                try {
                    if (decoder.deserialize(record.topic(), record.headers(), record.value()) instanceof LoadTaskDone done) {
                        outcomes.add(LoadTasks.outcome(done));
                    }
                } catch (UndecodableMessageException e) {
                    log.warn("skipping an undecodable record at {}-{}@{}: {}", record.topic(), record.partition(),
                            record.offset(), e.getMessage());
                }
            }
            return outcomes;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
