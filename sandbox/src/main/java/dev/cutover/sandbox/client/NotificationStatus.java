package dev.cutover.sandbox.client;

/** The values the client writes to {@code notifications.status}. */
public enum NotificationStatus {
    CREATED("created"),
    SENDING("sending"),
    DELIVERED("delivered"),
    TEMPORARY_FAILURE("temporary-failure"),
    PERMANENT_FAILURE("permanent-failure");

    private static final NotificationStatus[] ALL = values();

    private final String value;

    NotificationStatus(String value) {
        this.value = value;
    }

    /** The text stored in the column. */
    public String value() {
        return value;
    }

    /**
     * The status an update moves a row to: always a different one, so that an update lost on the way to the target
     * leaves a visible difference rather than the same value by chance.
     */
    NotificationStatus next() {
        int following = ordinal() % (ALL.length - 1) + 1;
        return ALL[following];
    }

    static NotificationStatus ofOrdinal(int ordinal) {
        return ALL[ordinal];
    }
}
