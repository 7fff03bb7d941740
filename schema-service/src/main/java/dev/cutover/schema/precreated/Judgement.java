package dev.cutover.schema.precreated;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.cutover.schema.verify.Catalogs;
import dev.cutover.schema.verify.Difference;
import dev.cutover.schema.verify.SchemaComparison;
import dev.cutover.schema.verify.SchemaObject;

/**
 * How a target whose schema was created beforehand stands against the source's, by VerifySchema's own comparison
 * ({@link SchemaComparison}) restricted to what pre-data would have created. A post-data object the target lacks is
 * no difference (post-data builds it after the load); one it has must be the source's, as VerifySchema at the end
 * compares it too.
 *
 * @param differences     what the target must change first, one per object: the columns, checks, indexes and triggers
 *                        of a table (view, composite type) that is missing or extra are that table's difference
 * @param postDataObjects indexes, keys, foreign keys and triggers the target already has: set aside before the load
 * @param withRows        the target's tables that hold rows, qualified
 */
public record Judgement(List<Difference> differences, int postDataObjects, List<String> withRows) {

    private static final int TABLES_NAMED = 10;
    private static final Set<String> RELATIONS = Set.of("TABLE", "VIEW", "TYPE");
    private static final String MISSING = "MISSING_";
    private static final String EXTRA = "EXTRA_";
    private static final String DIFFERS = "_DIFFERS";

    public Judgement {
        differences = List.copyOf(differences);
        withRows = List.copyOf(withRows);
    }

    /** Pure: compares the catalogs, keeps what stops the target from being used as it is. */
    public static Judgement of(Catalogs catalogs, List<String> withRows) {
        List<Difference> blocking = SchemaComparison.compare(catalogs.source(), catalogs.target()).stream()
                .filter(Judgement::blocks)
                .toList();
        List<Difference> relations = blocking.stream()
                .filter(difference -> !difference.kind().endsWith(DIFFERS) && RELATIONS.contains(kindOf(difference)))
                .toList();
        List<Difference> differences = blocking.stream()
                .filter(difference -> relations.stream().noneMatch(relation -> partOf(difference, relation)))
                .toList();
        int postData = (int) catalogs.target().stream()
                .filter(object -> PostData.holds(object.kind(), object.definition()))
                .count();
        return new Judgement(differences, postData, withRows);
    }

    public boolean fit() {
        return differences.isEmpty() && withRows.isEmpty();
    }

    /** What the migration does with a fit target, for the preflight finding and the pre-data event. */
    public String note() {
        return "the target's schema was created beforehand and matches the source's: it is used as it is, nothing of"
                + " the source's pre-data is applied, and its " + postDataObjects + " index(es), key(s), foreign key(s)"
                + " and trigger(s) are set aside for the load (dropped) and built again from the source's definitions"
                + " by post-data";
    }

    /** Why pre-data refuses the target, and what to do. */
    public String refusal() {
        List<String> reasons = new ArrayList<>(differences.stream().map(Judgement::describe).toList());
        if (!withRows.isEmpty()) {
            reasons.add(rows());
        }
        return "the target's schema was created beforehand but cannot be used as it is (" + reasons.size()
                + " problem(s)): " + String.join("; ", reasons) + ". Make the target's objects the source's and empty"
                + " its tables, or drop what the target holds in the schemas to move and let the migration create it;"
                + " then send StartMigration with a new migration id";
    }

    /** The tables that hold rows, named up to a limit. */
    public String rows() {
        List<String> named = withRows.subList(0, Math.min(TABLES_NAMED, withRows.size()));
        String more = withRows.size() > TABLES_NAMED ? " and " + (withRows.size() - TABLES_NAMED) + " more" : "";
        return withRows.size() + " table(s) of the target already hold rows: " + String.join(", ", named) + more
                + "; the load copies into empty tables";
    }

    /** One difference in words, naming the object and what differs. */
    public static String describe(Difference difference) {
        String kind = kindOf(difference).toLowerCase(Locale.ROOT);
        if (difference.kind().startsWith(MISSING)) {
            return "the target has no " + kind + " " + difference.object() + " (the source's: " + difference.source() + ")";
        }
        if (difference.kind().startsWith(EXTRA)) {
            return "the target has " + kind + " " + difference.object() + ", which the source does not have ("
                    + difference.target() + ")";
        }
        return kind + " " + difference.object() + " differs: the target's is '" + difference.target()
                + "', the source's '" + difference.source() + "'";
    }

    /** What to do about one difference. */
    public static String remedy(Difference difference) {
        String kind = kindOf(difference).toLowerCase(Locale.ROOT);
        String first = difference.kind().startsWith(MISSING) ? "create the " + kind + " on the target as the source has it"
                : difference.kind().startsWith(EXTRA) ? "drop the " + kind + " on the target"
                : "change the target's " + kind + " to the source's definition";
        return first + ", or drop what the target holds in the schemas to move and let the migration create it";
    }

    /** The object kind a difference is about: COLUMN for MISSING_COLUMN, EXTRA_COLUMN and COLUMN_DIFFERS. */
    static String kindOf(Difference difference) {
        String kind = difference.kind();
        if (kind.startsWith(MISSING)) {
            return kind.substring(MISSING.length());
        }
        if (kind.startsWith(EXTRA)) {
            return kind.substring(EXTRA.length());
        }
        return kind.endsWith(DIFFERS) ? kind.substring(0, kind.length() - DIFFERS.length()) : kind;
    }

    private static boolean blocks(Difference difference) {
        String kind = kindOf(difference);
        if (difference.kind().startsWith(MISSING)) {
            return !PostData.holds(kind, difference.source());
        }
        // REPLICA IDENTITY USING INDEX comes with its index, in post-data: a table without it yet is not different.
        return !(kind.equals("TABLE") && difference.kind().endsWith(DIFFERS) && difference.target() != null
                && difference.target().equals(difference.source().replace("replica identity i", "replica identity d")));
    }

    /** Whether a difference is about a column, check, index or trigger of a relation that is missing or extra itself. */
    private static boolean partOf(Difference difference, Difference relation) {
        if (difference == relation) {
            return false;
        }
        String name = relation.object();
        if (kindOf(difference).equals("INDEX")) {
            String definition = difference.source() != null ? difference.source() : difference.target();
            return definition != null && (definition.contains(" ON " + name + " USING ")
                    || definition.contains(" ON ONLY " + name + " USING "));
        }
        return difference.object().startsWith(name + ".");
    }
}
