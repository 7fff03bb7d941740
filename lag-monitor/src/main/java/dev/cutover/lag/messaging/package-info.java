/** The Kafka edge: one listener that hands each message to the service that acts on it. */
package dev.cutover.lag.messaging;
