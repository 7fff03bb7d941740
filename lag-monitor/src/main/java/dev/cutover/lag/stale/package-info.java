/** After the fence: watching the source for application writes that still commit there. */
package dev.cutover.lag.stale;
