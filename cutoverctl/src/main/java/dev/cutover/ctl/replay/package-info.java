/**
 * What the tool makes of a cutover's log, without Kafka: the decoded records, the one-line summaries, the
 * timeline, the status fold and the progress lines, so that each can be tested on a list of messages.
 */
package dev.cutover.ctl.replay;
