package dev.cutover.platform.secrets;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads secrets where their {@link SecretReference} says. A value read from AWS Secrets Manager is kept for
 * {@code cacheFor} (a password is needed at every login) and read again sooner when a login refused it
 * ({@link #forget}), as after a rotation. No value ever appears in a message or a log line.
 */
public final class Secrets implements AutoCloseable {

    /** The process's reader, which settings configure at start-up ({@link #configure}). */
    private static volatile Secrets shared = new Secrets(Optional.empty(), Optional.empty(), Duration.ofMinutes(5),
            System::getenv, Clock.systemUTC(), Optional.empty());

    private final Optional<String> region;
    private final Optional<URI> endpoint;
    private final Duration cacheFor;
    private final UnaryOperator<String> environment;
    private final Clock clock;
    private final Optional<AwsCredentialsProvider> credentials;
    private final Map<SecretReference.AwsSecretsManager, Cached> cached = new ConcurrentHashMap<>();
    private volatile SecretsManagerClient client;

    private record Cached(String value, Instant until) {
    }

    /**
     * @param region      AWS region of Secrets Manager; empty: the SDK's default chain (AWS_REGION, profile, instance)
     * @param endpoint    another endpoint than AWS's (a VPC endpoint, a test double); empty: AWS's own
     * @param cacheFor    how long a value read from Secrets Manager is used before it is read again
     * @param credentials empty: the SDK's default chain (environment, profile, the instance's or task's role)
     */
    public Secrets(Optional<String> region, Optional<URI> endpoint, Duration cacheFor, UnaryOperator<String> environment,
            Clock clock, Optional<AwsCredentialsProvider> credentials) {
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.cacheFor = cacheFor;
        this.environment = environment;
        this.clock = clock;
    }

    public static Secrets shared() {
        return shared;
    }

    /**
     * Replaces the process's reader, as the platform's settings say ({@code cutover.secrets.*}). The one it replaces is
     * left open: in a rehearsal several services share one JVM, and another may be reading through it right now.
     */
    public static void configure(Secrets secrets) {
        shared = secrets;
    }

    /** Reads the secret a setting names; {@code setting} names it in the message when it cannot be read. */
    public String read(String reference, String setting) {
        return read(SecretReference.parse(reference, setting));
    }

    public String read(SecretReference reference) {
        return switch (reference) {
            case SecretReference.File file -> {
                try {
                    yield Files.readString(file.path()).strip();
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + reference.describe() + ": check the path and that"
                            + " this process may read it", e);
                }
            }
            case SecretReference.Environment variable -> {
                String value = environment.apply(variable.variable());
                if (value == null || value.isBlank()) {
                    throw new IllegalStateException(reference.describe() + " is not set for this process");
                }
                yield value;
            }
            case SecretReference.AwsSecretsManager aws -> {
                Cached hit = cached.get(aws);
                if (hit != null && clock.instant().isBefore(hit.until())) {
                    yield hit.value();
                }
                String value = fetch(aws);
                cached.put(aws, new Cached(value, clock.instant().plus(cacheFor)));
                yield value;
            }
        };
    }

    /** Drops a cached value: the next read asks Secrets Manager again (a login refused it: rotated, perhaps). */
    public void forget(String reference, String setting) {
        if (SecretReference.parse(reference, setting) instanceof SecretReference.AwsSecretsManager aws) {
            cached.remove(aws);
        }
    }

    private String fetch(SecretReference.AwsSecretsManager aws) {
        GetSecretValueResponse response;
        try {
            response = client().getSecretValue(request -> request.secretId(aws.secretId()));
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException(aws.describe() + " does not exist: check its name or ARN and the region ("
                    + region.orElse("the SDK's default") + ")", e);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read " + aws.describe() + " (" + e.getMessage() + "): check this"
                    + " process's AWS credentials, that they may call secretsmanager:GetSecretValue on it, and the"
                    + " region", e);
        }
        String text = response.secretString();
        if (text == null) {
            throw new IllegalStateException(aws.describe() + " holds binary data, not text: store the password as its"
                    + " SecretString");
        }
        if (aws.jsonKey().isEmpty()) {
            return text;
        }
        JsonNode secret;
        try {
            secret = JsonNode.parser().parse(text);
        } catch (RuntimeException e) {
            // The parser's message may quote the secret: it is left out.
            throw new IllegalStateException(aws.describe() + " is not JSON, so it has no field " + aws.jsonKey().get()
                    + ": name the secret without #" + aws.jsonKey().get() + " if it holds the password alone");
        }
        JsonNode field = secret.isObject() ? secret.asObject().get(aws.jsonKey().get()) : null;
        if (field == null || !field.isString()) {
            throw new IllegalStateException(aws.describe() + " has no text field " + aws.jsonKey().get());
        }
        return field.asString();
    }

    private SecretsManagerClient client() {
        if (client == null) {
            synchronized (this) {
                if (client == null) {
                    SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                            .httpClientBuilder(ApacheHttpClient.builder());
                    region.map(Region::of).ifPresent(builder::region);
                    endpoint.ifPresent(builder::endpointOverride);
                    credentials.ifPresent(builder::credentialsProvider);
                    client = builder.build();
                }
            }
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        cached.clear();
    }
}
