/** The databases a deployment moves: where each source and target is and how to log in, shared by every service. */
package dev.cutover.platform.database;
