/**
 * The yardstick of the event-driven cutover: the same steps with the same SQL run by one sequential program (JDBC
 * and DNS calls, no Kafka), as the seed's script did, and the rehearsal that runs it instead of the saga.
 */
package dev.cutover.sandbox.plain;
