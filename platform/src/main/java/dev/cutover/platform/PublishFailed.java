package dev.cutover.platform;

/**
 * Kafka did not acknowledge a message: nothing about the message is wrong, the broker is unreachable or refused it.
 * A listener gives up the whole transaction on it, so that what it consumed is delivered again.
 */
public final class PublishFailed extends IllegalStateException {

    public PublishFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
