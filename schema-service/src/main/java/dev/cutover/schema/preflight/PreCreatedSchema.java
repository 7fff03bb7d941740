package dev.cutover.schema.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.cutover.schema.precreated.Judgement;

/**
 * Preflight's findings about a target whose schema was created beforehand: a warning that it is used as it is when it
 * matches the source's, otherwise one blocker per difference ({@code target_schema}) and one for the tables that hold
 * rows ({@code target_rows}). An empty target gets none. Pure.
 */
final class PreCreatedSchema {

    private PreCreatedSchema() {
    }

    /** @param database the target database's name */
    static List<Finding> findings(Optional<Judgement> judged, String database) {
        if (judged.isEmpty()) {
            return List.of();
        }
        Judgement judgement = judged.get();
        if (judgement.fit()) {
            return List.of(new Finding(Severity.WARNING, "target_schema", database, judgement.note(),
                    "nothing, if the target's schema is meant to be used; otherwise drop what the target holds in the"
                            + " schemas to move and the migration creates it from the source's pre-data"));
        }
        List<Finding> findings = new ArrayList<>();
        judgement.differences().forEach(difference -> findings.add(new Finding(Severity.BLOCKER, "target_schema",
                difference.object(), "the target's schema was created beforehand, and it must match the source's: "
                        + Judgement.describe(difference), Judgement.remedy(difference))));
        if (!judgement.withRows().isEmpty()) {
            findings.add(new Finding(Severity.BLOCKER, "target_rows", String.join(", ", judgement.withRows()),
                    judgement.rows(), "empty those tables on the target (TRUNCATE), or point cutover.databases.<name>"
                            + ".target at a database without rows"));
        }
        return findings;
    }
}
