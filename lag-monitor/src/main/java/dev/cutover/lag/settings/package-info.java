/** Settings of the lag monitor: per database, the engine to read and how often, and when it counts as stalled. */
package dev.cutover.lag.settings;
