#!/usr/bin/env bash
# The Kafka users' passwords for compose/secured.yml, made once before its first `up` (an existing one is kept):
# compose/kafka/secrets/kafka-<user>, one per service, the operator "ops" and the broker's "admin", given to the
# containers as compose secrets; and the Kafka client settings of ops (cutoverctl --kafka-config) and of admin, for
# clients on the host (localhost:9092). The directory is ignored by git: keep it out of any image and repository.
set -euo pipefail
cd "$(dirname "$0")"
users="admin cutover-service replicator schema-service lag-monitor dns-switcher console ops"
mkdir -p secrets
chmod 700 secrets
for user in $users; do
  if [ ! -s "secrets/kafka-$user" ]; then
    # Letters and digits only: the password goes into a JAAS line and a kafka-storage argument unquoted.
    head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 > "secrets/kafka-$user"
  fi
done
for user in admin ops; do
  cat > "secrets/$user.properties" <<PROPERTIES
bootstrap.servers=localhost:9092
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$user" password="$(cat "secrets/kafka-$user")";
PROPERTIES
done
# The containers read them as another user than the one who made them.
chmod 644 secrets/kafka-*
echo "Kafka passwords in $(pwd)/secrets for: $users"
