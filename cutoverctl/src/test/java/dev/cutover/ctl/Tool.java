package dev.cutover.ctl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the tool in this JVM as an operator would run it, with its output captured: on the calling thread, or on
 * its own thread for commands that wait ({@code watch}, {@code tail}).
 */
final class Tool {

    /** What one run printed and exited with. */
    record Result(int exitCode, String out, String err) {

        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** A run still going: its output so far can be read while it waits. */
    record Running(CompletableFuture<Result> result, ByteArrayOutputStream out, ByteArrayOutputStream err) {

        String outSoFar() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private Tool() {
    }

    static Result run(String bootstrapServers, String... args) {
        return run(Map.of(KafkaClients.ENVIRONMENT_VARIABLE, bootstrapServers), args);
    }

    static Result run(Map<String, String> environment, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = tool(environment, out, err).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Running runInBackground(String bootstrapServers, String... args) {
        // ByteArrayOutputStream is synchronized, so the test thread can read while the tool writes.
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var tool = tool(Map.of(KafkaClients.ENVIRONMENT_VARIABLE, bootstrapServers), out, err);
        var result = CompletableFuture.supplyAsync(() -> {
            int code = tool.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }, runnable -> Thread.ofPlatform().name("cutoverctl-" + args[0]).daemon().start(runnable));
        return new Running(result, out, err);
    }

    private static Cutoverctl tool(Map<String, String> environment, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new Cutoverctl(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment, Clock.systemUTC(), Interrupts.NONE);
    }
}
