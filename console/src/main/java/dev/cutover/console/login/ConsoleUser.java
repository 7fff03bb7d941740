package dev.cutover.console.login;

import java.util.Set;

/**
 * One line of the users file.
 *
 * @param bcryptHash the password's BCrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}); never logged
 */
record ConsoleUser(String name, String bcryptHash, Set<Role> roles) {

    ConsoleUser {
        roles = Set.copyOf(roles);
    }

    @Override
    public String toString() {
        return name + " " + roles;
    }
}
