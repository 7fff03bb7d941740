/** The schedule that reads every database each interval and publishes lag, stalls and gauges. */
package dev.cutover.lag.monitor;
