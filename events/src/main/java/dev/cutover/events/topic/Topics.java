package dev.cutover.events.topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

import dev.cutover.events.serde.AvroMessageSerde;

/** Every topic cutover reads or writes. */
public final class Topics {

    private static final String FOREVER = "-1";

    /** Partitions of {@link #LOAD_TASKS}: room for 8 replicator instances of 4 workers each. */
    public static final int LOAD_TASK_PARTITIONS = 32;

    /**
     * Commands to services, keyed by cutover or migration id so that one cutover's commands stay in order. Kept forever:
     * with {@link #EVENTS} this is the audit trail.
     */
    public static final Topic<String, SpecificRecord> COMMANDS = new Topic<>("cutover.commands",
            Serdes.String(), new AvroMessageSerde(),
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, FOREVER));

    /** Facts from every service, keyed by cutover or migration id; the sagas' state is rebuilt from it. Kept forever. */
    public static final Topic<String, SpecificRecord> EVENTS = new Topic<>("cutover.events",
            Serdes.String(), new AvroMessageSerde(),
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, FOREVER));

    /**
     * {@code LagReported} samples keyed by database name. Only recent values matter, so they are kept for days, not
     * forever; stalls and recoveries that decide a cutover are also events on {@link #EVENTS}.
     */
    public static final Topic<String, SpecificRecord> LAG = new Topic<>("replication.lag",
            Serdes.String(), new AvroMessageSerde(),
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis())));

    /**
     * Every schema ever written, keyed by its fingerprint in hex, valued by its JSON: lets a consumer in any language
     * resolve a payload's fingerprint. Compacted, so publishing the same schema again changes nothing.
     */
    public static final Topic<String, String> SCHEMAS = new Topic<>("cutover.schemas",
            Serdes.String(), Serdes.String(),
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.RETENTION_MS_CONFIG, FOREVER));

    /**
     * The tasks of full loads shared by several replicator instances ({@code CopyLoadTask}), read by all of them in one
     * consumer group. A partition is the unit Kafka hands to one instance, so there are many more than instances times
     * workers, whatever {@code cutover.platform.partitions} says; the instance running a load deals its tasks out over
     * them. Only useful while the load runs.
     */
    public static final Topic<String, SpecificRecord> LOAD_TASKS = new Topic<>("replicator.load-tasks",
            Serdes.String(), new AvroMessageSerde(),
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis())),
            LOAD_TASK_PARTITIONS);

    /** The answers to {@link #LOAD_TASKS} ({@code LoadTaskDone}), keyed by load, read by the instance running it. */
    public static final Topic<String, SpecificRecord> LOAD_TASK_RESULTS = new Topic<>("replicator.load-task-results",
            Serdes.String(), new AvroMessageSerde(),
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis())));

    private static final List<Topic<?, ?>> ALL = List.of(COMMANDS, EVENTS, LAG, SCHEMAS, LOAD_TASKS, LOAD_TASK_RESULTS);

    private Topics() {
    }

    public static List<Topic<?, ?>> all() {
        return ALL;
    }
}
