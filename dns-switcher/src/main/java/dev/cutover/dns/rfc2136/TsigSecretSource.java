package dev.cutover.dns.rfc2136;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import dev.cutover.platform.secrets.SecretReference;
import dev.cutover.platform.secrets.Secrets;

/**
 * Where the TSIG secret is read from. Settings only ever hold the place (a file path or an
 * environment variable's name), never the secret, so logging the settings is safe.
 */
public sealed interface TsigSecretSource {

    /** Reads the base64 secret; {@code environment} looks up environment variables (System::getenv). */
    TsigSecret read(UnaryOperator<String> environment);

    /** A file holding the base64 secret, alone or as the {@code secret "...";} line of a BIND key file. */
    record File(Path path) implements TsigSecretSource {
        @Override
        public TsigSecret read(UnaryOperator<String> environment) {
            String content;
            try {
                content = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the TSIG secret file " + path + " (" + e.getClass().getSimpleName()
                        + "): check dns.rfc2136.secret-file and its permissions");
            }
            return TsigSecret.parse(secretIn(content), "the file " + path);
        }

        // Accepts what tsig-keygen writes, so operators can point at the key file BIND itself uses.
        private static String secretIn(String content) {
            int keyword = content.indexOf("secret");
            if (keyword < 0) {
                return content.strip();
            }
            int open = content.indexOf('"', keyword);
            int close = open < 0 ? -1 : content.indexOf('"', open + 1);
            return close < 0 ? "" : content.substring(open + 1, close);
        }

        @Override
        public String toString() {
            return "file " + path;
        }
    }

    /** An environment variable holding the base64 secret. */
    record EnvironmentVariable(String name) implements TsigSecretSource {
        @Override
        public TsigSecret read(UnaryOperator<String> environment) {
            String value = environment.apply(name);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("the environment variable " + name
                        + " holding the TSIG secret is not set: set it, or check dns.rfc2136.secret-env");
            }
            return TsigSecret.parse(value.strip(), "the environment variable " + name);
        }

        @Override
        public String toString() {
            return "environment variable " + name;
        }
    }

    /** Kept where a {@link SecretReference} says, e.g. AWS Secrets Manager; read through the process's {@link Secrets}. */
    record Stored(SecretReference reference) implements TsigSecretSource {
        @Override
        public TsigSecret read(UnaryOperator<String> environment) {
            return TsigSecret.parse(Secrets.shared().read(reference).strip(), reference.describe());
        }

        @Override
        public String toString() {
            return reference.describe();
        }
    }
}
