/**
 * Real servers for integration tests and local rehearsals: a Kafka broker, PostgreSQL of any major
 * version and BIND 9, started as processes on loopback addresses (or as containers on demand).
 */
package dev.cutover.stack;
