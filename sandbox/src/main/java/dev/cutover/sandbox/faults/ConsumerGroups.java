package dev.cutover.sandbox.faults;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * The services' consumer groups as they were once the bench ran its first case: each group and how many members it
 * had. A process killed and started again joins its groups at once, but the dead member keeps its partitions until its
 * session expires (45 s); a case that begins meanwhile would count that wait against the next case's steps. The bench
 * therefore waits, before each case, until every group is stable again with as many members as at first (or empty:
 * some groups belong to one instance alone, whose id it makes at start-up).
 */
final class ConsumerGroups implements AutoCloseable {

    private static final Duration ASK = Duration.ofSeconds(5);

    private final Admin admin;
    private Map<String, Integer> members;

    ConsumerGroups(String bootstrapServers) {
        this.admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrapServers));
    }

    /** Notes the services' groups as they are now, every one stable; the bench's own readers left out. */
    void noteAsSettled() throws InterruptedException {
        try {
            members = admin.listGroups().all().get(ASK.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(group -> group.groupState().orElse(GroupState.UNKNOWN) == GroupState.STABLE)
                    .filter(group -> ofTheServices(group.groupId()))
                    .map(group -> group.groupId())
                    .collect(Collectors.toMap(id -> id, id -> 0));
            members = describe();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not list the services' consumer groups: " + e.getMessage(), e);
        }
    }

    /**
     * Whether every one of the services' groups is stable (or empty) now: a group that is rebalancing, as after a
     * kill during the first case's migration, would be left out of what is noted.
     */
    boolean allStable() {
        try {
            return admin.listGroups().all().get(ASK.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(group -> ofTheServices(group.groupId()))
                    .allMatch(group -> switch (group.groupState().orElse(GroupState.UNKNOWN)) {
                        case STABLE, EMPTY, DEAD -> true;
                        default -> false;
                    });
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the services' consumer groups", e);
        }
    }

    /** The bench's own readers (its probes, each case's watch) are not the services'. */
    private static boolean ofTheServices(String groupId) {
        return !groupId.startsWith("probe-") && !groupId.startsWith("fault-matrix-");
    }

    boolean noted() {
        return members != null;
    }

    /** Whether every group noted is stable with as many members as when noted; {@code true} before anything is noted. */
    boolean settled() {
        if (members == null) {
            return true;
        }
        try {
            return describe().equals(members);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the services' consumer groups", e);
        }
    }

    private Map<String, Integer> describe() throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(members.keySet()).all()
                .get(ASK.toMillis(), TimeUnit.MILLISECONDS);
        return groups.values().stream().collect(Collectors.toMap(ConsumerGroupDescription::groupId,
                group -> switch (group.groupState()) {
                    case STABLE -> group.members().size();
                    // A group of one instance's own (its id made at start-up) is left empty when that instance is
                    // killed: the instance started again reads with a group of its own.
                    case EMPTY, DEAD -> members == null ? 0 : members.getOrDefault(group.groupId(), 0);
                    default -> -1;
                }));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
