package dev.cutover.stack;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SASL/SCRAM-SHA-512 users of a {@link KafkaProcess} and its StandardAuthorizer: every client authenticates as one of
 * these users, and a user may do only what an ACL grants it ({@code allow.everyone.if.no.acl.found} stays false), except
 * {@link #ADMIN}, the super user that creates the ACLs. Each password is random, made when the user is added.
 *
 * @param users name to password, {@link #ADMIN} among them
 */
public record KafkaSecurity(Map<String, String> users) {

    /** The super user: the broker's own connections and whoever creates the ACLs. */
    public static final String ADMIN = "admin";
    public static final String MECHANISM = "SCRAM-SHA-512";

    private static final SecureRandom RANDOM = new SecureRandom();

    public KafkaSecurity {
        users = Map.copyOf(users);
        if (!users.containsKey(ADMIN)) {
            throw new IllegalArgumentException("the users must include " + ADMIN + ", who creates the ACLs");
        }
    }

    /** The admin alone; add the principals your clients use with {@link #withUser}. */
    public static KafkaSecurity scram() {
        return new KafkaSecurity(Map.of(ADMIN, newPassword()));
    }

    /** These users too, each with a random password. */
    public KafkaSecurity withUsers(List<String> names) {
        Map<String, String> more = new LinkedHashMap<>(users);
        for (String name : names) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("Kafka user '" + name + "': use letters, digits, '.', '_' and '-'");
            }
            more.putIfAbsent(name, newPassword());
        }
        return new KafkaSecurity(more);
    }

    public KafkaSecurity withUser(String name) {
        return withUsers(List.of(name));
    }

    public String password(String user) {
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka user " + user + "; the users are " + users.keySet());
        }
        return password;
    }

    /**
     * What a Kafka client needs to connect as {@code user}: {@code security.protocol}, {@code sasl.mechanism} and
     * {@code sasl.jaas.config} (which holds the password: keep it out of logs).
     */
    public Map<String, Object> clientProperties(String user) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaas(user, password(user)));
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** The storage tool's {@code --add-scram} arguments: SCRAM credentials live in the cluster's metadata from the start. */
    List<String> formatArguments() {
        return users.entrySet().stream()
                .flatMap(user -> List.of("--add-scram",
                        MECHANISM + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]").stream())
                .toList();
    }

    /** Passwords in hex: nothing for JAAS or the storage tool's syntax to quote. */
    private static String newPassword() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "KafkaSecurity[" + MECHANISM + " users " + users.keySet() + "]";
    }
}
