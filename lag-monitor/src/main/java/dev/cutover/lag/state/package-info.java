/** Pure judgement of replication health from a series of readings: streaming, catching up, stalled or down. */
package dev.cutover.lag.state;
