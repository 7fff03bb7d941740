package dev.cutover.dns.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cutover.platform.secrets.SecretReference;

class TsigSecretSourceUnitTest {

    @Test
    void aSecretKeptWhereAReferenceSaysIsReadThroughTheProcesssReader(@TempDir Path directory) throws IOException {
        byte[] key = "a key of thirty-two bytes, long.".getBytes();
        Path file = Files.writeString(directory.resolve("tsig"), Base64.getEncoder().encodeToString(key) + "\n");

        TsigSecret secret = new TsigSecretSource.Stored(SecretReference.parse("file:" + file, "dns.rfc2136.secret"))
                .read(name -> null);

        assertThat(secret.bytes()).isEqualTo(key);
    }

    @Test
    void aSecretThatIsNotThereSaysWhereItWasLookedFor() {
        assertThatThrownBy(() -> new TsigSecretSource.Stored(SecretReference.parse("file:/nowhere/tsig",
                "dns.rfc2136.secret")).read(name -> null)).hasMessageContaining("cannot read the file /nowhere/tsig");
    }
}
