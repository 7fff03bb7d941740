package dev.cutover.stack;

/** A part of the stack could not start or stop; the message says what to do about it. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
