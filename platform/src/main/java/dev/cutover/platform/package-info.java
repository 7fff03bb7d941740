/** What every cutover service shares: Kafka wired to the Avro serde, dead letters, schema publishing, health. */
package dev.cutover.platform;
