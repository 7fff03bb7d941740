/**
 * The {@code cutoverctl} command line: argument parsing, one class per command, and the Kafka edge that reads a
 * cutover's partition and publishes operator commands. What the tool makes of the records lives in
 * {@link dev.cutover.ctl.replay}.
 */
package dev.cutover.ctl;
