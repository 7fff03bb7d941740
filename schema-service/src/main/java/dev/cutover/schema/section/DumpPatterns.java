package dev.cutover.schema.section;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.SchemaScope;

/** pg_dump's {@code --schema}, {@code --exclude-schema} and {@code --extension} take patterns; a double-quoted name matches only itself. */
final class DumpPatterns {

    private DumpPatterns() {
    }

    static String exact(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * The pg_dump options that choose a scope's objects. The whole database is dumped as such, with the excluded
     * schemas and cutover's own left out: {@code --schema} would make pg_dump leave out everything outside the
     * schemas named, extensions included. A list of schemas is dumped with {@code --schema} each, and the
     * extensions named with {@code --extension} (empty for post-data, which holds none).
     *
     * @param schemas    the scope's schemas, as resolved on the source
     * @param extensions the source's extensions
     */
    static List<String> options(SchemaScope scope, List<String> schemas, Collection<String> extensions) {
        List<String> options = new ArrayList<>();
        if (scope.wholeDatabase()) {
            scope.exclude().forEach(schema -> options.add("--exclude-schema=" + exact(schema)));
            options.add("--exclude-schema=" + exact(SchemaScope.CUTOVER_SCHEMA));
            return options;
        }
        if (schemas.isEmpty()) {
            // pg_dump without --schema would dump the whole database, the opposite of what the list asks.
            throw new StepFailure("none of the schemas " + scope.include() + " in cutover.databases.<name>.schemas"
                    + " exists on the source: fix the list, or leave it unset to move the whole database", false);
        }
        schemas.forEach(schema -> options.add("--schema=" + exact(schema)));
        extensions.forEach(extension -> options.add("--extension=" + exact(extension)));
        return options;
    }
}
