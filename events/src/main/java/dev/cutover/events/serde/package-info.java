/**
 * Kafka serde for cutover messages: Avro single-object encoding, writer schemas resolved by fingerprint from every
 * released version ({@link dev.cutover.events.serde.ReleasedSchemas}).
 */
package dev.cutover.events.serde;
