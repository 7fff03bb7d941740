package dev.cutover.dns.pgbouncer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PgBouncer ini file's {@code [databases]} entry for one database: read its server, point it elsewhere. Only the
 * entry's {@code host} and {@code port} change; every other line and parameter stays as the operator wrote it.
 */
final class DatabasesFile {

    // name = key=value key='quoted value' ...
    private static final Pattern ENTRY = Pattern.compile("^(\\s*)(\"?)([^=\"\\s]+)\\2(\\s*=\\s*)(.*)$");
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)\\s*=\\s*('(?:[^']|'')*'|\\S+)");
    private static final int DEFAULT_PORT = 5432;

    private DatabasesFile() {
    }

    /** Where the entry points now; empty when the file has no entry for the database. */
    static Optional<ServerAddress> server(Path file, String database) throws IOException {
        for (String line : read(file)) {
            Matcher entry = ENTRY.matcher(line);
            if (entry.matches() && entry.group(3).equals(database)) {
                return Optional.of(serverIn(entry.group(5), file, database));
            }
        }
        return Optional.empty();
    }

    /**
     * Points the entry at {@code server}, replacing the file in one rename so PgBouncer never reads half a file; the
     * new file keeps the old one's permissions and, where we may, its owner (PgBouncer runs as another user).
     */
    static void repoint(Path file, String database, ServerAddress server) throws IOException {
        List<String> lines = new ArrayList<>(read(file));
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            Matcher entry = ENTRY.matcher(lines.get(i));
            if (entry.matches() && entry.group(3).equals(database)) {
                lines.set(i, entry.group(1) + entry.group(2) + entry.group(3) + entry.group(2) + entry.group(4)
                        + repointed(entry.group(5), server));
                found = true;
            }
        }
        if (!found) {
            throw new IOException("no entry for " + database + " in " + file);
        }
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".new");
        try {
            Files.writeString(temporary, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            keepAttributes(file, temporary);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    static String repointed(String connection, ServerAddress server) {
        StringBuilder text = new StringBuilder();
        boolean host = false;
        boolean port = false;
        int end = 0;
        Matcher parameter = PARAMETER.matcher(connection);
        while (parameter.find()) {
            text.append(connection, end, parameter.start());
            switch (parameter.group(1)) {
                case "host" -> {
                    text.append("host=").append(server.host());
                    host = true;
                }
                case "port" -> {
                    text.append("port=").append(server.port());
                    port = true;
                }
                default -> text.append(parameter.group());
            }
            end = parameter.end();
        }
        text.append(connection.substring(end));
        String result = text.toString().strip();
        if (!host) {
            result = "host=" + server.host() + (result.isEmpty() ? "" : " " + result);
        }
        if (!port) {
            result = result + " port=" + server.port();
        }
        return result;
    }

    private static ServerAddress serverIn(String connection, Path file, String database) {
        String host = null;
        int port = DEFAULT_PORT;
        Matcher parameter = PARAMETER.matcher(connection);
        while (parameter.find()) {
            String value = parameter.group(2);
            if (value.startsWith("'")) {
                value = value.substring(1, value.length() - 1).replace("''", "'");
            }
            switch (parameter.group(1)) {
                case "host" -> host = value;
                case "port" -> port = Integer.parseInt(value);
                default -> {
                    // other parameters (dbname, pool_size, ...) are not the switch's business
                }
            }
        }
        if (host == null) {
            throw new IllegalArgumentException("the entry for " + database + " in " + file + " has no host= (a Unix socket):"
                    + " the switch moves it between TCP servers, so give it host= and port=");
        }
        return new ServerAddress(host, port);
    }

    private static List<String> read(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static void keepAttributes(Path original, Path replacement) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(original, PosixFileAttributes.class);
        PosixFileAttributeView view = Files.getFileAttributeView(replacement, PosixFileAttributeView.class);
        view.setPermissions(attributes.permissions());
        try {
            view.setGroup(attributes.group());
            view.setOwner(attributes.owner());
        } catch (IOException notAllowed) {
            // Only root may give a file away; the permissions still let PgBouncer read it if the old ones did.
        }
    }
}
