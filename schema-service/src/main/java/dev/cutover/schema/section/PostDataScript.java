package dev.cutover.schema.section;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cutover.schema.pgtools.Toc;
import dev.cutover.schema.pgtools.TocEntry;

/**
 * pg_restore's post-data script cut into one piece per archive entry, without parsing SQL.
 *
 * <p>pg_restore writes every entry under a header {@code -- Name: <tag>; Type: <type>; Schema: <schema>;
 * Owner: <owner>}. The script is cut at those headers, and only at a header that names exactly the next
 * entry of the archive's table of contents ({@code pg_restore -l}): text inside a statement that happens
 * to look like a header cannot cut it, and a script that does not match its table of contents is
 * refused rather than run. Between entries pg_restore may switch the session's tablespace or table
 * access method with {@code SET}; each piece carries the settings in force for it, so pieces can run
 * on any connection in any order. psql commands (the restrict and unrestrict lines) stand outside
 * entries and are dropped.
 *
 * @param prelude the statements before the first entry (search_path, timeouts, ...), run once per connection
 * @param items   the entries in archive order
 */
record PostDataScript(List<String> prelude, List<PostDataItem> items) {

    private static final String HEADER = "-- Name: ";
    private static final String DATA_HEADER = "-- Data for Name: ";
    private static final String TABLESPACE = "; Tablespace: ";
    /**
     * The dump's encoding, which the workers' JDBC connections must not take: the driver speaks UTF8 only and refuses
     * a change (a SQL_ASCII or LATIN1 source's dump sets it); the server converts between UTF8 and the database's own.
     */
    private static final String CLIENT_ENCODING = "SET client_encoding = ";
    private static final List<String> SESSION_SETTINGS = List.of("default_tablespace", "default_table_access_method");

    PostDataScript {
        prelude = List.copyOf(prelude);
        items = List.copyOf(items);
    }

    static PostDataScript parse(String script, Toc toc) {
        String[] lines = script.split("\n", -1);
        checkNoImitations(lines, toc);
        List<PostDataItem> items = new ArrayList<>();
        Map<String, String> session = new LinkedHashMap<>();
        List<String> prelude = new ArrayList<>();
        int line = 0;
        List<TocEntry> entries = toc.entries();
        for (int index = 0; index <= entries.size(); index++) {
            TocEntry entry = index < entries.size() ? entries.get(index) : null;
            int start = line;
            Header header = null;
            if (entry != null) {
                while (line < lines.length && (header = headerAt(lines, line, entry).orElse(null)) == null) {
                    line++;
                }
                if (header == null) {
                    throw new IllegalStateException("pg_restore's script has no header for archive entry '"
                            + entry.line() + "': the script does not match the archive's table of contents");
                }
            } else {
                line = lines.length;
            }
            List<String> chunk = List.of(lines).subList(start, line);
            if (index == 0) {
                prelude.addAll(statementsOutsideEntries(chunk, session));
            } else {
                PostDataItem previous = items.removeLast();
                items.add(new PostDataItem(previous.position(), previous.type(), previous.schema(), previous.tag(),
                        previous.session(), bodyOf(chunk, session)));
            }
            if (entry != null) {
                items.add(new PostDataItem(index, entry.type(), entry.schema(), header.tag(),
                        sessionStatements(session), ""));
                line += 3;
            }
        }
        return new PostDataScript(prelude, items);
    }

    private record Header(String tag) {
    }

    /**
     * A header is "--", the name line, "--"; the name line must name this entry exactly. pg_restore adds
     * "; Tablespace: x" after the owner for objects outside the default tablespace.
     */
    private static Optional<Header> headerAt(String[] lines, int line, TocEntry entry) {
        if (!isHeader(lines, line)) {
            return Optional.empty();
        }
        String name = lines[line + 1];
        String prefix = name.startsWith(HEADER) ? HEADER : DATA_HEADER;
        String middle = "; Type: " + entry.type() + "; Schema: " + entry.schema() + "; Owner: ";
        int at = name.indexOf(middle);
        while (at >= 0) {
            String tag = name.substring(prefix.length(), at);
            String rest = name.substring(at + middle.length());
            if (entry.tagAndOwner().equals(tag) && (rest.isEmpty() || rest.startsWith(TABLESPACE))) {
                return Optional.of(new Header(tag));
            }
            if (entry.tagAndOwner().startsWith(tag + " ")) {
                String owner = entry.tagAndOwner().substring(tag.length() + 1);
                if (rest.equals(owner) || rest.startsWith(owner + TABLESPACE)) {
                    return Optional.of(new Header(tag));
                }
            }
            at = name.indexOf(middle, at + 1);
        }
        return Optional.empty();
    }

    private static boolean isHeader(String[] lines, int line) {
        return line + 2 < lines.length && lines[line].equals("--") && lines[line + 2].equals("--")
                && (lines[line + 1].startsWith(HEADER) || lines[line + 1].startsWith(DATA_HEADER))
                && lines[line + 1].contains("; Type: ");
    }

    /**
     * Text inside a statement (a comment's string, say) could imitate a header; then the cut could fall
     * inside that statement. Counting every header-shaped line against the table of contents rules it out.
     */
    private static void checkNoImitations(String[] lines, Toc toc) {
        int headers = 0;
        for (int line = 0; line < lines.length; line++) {
            if (isHeader(lines, line)) {
                headers++;
            }
        }
        if (headers != toc.size()) {
            throw new IllegalStateException("pg_restore's script holds " + headers + " entry headers for "
                    + toc.size() + " archive entries: some statement contains text shaped like a header");
        }
    }

    /**
     * An entry's text: everything up to the next header, less what pg_restore writes between entries at
     * its end (blank lines, comments, psql commands, session settings for the next entry).
     */
    private static String bodyOf(List<String> chunk, Map<String, String> session) {
        int end = chunk.size();
        while (end > 0 && betweenEntries(chunk.get(end - 1))) {
            end--;
        }
        statementsOutsideEntries(chunk.subList(end, chunk.size()), session);
        return String.join("\n", chunk.subList(0, end)).strip();
    }

    private static boolean betweenEntries(String line) {
        return line.isBlank() || line.startsWith("--") || line.startsWith("\\") || sessionSetting(line).isPresent();
    }

    /** The SQL lines of text outside entries; session settings among them are remembered for what follows. */
    private static List<String> statementsOutsideEntries(List<String> lines, Map<String, String> session) {
        List<String> statements = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("--") || line.startsWith("\\") || line.startsWith(CLIENT_ENCODING)) {
                continue;
            }
            Optional<String> setting = sessionSetting(line);
            if (setting.isPresent()) {
                session.put(setting.get(), line.strip());
            } else {
                statements.add(line.strip());
            }
        }
        return statements;
    }

    private static Optional<String> sessionSetting(String line) {
        return SESSION_SETTINGS.stream().filter(name -> line.startsWith("SET " + name + " = ")).findFirst();
    }

    private static List<String> sessionStatements(Map<String, String> session) {
        return List.copyOf(session.values());
    }
}
