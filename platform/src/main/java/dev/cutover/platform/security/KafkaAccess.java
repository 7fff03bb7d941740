package dev.cutover.platform.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import dev.cutover.events.topic.Topic;
import dev.cutover.events.topic.Topics;
import dev.cutover.platform.PlatformAutoConfiguration;

/**
 * The ACLs each principal needs on a cluster with an authorizer, one principal per service and one per operator:
 * each service writes {@code cutover.events}, {@code cutover.schemas} and its own dead-letter topic, and reads the
 * commands and the events; only cutover-service (the sagas), the console (for its logged-in operators) and operators
 * write {@code cutover.commands}, and only
 * lag-monitor {@code replication.lag}. Kafka cannot tell one message type from another, so "each service only its own
 * events" holds per topic, not per type: a service can write any event on {@code cutover.events}, never a command.
 * Services create the missing topics of the catalogue at start-up, so each may create those and its dead-letter topic. A new
 * listener's group or a new transactional id must be covered here, or the service is refused at start-up.
 */
public final class KafkaAccess {

    private record Service(List<Topic<?, ?>> writes, List<Topic<?, ?>> reads, List<String> groupPrefixes,
            List<String> transactionalIdPrefixes) {
    }

    private static final List<Topic<?, ?>> EVERY_SERVICE_WRITES = List.of(Topics.EVENTS, Topics.SCHEMAS);
    private static final List<Topic<?, ?>> EVERY_SERVICE_READS = List.of(Topics.COMMANDS, Topics.EVENTS);

    private static final Map<String, Service> SERVICES = Map.of(
            "cutover-service", new Service(List.of(Topics.COMMANDS), List.of(Topics.LAG),
                    List.of("cutover-", "migration-saga"), List.of("cutover-", "migration-saga")),
            "lag-monitor", new Service(List.of(Topics.LAG), List.of(), List.of("lag-monitor"), List.of()),
            // Instances share a full load's tasks among themselves.
            "replicator", new Service(List.of(Topics.LOAD_TASKS, Topics.LOAD_TASK_RESULTS),
                    List.of(Topics.LOAD_TASKS, Topics.LOAD_TASK_RESULTS), List.of("replicator"), List.of()),
            "schema-service", new Service(List.of(), List.of(), List.of("schema-service"), List.of()),
            "dns-switcher", new Service(List.of(), List.of(), List.of("dns-switcher"), List.of()),
            // Its operators' start, abort and fallback; it reads every topic in a group of its own per instance.
            "console", new Service(List.of(Topics.COMMANDS), List.of(Topics.LAG), List.of("cutover-console-"),
                    List.of()));

    private KafkaAccess() {
    }

    /** The services this knows, by {@code spring.application.name}. */
    public static List<String> services() {
        return SERVICES.keySet().stream().sorted().toList();
    }

    /** What the service called {@code service} ({@code spring.application.name}) needs, for the Kafka user {@code user}. */
    public static List<AclBinding> forService(String service, String user) {
        Service access = SERVICES.get(service);
        if (access == null) {
            throw new IllegalArgumentException("no Kafka access is known for a service called " + service + ": the"
                    + " services are " + services());
        }
        String principal = "User:" + user;
        List<AclBinding> acls = new ArrayList<>();
        List<String> written = new ArrayList<>();
        EVERY_SERVICE_WRITES.forEach(topic -> written.add(topic.name()));
        access.writes().forEach(topic -> written.add(topic.name()));
        written.add(PlatformAutoConfiguration.deadLetterTopic(service));
        List<String> read = new ArrayList<>();
        EVERY_SERVICE_READS.forEach(topic -> read.add(topic.name()));
        access.reads().forEach(topic -> read.add(topic.name()));
        for (String topic : written) {
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.WRITE));
        }
        for (String topic : read) {
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.READ));
        }
        // KafkaAdmin creates every topic of the catalogue that is missing, whichever the service uses.
        List<String> created = new ArrayList<>(Topics.all().stream().map(Topic::name).toList());
        created.add(PlatformAutoConfiguration.deadLetterTopic(service));
        for (String topic : created) {
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.CREATE));
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.DESCRIBE_CONFIGS));
        }
        for (String group : access.groupPrefixes()) {
            acls.add(allow(ResourceType.GROUP, group, PatternType.PREFIXED, principal, AclOperation.READ));
        }
        for (String transactionalId : access.transactionalIdPrefixes()) {
            acls.add(allow(ResourceType.TRANSACTIONAL_ID, transactionalId, PatternType.PREFIXED, principal,
                    AclOperation.WRITE));
        }
        return List.copyOf(acls);
    }

    /**
     * What an operator's user needs for cutoverctl: writing {@code cutover.commands}, reading every cutover topic (no
     * group: the tool reads by assigning partitions).
     */
    public static List<AclBinding> forOperator(String user) {
        String principal = "User:" + user;
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(ResourceType.TOPIC, Topics.COMMANDS.name(), PatternType.LITERAL, principal, AclOperation.WRITE));
        for (Topic<?, ?> topic : Topics.all()) {
            acls.add(allow(ResourceType.TOPIC, topic.name(), PatternType.LITERAL, principal, AclOperation.READ));
        }
        return List.copyOf(acls);
    }

    /**
     * What an application's user needs for cutover-client ({@code CutoverFollower}): reading the commands and the
     * events in groups of its own ({@code cutover-client-<database>-<random>}), never writing.
     */
    public static List<AclBinding> forApplication(String user) {
        String principal = "User:" + user;
        return List.of(
                allow(ResourceType.TOPIC, Topics.COMMANDS.name(), PatternType.LITERAL, principal, AclOperation.READ),
                allow(ResourceType.TOPIC, Topics.EVENTS.name(), PatternType.LITERAL, principal, AclOperation.READ),
                allow(ResourceType.GROUP, "cutover-client-", PatternType.PREFIXED, principal, AclOperation.READ));
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
