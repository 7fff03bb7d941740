/**
 * The fault matrix ({@code ./rehearse --layout processes --fault-matrix}): a catalogue of cases, each a fault of the
 * production layout (a process killed, the broker stopped, a PostgreSQL server restarted or cut off, the DNS server
 * unreachable, a saga instance paused), the step it strikes at and the outcome expected beforehand; each case one
 * rehearsal, and a table of expected against actual.
 */
package dev.cutover.sandbox.faults;
