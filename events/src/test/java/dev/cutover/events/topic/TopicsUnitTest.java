package dev.cutover.events.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class TopicsUnitTest {

    @Test
    void everyTopicHasItsOwnName() {
        assertThat(Topics.all()).extracting(Topic::name)
                .containsExactly("cutover.commands", "cutover.events", "replication.lag", "cutover.schemas",
                        "replicator.load-tasks", "replicator.load-task-results")
                .doesNotHaveDuplicates();
    }

    @Test
    void theCatalogueAndEveryTopicsConfigurationAreReadOnly() {
        assertThatThrownBy(() -> Topics.all().add(Topics.EVENTS)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Topics.all()).allSatisfy(topic -> assertThatThrownBy(
                () -> topic.configs().put(TopicConfig.RETENTION_MS_CONFIG, "1"))
                .isInstanceOf(UnsupportedOperationException.class));
    }

    @Test
    void aTopicKeepsItsConfigurationEvenIfTheCallersMapChangesLater() {
        var configs = new HashMap<>(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
        var topic = new Topic<>("t", Serdes.String(), Serdes.String(), configs);

        configs.put(TopicConfig.RETENTION_MS_CONFIG, "1");

        assertThat(topic.configs()).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
    }

    @Test
    void theAuditTrailIsKeptForeverAndLagForAWeek() {
        assertThat(Topics.COMMANDS.configs()).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
        assertThat(Topics.EVENTS.configs()).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
        assertThat(Topics.LAG.configs()).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "604800000");
        assertThat(Topics.SCHEMAS.configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
    }

    @Test
    void aNewTopicRequestCarriesTheTopicsConfiguration() {
        var request = Topics.SCHEMAS.newTopic(3, (short) 1);

        assertThat(request.name()).isEqualTo("cutover.schemas");
        assertThat(request.numPartitions()).isEqualTo(3);
        assertThat(request.replicationFactor()).isEqualTo((short) 1);
        assertThat(request.configs()).isEqualTo(Topics.SCHEMAS.configs());
        assertThat(Topics.EVENTS.newTopic().configs()).isEqualTo(Topics.EVENTS.configs());
    }

    @Test
    void theLoadTasksHaveRoomForManyWorkersWhateverTheDeploymentsPartitions() {
        assertThat(Topics.LOAD_TASKS.newTopic(3, (short) 1).numPartitions()).isEqualTo(Topics.LOAD_TASK_PARTITIONS);
        assertThat(Topics.LOAD_TASK_RESULTS.newTopic(3, (short) 1).numPartitions()).isEqualTo(3);
    }

    @Test
    void aTopicWithoutANameIsRefused() {
        assertThatThrownBy(() -> new Topic<>(" ", Serdes.String(), Serdes.String(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
