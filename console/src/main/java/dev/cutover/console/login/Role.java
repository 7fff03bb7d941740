package dev.cutover.console.login;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a console user may do: a viewer sees everything, an operator may also start, abort and fall back. */
public enum Role {
    VIEWER,
    OPERATOR;

    /** As written in the users file and in Spring's {@code ROLE_} authorities. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Role> of(String word) {
        return Arrays.stream(values()).filter(role -> role.word().equals(word)).findFirst();
    }
}
