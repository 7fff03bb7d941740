/**
 * The Kafka topics cutover uses, each tied to its key and value serdes and its configuration, and the publisher of
 * schemas to {@code cutover.schemas}.
 */
package dev.cutover.events.topic;
