package dev.cutover.sandbox.report;

/** How the cutover ended, as the report and its JSON name it. */
public enum CutoverResult {
    /** The target serves: acknowledged writes must all be on the target. */
    COMPLETED("completed"),
    /** The source serves again: acknowledged writes must all be on the source. */
    ROLLED_BACK("rolled_back"),
    /** Neither outcome was reached: the writes are checked on the server that acknowledged the last one. */
    FAILED("failed");

    private final String json;

    CutoverResult(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
