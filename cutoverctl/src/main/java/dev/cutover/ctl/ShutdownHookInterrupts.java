package dev.cutover.ctl;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for the real program: the JVM runs shutdown hooks on SIGINT, so the hook wakes the command's consumer and
 * then waits (briefly) for {@code main} to finish, because the JVM halts as soon as the hooks return.
 */
final class ShutdownHookInterrupts implements Interrupts {

    private final CountDownLatch done;

    ShutdownHookInterrupts(CountDownLatch done) {
        this.done = done;
    }

    @Override
    public Registration onInterrupt(Runnable wakeUp) {
        var hook = new Thread(() -> {
            wakeUp.run();
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cutoverctl-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook is running and main is on its way out.
            }
        };
    }
}
