/** Runs the migration saga on Kafka: translates messages, keeps each migration's state, recovers it after a restart, fires deadlines. */
package dev.cutover.cutover.migration.runner;
