package dev.cutover.platform.secrets;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How secrets named {@code aws-secretsmanager:...} are read, under {@code cutover.secrets}.
 *
 * @param awsRegion   Secrets Manager's region; unset: the SDK's default chain (AWS_REGION, the profile, the instance)
 * @param awsEndpoint another endpoint than AWS's own, e.g. a VPC endpoint
 * @param cacheFor    how long a value read is used before it is read again; a login it fails on reads it at once
 */
@ConfigurationProperties("cutover.secrets")
public record SecretsSettings(String awsRegion, URI awsEndpoint, @DefaultValue("5m") Duration cacheFor) {

    public SecretsSettings {
        if (cacheFor.isNegative()) {
            throw new IllegalArgumentException("cutover.secrets.cache-for must not be negative, was " + cacheFor);
        }
    }

    public Secrets secrets() {
        return new Secrets(Optional.ofNullable(awsRegion), Optional.ofNullable(awsEndpoint), cacheFor, System::getenv,
                Clock.systemUTC(), Optional.empty());
    }
}
