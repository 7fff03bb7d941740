/** The replicator service: answers CopyData, StartStreaming, StopReplication and VerifyData from the cutover saga. */
package dev.cutover.replicator;
