/**
 * The PgBouncer switch: moves a PgBouncer database entry from the source server to the target on every PgBouncer
 * in front of the database, holding clients (PAUSE) from the flip until the target opens.
 */
package dev.cutover.dns.pgbouncer;
