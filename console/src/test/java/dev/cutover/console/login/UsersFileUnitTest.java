package dev.cutover.console.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class UsersFileUnitTest {

    private static final String HASH = new BCryptPasswordEncoder(4).encode("a passphrase");

    @Test
    void aLineIsANameABcryptHashAndRolesWithOrWithoutThePrefix() {
        var users = UsersFile.parse("users", List.of(
                "# who may log in",
                "",
                "olivia:{bcrypt}" + HASH + ":operator",
                "  victor:" + HASH + ":viewer  ",
                "ops:" + HASH.replace("$2a$", "$2y$") + ":viewer, operator"));

        assertThat(users).extracting(ConsoleUser::name).containsExactly("olivia", "victor", "ops");
        assertThat(users).extracting(ConsoleUser::roles)
                .containsExactly(Set.of(Role.OPERATOR), Set.of(Role.VIEWER), Set.of(Role.VIEWER, Role.OPERATOR));
        assertThat(users.getFirst().bcryptHash()).isEqualTo(HASH);
    }

    @Test
    void aPasswordInClearStopsTheConsoleWithTheLineButNotThePassword() {
        assertThatThrownBy(() -> UsersFile.parse("users", List.of("olivia:{noop}hunter2:operator")))
                .hasMessageContaining("users line 1 (olivia)")
                .hasMessageContaining("htpasswd -nB olivia")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void anUnknownRoleAMissingRoleAndATwiceNamedUserAreRefused() {
        assertThatThrownBy(() -> UsersFile.parse("users", List.of("olivia:" + HASH + ":admin")))
                .hasMessageContaining("'admin' is neither viewer nor operator");
        assertThatThrownBy(() -> UsersFile.parse("users", List.of("olivia:" + HASH)))
                .hasMessageContaining("users line 1 is not name:{bcrypt}hash:roles")
                .hasMessageNotContaining(HASH);
        assertThatThrownBy(() -> UsersFile.parse("users", List.of("olivia:" + HASH + ":viewer",
                "olivia:" + HASH + ":operator")))
                .hasMessageContaining("line 2 names olivia a second time");
    }

    @Test
    void aFileWithoutUsersIsRefused() {
        assertThatThrownBy(() -> UsersFile.parse("users", List.of("# nobody yet")))
                .hasMessageContaining("names no user");
    }

    @Test
    void theNameIsWhatCommandsCarrySoItCannotBeAnything() {
        assertThatThrownBy(() -> UsersFile.parse("users", List.of("olivia smith:" + HASH + ":operator")))
                .hasMessageContaining("the name 'olivia smith'");
    }
}
