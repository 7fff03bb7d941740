package dev.cutover.sandbox.client;

/**
 * What one worker saw, in the order it saw it, in parallel primitive arrays: about 20 bytes per write. Only its
 * worker writes to it; the client reads it after the worker has ended.
 */
final class WorkerLog {

    static final int NO_STATUS = -1;

    /** The application instance the worker belongs to. */
    final int instance;

    final Longs rowIds = new Longs();
    final Bytes rowStatuses = new Bytes();
    /** The status of an update whose outcome is unknown because the run ended while it was being retried. */
    final Bytes rowDoubtStatuses = new Bytes();

    final Longs ackNanos = new Longs();
    /** When the worker asked for the connection of the acknowledged attempt: the attempt's whole wait starts there. */
    final Longs ackBeganNanos = new Longs();
    /** When the acknowledged statement was sent: what is sent after the fence must never be acknowledged by the source. */
    final Longs ackSentNanos = new Longs();
    /** The server's start of the acknowledged write's session, epoch ms ({@link SessionStarts#UNKNOWN} if unknown). */
    final Longs ackSessionStartMillis = new Longs();
    final Longs ackIds = new Longs();
    final Bytes ackStatuses = new Bytes();
    final Bytes ackServers = new Bytes();
    final Bytes ackKinds = new Bytes();

    final Longs failureNanos = new Longs();
    final Longs failureBeganNanos = new Longs();
    final Bytes failureKinds = new Bytes();
    final Bytes failureStates = new Bytes();

    int updatesFindingNoRow;

    WorkerLog(int instance) {
        this.instance = instance;
    }

    int insertAcked(long beganNanos, long sentNanos, long sessionStart, long nanos, long id, Server server) {
        rowIds.add(id);
        rowStatuses.add(NotificationStatus.CREATED.ordinal());
        rowDoubtStatuses.add(NO_STATUS);
        ack(beganNanos, sentNanos, sessionStart, nanos, id, NotificationStatus.CREATED, server, WriteKind.INSERT);
        return rowIds.size() - 1;
    }

    void updateAcked(long beganNanos, long sentNanos, long sessionStart, long nanos, int row, NotificationStatus status,
            Server server) {
        rowStatuses.set(row, status.ordinal());
        ack(beganNanos, sentNanos, sessionStart, nanos, rowIds.get(row), status, server, WriteKind.UPDATE);
    }

    private void ack(long beganNanos, long sentNanos, long sessionStart, long nanos, long id, NotificationStatus status,
            Server server, WriteKind kind) {
        ackBeganNanos.add(beganNanos);
        ackSentNanos.add(sentNanos);
        ackSessionStartMillis.add(sessionStart);
        ackNanos.add(nanos);
        ackIds.add(id);
        ackStatuses.add(status.ordinal());
        ackServers.add(server.ordinal());
        ackKinds.add(kind.ordinal());
    }

    /** The time of the first acknowledgement by {@code server}, or -1. */
    long firstAckBy(Server server) {
        for (int i = 0; i < ackServers.size(); i++) {
            if (ackServers.get(i) == server.ordinal()) {
                return ackNanos.get(i);
            }
        }
        return -1;
    }

    void failed(long beganNanos, long nanos, FailureKind kind, int stateIndex) {
        failureBeganNanos.add(beganNanos);
        failureNanos.add(nanos);
        failureKinds.add(kind.ordinal());
        failureStates.add(stateIndex);
    }

    void inDoubt(int row, NotificationStatus status) {
        rowDoubtStatuses.set(row, status.ordinal());
    }
}
