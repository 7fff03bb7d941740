package dev.cutover.ctl;

import java.io.PrintStream;
import java.time.Clock;

/**
 * What one run of the tool works with: where to print, which Kafka, which clock, and how Ctrl-C reaches a command
 * that runs until stopped. Tests pass their own streams and run commands on threads.
 */
record Session(PrintStream out, PrintStream err, KafkaClients kafka, Clock clock, Interrupts interrupts) {
}
