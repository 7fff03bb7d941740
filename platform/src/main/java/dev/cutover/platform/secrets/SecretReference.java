package dev.cutover.platform.secrets;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a secret is kept, as a setting names it: never the secret itself, so settings can be logged and shown.
 * <ul>
 * <li>{@code file:/run/secrets/source-password}: a file (a mounted container secret), its content stripped;</li>
 * <li>{@code env:SOURCE_PASSWORD}: an environment variable;</li>
 * <li>{@code aws-secretsmanager:<secret id or ARN>} and {@code aws-secretsmanager:<id>#<key>}: AWS Secrets Manager's
 * current version; with {@code #key}, that field of a JSON secret, as RDS stores its master password
 * ({@code #password}).</li>
 * </ul>
 */
public sealed interface SecretReference {

    /** What a message may say about it: where, never what. */
    String describe();

    record File(Path path) implements SecretReference {

        @Override
        public String describe() {
            return "the file " + path;
        }
    }

    record Environment(String variable) implements SecretReference {

        @Override
        public String describe() {
            return "the environment variable " + variable;
        }
    }

    record AwsSecretsManager(String secretId, Optional<String> jsonKey) implements SecretReference {

        @Override
        public String describe() {
            return "the AWS Secrets Manager secret " + secretId + jsonKey.map(key -> " (its field " + key + ")").orElse("");
        }
    }

    /** @param setting the setting's name, for the message when {@code reference} cannot be read */
    public static SecretReference parse(String reference, String setting) {
        int colon = reference == null ? -1 : reference.indexOf(':');
        String scheme = colon < 0 ? "" : reference.substring(0, colon);
        String rest = colon < 0 ? "" : reference.substring(colon + 1).strip();
        if (rest.isEmpty()) {
            throw unreadable(reference, setting);
        }
        return switch (scheme) {
            case "file" -> new File(Path.of(rest));
            case "env" -> new Environment(rest);
            case "aws-secretsmanager" -> {
                int hash = rest.lastIndexOf('#');
                yield hash < 0 ? new AwsSecretsManager(rest, Optional.empty())
                        : new AwsSecretsManager(rest.substring(0, hash), Optional.of(rest.substring(hash + 1)));
            }
            default -> throw unreadable(reference, setting);
        };
    }

    private static IllegalArgumentException unreadable(String reference, String setting) {
        return new IllegalArgumentException(setting + " is '" + reference + "': name where the secret is kept, as"
                + " file:/path/to/file, env:VARIABLE or aws-secretsmanager:<secret id>[#<json field>]");
    }
}
