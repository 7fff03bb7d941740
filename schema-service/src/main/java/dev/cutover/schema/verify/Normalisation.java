package dev.cutover.schema.verify;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes definitions printed by different major versions comparable. Each rule removes a difference in
 * how a newer server prints the same object, never a difference in the object:
 * <ul>
 *   <li>all: runs of white space are one space (pretty-printing changes between versions);</li>
 *   <li>triggers: PostgreSQL 11 prints {@code EXECUTE PROCEDURE}, 12 and later {@code EXECUTE FUNCTION};</li>
 *   <li>views: PostgreSQL 16 and later leave out a column's table qualifier where it is not needed
 *       ({@code SELECT id} where 11 printed {@code SELECT c.id}), so qualifiers that are not schema names
 *       are removed on both sides;</li>
 *   <li>procedures: PostgreSQL 14 and later mark every argument of a procedure with its mode in
 *       {@code pg_get_function_identity_arguments}, {@code IN} included ({@code bump_seats(IN acct bigint)} where 11
 *       to 13 print {@code bump_seats(acct bigint)}), so the {@code IN} is removed from function names on both sides
 *       ({@code INOUT}, {@code OUT} and {@code VARIADIC} stay: every version prints them).</li>
 * </ul>
 * What 11, 15 and 17 print was compared for tables, columns (defaults included), check and foreign-key
 * constraints, indexes, views, triggers, functions, procedures, sequences and types: these are the only
 * differences.
 */
final class Normalisation {

    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");
    private static final Pattern QUALIFIER = Pattern.compile(
            "(?<![A-Za-z0-9_$\".])(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)\\.(?=[\"A-Za-z_])");

    /** {@code IN } at the start of an argument: after the opening parenthesis or an argument's comma. */
    private static final Pattern IN_MODE = Pattern.compile("(?<=\\(|, )IN ");

    private Normalisation() {
    }

    /** An object's name as both servers would print it, for matching the source's objects with the target's. */
    static String name(String kind, String name) {
        return kind.equals("FUNCTION") ? IN_MODE.matcher(name).replaceAll("") : name;
    }

    static String normalise(String kind, String definition, Set<String> schemas) {
        if (definition == null) {
            return null;
        }
        String text = WHITE_SPACE.matcher(definition).replaceAll(" ").strip();
        return switch (kind) {
            case "TRIGGER" -> text.replace(" EXECUTE PROCEDURE ", " EXECUTE FUNCTION ");
            case "VIEW" -> withoutTableQualifiers(text, schemas);
            default -> text;
        };
    }

    private static String withoutTableQualifiers(String text, Set<String> schemas) {
        Matcher matcher = QUALIFIER.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String qualifier = unquote(matcher.group(1));
            matcher.appendReplacement(result, Matcher.quoteReplacement(
                    schemas.contains(qualifier) ? matcher.group() : ""));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String unquote(String identifier) {
        return identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"")
                : identifier;
    }
}
