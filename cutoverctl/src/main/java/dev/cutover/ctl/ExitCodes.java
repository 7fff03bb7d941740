package dev.cutover.ctl;

/** What the tool exits with, so that scripts can branch without reading its output. */
final class ExitCodes {

    /** Done; for {@code watch}, the cutover completed or the dry run planned it. */
    static final int OK = 0;
    /** The cutover rolled back or was rejected, or the request makes no sense for the cutover's state. */
    static final int FAILED = 1;
    /** The command line was wrong; nothing was done. */
    static final int USAGE = 2;
    /** No message of that cutover exists, or {@code watch --timeout} ran out before the cutover ended. */
    static final int NOT_FOUND_OR_UNFINISHED = 3;
    /** Kafka could not be reached or refused the request. */
    static final int KAFKA = 4;
    /** Stopped by Ctrl-C while watching (128 + SIGINT, as shells report it). */
    static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
