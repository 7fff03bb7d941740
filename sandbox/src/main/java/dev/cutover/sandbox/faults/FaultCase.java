package dev.cutover.sandbox.faults;

/**
 * One case of the matrix: a disruption, the step it strikes at, and the outcome expected beforehand.
 *
 * @param name      unique, for the command line and the table
 * @param why       one line: why this outcome is the right one
 */
public record FaultCase(String name, Disruption disruption, Moment moment, Outcome expected, String why) {

    public FaultCase {
        if (expected != Outcome.COMPLETES && expected != Outcome.ROLLS_BACK && expected != Outcome.STOPS) {
            throw new IllegalArgumentException("a case expects completes, rolls_back or stops, not " + expected);
        }
    }

    /** Its name: what a parameterized test shows. */
    @Override
    public String toString() {
        return name;
    }

    static FaultCase of(Disruption disruption, Moment moment, Outcome expected, String why) {
        return new FaultCase(disruption.label() + "-at-" + moment.label(), disruption, moment, expected, why);
    }
}
