package dev.cutover.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAccessUnitTest {

    @Test
    void onlyTheSagasTheConsoleAndOperatorsMayWriteCommands() {
        for (String service : KafkaAccess.services()) {
            assertThat(writes(KafkaAccess.forService(service, service)))
                    .as(service).contains("cutover.events", "cutover.schemas", "cutover.dlt." + service)
                    .satisfies(topics -> assertThat(topics.contains("cutover.commands"))
                            .isEqualTo(service.equals("cutover-service") || service.equals("console")));
        }
        assertThat(writes(KafkaAccess.forOperator("alice"))).containsExactly("cutover.commands");
        assertThat(writes(KafkaAccess.forApplication("shop-app"))).isEmpty();
    }

    @Test
    void onlyLagMonitorWritesLagReports() {
        for (String service : KafkaAccess.services()) {
            assertThat(writes(KafkaAccess.forService(service, service)).contains("replication.lag")).as(service)
                    .isEqualTo(service.equals("lag-monitor"));
        }
    }

    @Test
    void onlyReplicatorInstancesHandLoadTasksToEachOther() {
        for (String service : KafkaAccess.services()) {
            assertThat(writes(KafkaAccess.forService(service, service)).containsAll(
                    List.of("replicator.load-tasks", "replicator.load-task-results"))).as(service)
                    .isEqualTo(service.equals("replicator"));
        }
    }

    @Test
    void anUnknownServiceIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> KafkaAccess.forService("billing", "billing"))
                .hasMessageContaining("billing").hasMessageContaining("cutover-service");
    }

    private static List<String> writes(List<AclBinding> acls) {
        return acls.stream()
                .filter(acl -> acl.pattern().resourceType() == ResourceType.TOPIC
                        && acl.entry().operation() == AclOperation.WRITE)
                .map(acl -> acl.pattern().name())
                .toList();
    }
}
