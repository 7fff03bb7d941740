/** Runs the cutover saga on Kafka (translates messages, keeps the state of the cutovers on owned partitions, fires deadlines), and what every saga runner shares: partition ownership, the projection of the event log, fenced writers, ticking, metadata. */
package dev.cutover.cutover.runner;
