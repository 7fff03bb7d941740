/** PostgreSQL vocabulary the replicator's features share: names, LSNs, literals and what a failure means for an operator. */
package dev.cutover.replicator.postgres;
