package dev.cutover.schema.section;

/** pg_dump's {@code --schema} and {@code --extension} take patterns; a double-quoted name matches only itself. */
final class DumpPatterns {

    private DumpPatterns() {
    }

    static String exact(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
