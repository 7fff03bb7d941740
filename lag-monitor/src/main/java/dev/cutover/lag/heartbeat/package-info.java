/** The heartbeat row written on the source and read on the target: end-to-end lag whatever the engine. */
package dev.cutover.lag.heartbeat;
