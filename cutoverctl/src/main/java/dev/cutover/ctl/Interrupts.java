package dev.cutover.ctl;

/**
 * How a long-running command learns that the operator pressed Ctrl-C: it registers what wakes it up (a Kafka
 * consumer's {@code wakeup}) and the tool calls it from a shutdown hook, then waits for the command to close its
 * clients, so that the broker sees a clean goodbye rather than a dropped connection.
 */
interface Interrupts {

    /** Arranges for {@code wakeUp} to run on Ctrl-C until the returned registration is closed. */
    Registration onInterrupt(Runnable wakeUp);

    /** Closing it means the command has finished and no longer needs waking. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** For runs where nobody presses Ctrl-C: tests, and commands that end by themselves. */
    Interrupts NONE = wakeUp -> () -> {
    };
}
