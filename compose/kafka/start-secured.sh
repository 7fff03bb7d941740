#!/usr/bin/env bash
# The Kafka node of compose/secured.yml: SASL/SCRAM-SHA-512 on both client listeners, ACLs enforced by the
# StandardAuthorizer with nothing allowed that no ACL allows, and the users made when the log directory is formatted,
# with the passwords compose/kafka/make-secrets.sh made (compose secrets in $SECRETS). The controller's listener stays
# plaintext on the loopback address: SCRAM cannot authenticate it (the credentials live in the metadata the controller
# serves), so the node reaches its controller as ANONYMOUS, a super user there and only there, since both client
# listeners refuse a connection without SASL. platform's KafkaAccess lists each user's ACLs; compose/kafka/acls.sh
# grants them. $KAFKA_HOME is the image's /opt/kafka unless set.
set -euo pipefail
kafka_home=${KAFKA_HOME:-/opt/kafka}
secrets=${SECRETS:-/run/secrets}
# The image's own log directory, which its user may write; the node starts afresh with its container.
data=${KAFKA_DATA:-/tmp/kraft-combined-logs}
internal=${KAFKA_INTERNAL_LISTENER:-kafka:19092}
external=${KAFKA_EXTERNAL_LISTENER:-localhost:9092}
controller_port=${KAFKA_CONTROLLER_PORT:-9093}
users="admin cutover-service replicator schema-service lag-monitor dns-switcher console ops"
config=$(mktemp -d)/server.properties

password() {
  local file="$secrets/kafka-$1"
  if [ ! -s "$file" ]; then
    echo "no password for the Kafka user $1 in $file: run compose/kafka/make-secrets.sh before docker compose up" >&2
    exit 1
  fi
  tr -d '\n' < "$file"
}

admin_login="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$(password admin)\";"
cat > "$config" <<PROPERTIES
node.id=1
process.roles=broker,controller
listeners=INTERNAL://:${internal##*:},EXTERNAL://:${external##*:},CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=INTERNAL://$internal,EXTERNAL://$external
listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
controller.quorum.voters=1@127.0.0.1:$controller_port
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.internal.scram-sha-512.sasl.jaas.config=$admin_login
listener.name.external.scram-sha-512.sasl.jaas.config=$admin_login
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:ANONYMOUS
log.dirs=$data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES

if [ ! -f "$data/meta.properties" ]; then
  scram=()
  for user in $users; do
    scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(password "$user")]")
  done
  "$kafka_home/bin/kafka-storage.sh" format --cluster-id "${CLUSTER_ID:-Y3V0b3Zlci1zZWN1cmVkMQ}" \
      --config "$config" "${scram[@]}"
fi
exec "$kafka_home/bin/kafka-server-start.sh" "$config"
