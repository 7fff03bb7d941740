package dev.cutover.sandbox.client;

/**
 * One kind of failed attempt.
 *
 * @param sqlState the SQLState, empty when the exception had none (e.g. the pool's own timeout)
 * @param exceptionClass the simple name of the exception's class
 * @param exampleMessage the message of the first failed attempt with this cause
 */
public record FailureCause(String sqlState, String exceptionClass, String exampleMessage) {
}
