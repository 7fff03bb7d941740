package dev.cutover.cutover.migration;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a migration will run, fixed when it starts and recorded with its start, so a restarted saga sends the same
 * commands.
 *
 * @param parallelism how many tables to copy and post-data statements to run at once; 0 leaves it to each participant
 * @param dns         the record whose TTL is lowered last; empty when no DNS plan is configured for the database
 * @param dryRun      only the preflight runs, and the migration ends with what it would move: nothing is changed
 * @param verification how {@code VerifyData} compares the data; empty leaves it to the replicator's setting
 */
public record MigrationPlan(int parallelism, Optional<DnsTtl> dns, boolean dryRun,
        Optional<DataVerification> verification) {

    public MigrationPlan {
        if (parallelism < 0) {
            throw new IllegalArgumentException("parallelism must not be negative, was " + parallelism);
        }
        Objects.requireNonNull(dns, "dns must not be null");
        if (dryRun && dns.isPresent()) {
            throw new IllegalArgumentException("a dry run lowers no TTL, so its plan names no DNS record");
        }
        Objects.requireNonNull(verification, "verification must not be null");
    }

    /** A plan that leaves the verification to the replicator's setting. */
    public MigrationPlan(int parallelism, Optional<DnsTtl> dns, boolean dryRun) {
        this(parallelism, dns, dryRun, Optional.empty());
    }

    /** A real migration's plan. */
    public MigrationPlan(int parallelism, Optional<DnsTtl> dns) {
        this(parallelism, dns, false);
    }

    /** Every step this migration runs, in order: a dry run only checks; without a DNS plan there is no TTL to lower. */
    public List<MigrationStep> steps() {
        if (dryRun) {
            return List.of(MigrationStep.PREFLIGHT);
        }
        return Arrays.stream(MigrationStep.values())
                .filter(step -> step != MigrationStep.LOWER_DNS_TTL || dns.isPresent())
                .toList();
    }

    /** The step after {@code step}, or empty when {@code step} is the last one and the target is ready. */
    public Optional<MigrationStep> stepAfter(MigrationStep step) {
        List<MigrationStep> steps = steps();
        int next = steps.indexOf(step) + 1;
        return next < steps.size() ? Optional.of(steps.get(next)) : Optional.empty();
    }
}
