/**
 * The rehearsal client: an imitation of the applications that write to the database during a cutover.
 *
 * <p>{@link dev.cutover.sandbox.client.RehearsalClient#start(ClientSettings)} opens a HikariCP pool on
 * {@code jdbc:postgresql://<dns name>:<port>/<database>} and runs one worker thread per connection. Each worker
 * paces itself to its share of the target rate and sends autocommit transactions: an {@code INSERT} of a
 * notification or an {@code UPDATE} of the status of one of its own earlier inserts, retrying a failed write until
 * it succeeds or the run ends, as an application would. The name is resolved for real, by dnsjava acting as the
 * JVM's resolver and asking only the stack's BIND ({@link dev.cutover.sandbox.client.JvmDns}).
 *
 * <p>{@link dev.cutover.sandbox.client.RehearsalClient#stop()} returns a {@link dev.cutover.sandbox.client.ClientRecord}:
 * every acknowledged write (id, status, time, the server that acknowledged it), the final status of every row the
 * client inserted, and every failed attempt with its SQLState.
 *
 * <p>The table it writes to is created by {@link dev.cutover.sandbox.client.NotificationsSchema}.
 */
package dev.cutover.sandbox.client;
