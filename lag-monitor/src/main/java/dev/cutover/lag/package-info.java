/** The lag-monitor service: observes replication and proves catch-up for the cutover saga. */
package dev.cutover.lag;
