/** The fence: stops application traffic on the source, writes the canary, opens the target, and undoes it all. */
package dev.cutover.cutover.fence;
