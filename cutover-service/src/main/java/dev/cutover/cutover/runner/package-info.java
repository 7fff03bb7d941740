/** Runs the cutover saga on Kafka (translates messages, keeps each saga's state, recovers it after a restart, fires deadlines), and the pieces every saga runner shares: reading the event log back, ticking, metadata. */
package dev.cutover.cutover.runner;
