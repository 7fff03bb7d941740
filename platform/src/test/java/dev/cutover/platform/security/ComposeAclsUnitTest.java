package dev.cutover.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * compose/kafka/acls.sh grants, with the Kafka image's {@code kafka-acls.sh}, what {@link KafkaAccess} lists for each
 * service of docker-compose.yml (its Kafka user named as the service) and for the operator {@code ops}: nothing more,
 * nothing less. The script is written out of KafkaAccess; when this test fails, it says where the new one is.
 */
class ComposeAclsUnitTest {

    private static final Path COMPOSE = Path.of("..", "compose");
    private static final Path SCRIPT = COMPOSE.resolve("kafka").resolve("acls.sh");
    private static final String OPERATOR = "ops";

    @Test
    void composesAclScriptGrantsExactlyWhatKafkaAccessListsForEveryServiceAndTheOperator() throws IOException {
        String expected = script();
        String actual = Files.exists(SCRIPT) ? Files.readString(SCRIPT) : "";
        if (!actual.equals(expected)) {
            Path written = Files.writeString(Path.of("target", "acls.sh"), expected);
            assertThat(actual).as("compose/kafka/acls.sh is not what KafkaAccess lists: copy "
                    + written.toAbsolutePath() + " over it").isEqualTo(expected);
        }
    }

    @Test
    void everyServiceKafkaAccessKnowsIsInTheScript() throws IOException {
        String script = Files.readString(SCRIPT);

        assertThat(KafkaAccess.services()).allSatisfy(service ->
                assertThat(script).contains("--allow-principal User:" + service + " "));
        assertThat(script).contains("--allow-principal User:" + OPERATOR + " --operation Write --topic cutover.commands");
    }

    @Test
    void theSecuredComposeFileLogsEveryServiceInAsItsOwnUserAndTheBrokerMakesEveryUserTheScriptsKnow() throws IOException {
        Set<String> users = new TreeSet<>(KafkaAccess.services());
        users.addAll(List.of(OPERATOR, "admin"));
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE.resolve("secured.yml")));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        @SuppressWarnings("unchecked")
        Map<String, Object> secrets = (Map<String, Object>) compose.get("secrets");

        for (String script : List.of("make-secrets.sh", "start-secured.sh")) {
            assertThat(usersOf(COMPOSE.resolve("kafka").resolve(script))).as(script).isEqualTo(users);
        }
        assertThat(secrets.keySet()).containsExactlyInAnyOrderElementsOf(users.stream().map(user -> "kafka-" + user).toList());
        assertThat(KafkaAccess.services()).allSatisfy(service -> {
            assertThat(services).containsKey(service);
            assertThat(services.get(service).get("environment")).asString()
                    .contains("CUTOVER_KAFKA_SASL_USERNAME=" + service)
                    .contains("CUTOVER_KAFKA_SASL_PASSWORDSECRET=file:/run/secrets/kafka-password");
            assertThat(services.get(service).get("secrets")).asString()
                    .contains("source=kafka-" + service + ", target=kafka-password");
        });
    }

    /** The users a script names in its {@code users="..."} line. */
    private static Set<String> usersOf(Path script) throws IOException {
        String line = Files.readAllLines(script).stream().filter(text -> text.startsWith("users=\"")).findFirst()
                .orElseThrow(() -> new AssertionError(script + " has no users=\"...\" line"));
        return new TreeSet<>(List.of(line.substring("users=\"".length(), line.length() - 1).split(" ")));
    }

    /** The script: one kafka-acls.sh call per user, kind of resource, pattern and operation, naming every resource. */
    static String script() {
        StringBuilder text = new StringBuilder("""
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
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(tr -d '\\n' < "${SECRETS:-/run/secrets}/kafka-admin")";
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
                """);
        Map<String, List<AclBinding>> byUser = new TreeMap<>();
        KafkaAccess.services().forEach(service -> byUser.put(service, KafkaAccess.forService(service, service)));
        byUser.put(OPERATOR, KafkaAccess.forOperator(OPERATOR));
        byUser.forEach((user, acls) -> {
            text.append("# ").append(user).append('\n');
            Map<String, List<String>> grants = acls.stream().collect(Collectors.groupingBy(
                    ComposeAclsUnitTest::grantWithoutResources, TreeMap::new,
                    Collectors.mapping(acl -> acl.pattern().name(), Collectors.toList())));
            grants.forEach((grant, names) -> {
                String flag = grant.substring(grant.lastIndexOf(' ') + 1);
                List<String> line = new ArrayList<>(List.of("grant", grant.substring(0, grant.lastIndexOf(' '))));
                names.stream().sorted().forEach(name -> line.add(flag + " " + name));
                text.append(String.join(" ", line)).append('\n');
            });
        });
        text.append("echo \"ACLs granted to ").append(String.join(", ", byUser.keySet())).append("\"\n");
        return text.toString();
    }

    /** The flags of a grant but its resources' names, ending with the flag that names one (e.g. {@code --topic}). */
    private static String grantWithoutResources(AclBinding acl) {
        String resource = switch (acl.pattern().resourceType()) {
            case TOPIC -> "--topic";
            case GROUP -> "--group";
            case TRANSACTIONAL_ID -> "--transactional-id";
            default -> throw new IllegalArgumentException("no kafka-acls.sh flag for " + acl.pattern().resourceType());
        };
        String pattern = acl.pattern().patternType() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "";
        return "--allow-principal " + acl.entry().principal() + " --operation " + operation(acl) + pattern + " "
                + resource;
    }

    /** kafka-acls.sh's name of an operation: {@code DESCRIBE_CONFIGS} is {@code DescribeConfigs}. */
    private static String operation(AclBinding acl) {
        StringBuilder name = new StringBuilder();
        for (String word : acl.entry().operation().name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
