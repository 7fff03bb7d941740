package dev.cutover.client;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

/** One checkout in a thread of its own, so that a test can see it wait and then see where it went. */
public final class Checkout {

    private final CompletableFuture<String> server = new CompletableFuture<>();
    private final Thread thread;

    private Checkout(DataSource pool) {
        thread = Thread.ofPlatform().name("checkout").start(() -> {
            try (Connection connection = pool.getConnection()) {
                server.complete(Servers.serverAddress(connection));
            } catch (SQLException | RuntimeException e) {
                server.completeExceptionally(e);
            }
        });
    }

    public static Checkout start(DataSource pool) {
        return new Checkout(pool);
    }

    /** True while the checkout is parked in the cutover's hold, not anywhere else. */
    public boolean isHeld() {
        return isHeld(thread);
    }

    /** True while {@code thread} is parked in the cutover's hold, not anywhere else. */
    static boolean isHeld(Thread thread) {
        return parkedIn(thread, RouteKeeper.class.getName(), "awaitPlan");
    }

    /** True while the checkout, released from the hold, waits for the pool's first connection on the new side. */
    public boolean isWaitingForTheFirstConnection() {
        return parkedIn(thread, FirstConnection.class.getName(), "await");
    }

    /** True while the checkout waits for HikariCP to free or make a connection, past the cutover's hold. */
    public boolean isWaitingForThePool() {
        return parkedIn(thread, "com.zaxxer.hikari.util.ConcurrentBag", "borrow");
    }

    private static boolean parkedIn(Thread thread, String className, String methodName) {
        return (thread.getState() == Thread.State.TIMED_WAITING || thread.getState() == Thread.State.WAITING)
                && Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getClassName().equals(className)
                && frame.getMethodName().equals(methodName));
    }

    /** The address of the server the checkout's connection reached, once it has one. */
    public CompletableFuture<String> server() {
        return server;
    }
}
