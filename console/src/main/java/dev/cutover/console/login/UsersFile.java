package dev.cutover.console.login;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The console's users, one per line: {@code name:{bcrypt}hash:roles}, roles comma separated ({@code viewer},
 * {@code operator}); {@code #} starts a comment. The {@code {bcrypt}} prefix may be left out, so a line of
 * {@code htpasswd -nB name} with {@code :operator} added is one. Read once at start-up; a line it cannot use stops the
 * console with its number, and never with the hash.
 */
final class UsersFile {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./0-9A-Za-z]{53}");
    private static final String PREFIX = "{bcrypt}";

    private UsersFile() {
    }

    static List<ConsoleUser> read(Path file) {
        try {
            return parse(file.toString(), Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cutover.console.users-file " + file + ": " + e.getMessage(), e);
        }
    }

    static List<ConsoleUser> parse(String source, List<String> lines) {
        List<ConsoleUser> users = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            ConsoleUser user = user(line, source + " line " + number);
            if (!names.add(user.name())) {
                throw new IllegalArgumentException(source + " line " + number + " names " + user.name()
                        + " a second time: keep one line per user");
            }
            users.add(user);
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(source + " names no user: add a line name:{bcrypt}hash:operator"
                    + " (console/README.md, \"Logging in and acting\"), or leave cutover.console.users-file out for a"
                    + " read-only console");
        }
        return List.copyOf(users);
    }

    private static ConsoleUser user(String line, String where) {
        int first = line.indexOf(':');
        int last = line.lastIndexOf(':');
        if (first < 0 || first == last) {
            throw new IllegalArgumentException(where + " is not name:{bcrypt}hash:roles, e.g."
                    + " alice:{bcrypt}$2y$10$...:operator (console/README.md says how to make the hash)");
        }
        String name = line.substring(0, first);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": the name '" + name + "' must be 1 to 128 letters, digits or"
                    + " . _ @ -: it is written as the operator of every command the user gives");
        }
        String hash = line.substring(first + 1, last);
        if (hash.startsWith(PREFIX)) {
            hash = hash.substring(PREFIX.length());
        }
        if (!BCRYPT.matcher(hash).matches()) {
            throw new IllegalArgumentException(where + " (" + name + "): the password is not a BCrypt hash"
                    + " ({bcrypt}$2y$10$ and 53 more characters): make one with htpasswd -nB " + name
                    + "; a password in clear is never accepted");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String word : line.substring(last + 1).split(",")) {
            roles.add(Role.of(word.strip()).orElseThrow(() -> new IllegalArgumentException(where + " (" + name
                    + "): the role '" + word.strip() + "' is neither viewer nor operator")));
        }
        return new ConsoleUser(name, hash, roles);
    }
}
