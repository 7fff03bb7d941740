#!/usr/bin/env bash
# The ACLs of compose/secured.yml's Kafka users, as platform's KafkaAccess lists them: each service's user
# (named as the service) and the operator ops. Written out of KafkaAccess by platform's ComposeAclsUnitTest,
# which fails when they differ: do not edit by hand. Run once the broker serves, as its admin, e.g. by the
# kafka-acls container of compose/secured.yml; granting an ACL that exists already changes nothing.
set -euo pipefail
bin=${KAFKA_HOME:-/opt/kafka}/bin
bootstrap=${BOOTSTRAP_SERVER:-kafka:19092}
admin=${ADMIN_CONFIG:-/tmp/admin.properties}
if [ ! -s "$admin" ]; then
  cat > "$admin" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(tr -d '\n' < "${SECRETS:-/run/secrets}/kafka-admin")";
PROPERTIES
fi
for attempt in $(seq 60); do
  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$admin" --list > /dev/null 2>&1 && break
  [ "$attempt" = 60 ] && { echo "Kafka at $bootstrap did not answer its admin within 2 minutes" >&2; exit 1; }
  sleep 2
done
grant() {
  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$admin" --add "$@" > /dev/null
}
# console
grant --allow-principal User:console --operation Create --topic cutover.commands --topic cutover.dlt.console --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:console --operation DescribeConfigs --topic cutover.commands --topic cutover.dlt.console --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:console --operation Read --resource-pattern-type prefixed --group cutover-console-
grant --allow-principal User:console --operation Read --topic cutover.commands --topic cutover.events --topic replication.lag
grant --allow-principal User:console --operation Write --topic cutover.commands --topic cutover.dlt.console --topic cutover.events --topic cutover.schemas
# cutover-service
grant --allow-principal User:cutover-service --operation Create --topic cutover.commands --topic cutover.dlt.cutover-service --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:cutover-service --operation DescribeConfigs --topic cutover.commands --topic cutover.dlt.cutover-service --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:cutover-service --operation Read --resource-pattern-type prefixed --group cutover- --group migration-saga
grant --allow-principal User:cutover-service --operation Read --topic cutover.commands --topic cutover.events --topic replication.lag
grant --allow-principal User:cutover-service --operation Write --resource-pattern-type prefixed --transactional-id cutover- --transactional-id migration-saga
grant --allow-principal User:cutover-service --operation Write --topic cutover.commands --topic cutover.dlt.cutover-service --topic cutover.events --topic cutover.schemas
# dns-switcher
grant --allow-principal User:dns-switcher --operation Create --topic cutover.commands --topic cutover.dlt.dns-switcher --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:dns-switcher --operation DescribeConfigs --topic cutover.commands --topic cutover.dlt.dns-switcher --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:dns-switcher --operation Read --resource-pattern-type prefixed --group dns-switcher
grant --allow-principal User:dns-switcher --operation Read --topic cutover.commands --topic cutover.events
grant --allow-principal User:dns-switcher --operation Write --topic cutover.dlt.dns-switcher --topic cutover.events --topic cutover.schemas
# lag-monitor
grant --allow-principal User:lag-monitor --operation Create --topic cutover.commands --topic cutover.dlt.lag-monitor --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:lag-monitor --operation DescribeConfigs --topic cutover.commands --topic cutover.dlt.lag-monitor --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:lag-monitor --operation Read --resource-pattern-type prefixed --group lag-monitor
grant --allow-principal User:lag-monitor --operation Read --topic cutover.commands --topic cutover.events
grant --allow-principal User:lag-monitor --operation Write --topic cutover.dlt.lag-monitor --topic cutover.events --topic cutover.schemas --topic replication.lag
# ops
grant --allow-principal User:ops --operation Read --topic cutover.commands --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:ops --operation Write --topic cutover.commands
# replicator
grant --allow-principal User:replicator --operation Create --topic cutover.commands --topic cutover.dlt.replicator --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:replicator --operation DescribeConfigs --topic cutover.commands --topic cutover.dlt.replicator --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:replicator --operation Read --resource-pattern-type prefixed --group replicator
grant --allow-principal User:replicator --operation Read --topic cutover.commands --topic cutover.events --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:replicator --operation Write --topic cutover.dlt.replicator --topic cutover.events --topic cutover.schemas --topic replicator.load-task-results --topic replicator.load-tasks
# schema-service
grant --allow-principal User:schema-service --operation Create --topic cutover.commands --topic cutover.dlt.schema-service --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:schema-service --operation DescribeConfigs --topic cutover.commands --topic cutover.dlt.schema-service --topic cutover.events --topic cutover.schemas --topic replication.lag --topic replicator.load-task-results --topic replicator.load-tasks
grant --allow-principal User:schema-service --operation Read --resource-pattern-type prefixed --group schema-service
grant --allow-principal User:schema-service --operation Read --topic cutover.commands --topic cutover.events
grant --allow-principal User:schema-service --operation Write --topic cutover.dlt.schema-service --topic cutover.events --topic cutover.schemas
echo "ACLs granted to console, cutover-service, dns-switcher, lag-monitor, ops, replicator, schema-service"
