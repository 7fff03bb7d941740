/** The schema service: answers preflight, schema and sequence commands from the cutover saga over Kafka. */
package dev.cutover.schema;
