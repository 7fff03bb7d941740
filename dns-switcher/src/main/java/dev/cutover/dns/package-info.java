/** Where the database's DNS name points: the domain (names, targets, flips, named failures) and the idempotent command handler. */
package dev.cutover.dns;
