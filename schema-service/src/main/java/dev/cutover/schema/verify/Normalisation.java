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
 *       are removed on both sides.</li>
 * </ul>
 */
final class Normalisation {

    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");
    private static final Pattern QUALIFIER = Pattern.compile(
            "(?<![A-Za-z0-9_$\".])(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)\\.(?=[\"A-Za-z_])");

    private Normalisation() {
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
