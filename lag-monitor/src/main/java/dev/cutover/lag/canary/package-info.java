/** Catch-up proof: the canary row visible on the target and the replicated position past its commit. */
package dev.cutover.lag.canary;
