package dev.cutover.ctl;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;

/**
 * What one run of the tool works with: where to print, which Kafka, which clock, how Ctrl-C reaches a command
 * that runs until stopped, and who runs it ({@code $USER}, the operator when none is named). Tests pass their own
 * streams and run commands on threads.
 */
record Session(PrintStream out, PrintStream err, KafkaClients kafka, Clock clock, Interrupts interrupts,
        Optional<String> user) {
}
