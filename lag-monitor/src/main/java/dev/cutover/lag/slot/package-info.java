/** Pure judgement of a replication slot left without a reader while it keeps WAL on the source. */
package dev.cutover.lag.slot;
