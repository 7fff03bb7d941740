package dev.cutover.sandbox.faults;

/**
 * How one case went.
 *
 * @param lostWrites       acknowledged writes not found where the cutover left the data; {@code null} without a report
 * @param writesAfterFence writes the source acknowledged after the fence held; {@code null} without a report
 * @param convergeMs       from the fault to the cutover's terminal event, or for a case that stops to the event that
 *                         names the operator's action; {@code null} if neither came
 * @param deadLetters      messages the services put on their dead-letter topics during the case
 * @param note             why the rehearsal failed, if it did; {@code null} otherwise
 */
public record CaseResult(String name, Outcome expected, Outcome actual, Long lostWrites, Long writesAfterFence,
        Long convergeMs, int deadLetters, String note) {

    /** The outcome expected, nothing lost and nothing written after the fence. */
    public boolean passed() {
        return expected == actual && Long.valueOf(0).equals(lostWrites) && Long.valueOf(0).equals(writesAfterFence);
    }

    String json() {
        return "{\"name\":\"" + name + "\",\"expected\":\"" + expected.json() + "\",\"actual\":\"" + actual.json()
                + "\",\"lostWrites\":" + lostWrites + ",\"writesAfterFence\":" + writesAfterFence + ",\"convergeMs\":"
                + convergeMs + ",\"deadLetters\":" + deadLetters + "}";
    }
}
