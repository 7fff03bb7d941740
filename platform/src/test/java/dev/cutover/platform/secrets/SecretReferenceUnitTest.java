package dev.cutover.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SecretReferenceUnitTest {

    @Test
    void eachPlaceASecretIsKeptIsNamedByItsScheme() {
        assertThat(SecretReference.parse("file:/run/secrets/source", "s"))
                .isEqualTo(new SecretReference.File(Path.of("/run/secrets/source")));
        assertThat(SecretReference.parse("env:SOURCE_PASSWORD", "s"))
                .isEqualTo(new SecretReference.Environment("SOURCE_PASSWORD"));
        assertThat(SecretReference.parse("aws-secretsmanager:prod/notify/source", "s"))
                .isEqualTo(new SecretReference.AwsSecretsManager("prod/notify/source", Optional.empty()));
        assertThat(SecretReference.parse(
                "aws-secretsmanager:arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!db-1a2b-AbCdEf#password", "s"))
                .isEqualTo(new SecretReference.AwsSecretsManager(
                        "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!db-1a2b-AbCdEf", Optional.of("password")));
    }

    @Test
    void aReferenceWithoutAKnownSchemeSaysWhichSettingAndHowToWriteIt() {
        assertThatThrownBy(() -> SecretReference.parse("hunter2", "password-secret of postgres@db:5432"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("password-secret of postgres@db:5432 is 'hunter2': name where the secret is kept")
                .hasMessageContaining("file:/path/to/file, env:VARIABLE or aws-secretsmanager:");
        assertThatThrownBy(() -> SecretReference.parse("env:", "s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDescriptionSaysWhereNeverWhat() {
        assertThat(new SecretReference.AwsSecretsManager("prod/source", Optional.of("password")).describe())
                .isEqualTo("the AWS Secrets Manager secret prod/source (its field password)");
    }
}
