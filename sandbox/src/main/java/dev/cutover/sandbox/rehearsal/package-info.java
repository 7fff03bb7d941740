/** One rehearsal: the local stack, every service, seed-shaped data, the migration, the client, the cutover, the report. */
package dev.cutover.sandbox.rehearsal;
