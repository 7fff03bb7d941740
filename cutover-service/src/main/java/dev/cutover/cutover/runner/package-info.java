/** Runs the cutover saga on Kafka: translates messages, keeps each saga's state, recovers it after a restart, fires deadlines. */
package dev.cutover.cutover.runner;
