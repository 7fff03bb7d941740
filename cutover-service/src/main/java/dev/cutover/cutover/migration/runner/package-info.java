/** Runs the migration saga on Kafka: translates messages, keeps the state of the migrations on owned partitions, takes a partition's migrations over from the log, fires deadlines. */
package dev.cutover.cutover.migration.runner;
