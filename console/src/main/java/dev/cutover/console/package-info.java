/** The operators' web console: a Kafka reader, a fold of what it read, and a page fed by server-sent events. */
package dev.cutover.console;
