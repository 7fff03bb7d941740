/** Runs PostgreSQL's client programs (pg_dump, pg_restore, psql) and reads the archives they write. */
package dev.cutover.schema.pgtools;
