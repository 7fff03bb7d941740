package dev.cutover.replicator.verify;

/** Which key ranges a verification compares. */
public sealed interface VerificationScope {

    VerifyMode mode();

    /** Every range of every table: what a verification does unless a sample is asked for. */
    record Full() implements VerificationScope {

        @Override
        public VerifyMode mode() {
            return VerifyMode.FULL;
        }
    }

    /**
     * A fraction of each table's ranges (at least one), picked by {@code seed} so that a verification can be repeated,
     * plus every range holding a row changed on the target since streaming began ({@link ChangeRecord}); a table whose
     * changes were not recorded is compared whole.
     *
     * @param fraction of each table's ranges, above 0 and at most 1
     * @param seed     picks the ranges, and the blocks the range bounds are sampled from
     */
    record Sampled(double fraction, long seed) implements VerificationScope {

        public Sampled {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("a sampled verification needs a fraction above 0 and at most 1, was "
                        + fraction);
            }
        }

        @Override
        public VerifyMode mode() {
            return VerifyMode.SAMPLED;
        }
    }
}
