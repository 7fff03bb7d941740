/**
 * Every command and event cutover's services exchange (Avro classes generated from {@code src/main/avro}), and the
 * {@link dev.cutover.events.Messages} catalogue of them.
 */
package dev.cutover.events;
