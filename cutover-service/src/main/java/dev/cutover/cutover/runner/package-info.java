/** Runs the cutover saga on Kafka (one loop that reads, decides in transactions and fires deadlines on one thread; keeps the state of the cutovers on owned partitions), and what every saga runner shares: partition ownership, the projection of the event log, fenced writers, ticking, metadata. */
package dev.cutover.cutover.runner;
