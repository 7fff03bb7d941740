/**
 * Follows one database's cutover from its events and moves a HikariCP pool with it: holds checkouts during the
 * fence, connects to the target's address once it is open, and falls back to plain behaviour when it hears nothing.
 */
package dev.cutover.client;
