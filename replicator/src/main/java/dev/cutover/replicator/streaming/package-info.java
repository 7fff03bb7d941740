/** Streaming changes made after the snapshot: the target's subscription to the slot, and ending it without leaving WAL behind. */
package dev.cutover.replicator.streaming;
