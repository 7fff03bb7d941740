package dev.cutover.schema.roles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MissingRolesUnitTest {

    private static final Map<String, SourceRoles.Role> ROLES = Map.of(
            "reader", new SourceRoles.Role("reader", "reader", true),
            "base", new SourceRoles.Role("base", "base", false),
            "Ops Team", new SourceRoles.Role("Ops Team", "\"Ops Team\"", true),
            "app", new SourceRoles.Role("app", "app", true),
            "postgres", new SourceRoles.Role("postgres", "postgres", true));

    private static final List<SourceRoles.Membership> MEMBERSHIPS = List.of(
            new SourceRoles.Membership("base", "reader", false),
            new SourceRoles.Membership("reader", "app", false),
            new SourceRoles.Membership("reader", "Ops Team", true));

    @Test
    void rolesTheTargetHasAreNotMissing() {
        SourceRoles source = new SourceRoles(Map.of("postgres", "owns table public.t"), ROLES, MEMBERSHIPS);

        assertThat(MissingRoles.of(source, Set.of("postgres"), Map.of()).isEmpty()).isTrue();
    }

    @Test
    void aRoleComesWithTheRolesItIsAMemberOfAndItsGrantsToRolesTheTargetHas() {
        SourceRoles source = new SourceRoles(Map.of("reader", "has privileges on table public.t"), ROLES, MEMBERSHIPS);

        MissingRoles missing = MissingRoles.of(source, Set.of("postgres", "app"), Map.of());

        assertThat(missing.roles()).containsExactly("base", "reader");
        assertThat(missing.describe()).isEqualTo(
                "base (granted to reader on the source), reader (has privileges on table public.t)");
        assertThat(missing.statements()).containsExactly(
                "CREATE ROLE base NOLOGIN NOINHERIT;",
                "CREATE ROLE reader NOLOGIN;",
                "GRANT base TO reader;",
                "GRANT reader TO app;");
    }

    @Test
    void namesAreQuotedAsTheSourcePrintsThemAndTheAdminOptionIsKept() {
        SourceRoles source = new SourceRoles(Map.of("Ops Team", "owns schema ops", "reader", "owns table ops.t"),
                ROLES, MEMBERSHIPS);

        MissingRoles missing = MissingRoles.of(source, Set.of("postgres", "base"), Map.of());

        assertThat(missing.sql()).isEqualTo(String.join("\n",
                "CREATE ROLE \"Ops Team\" NOLOGIN;",
                "CREATE ROLE reader NOLOGIN;",
                "GRANT base TO reader;",
                "GRANT reader TO \"Ops Team\" WITH ADMIN OPTION;"));
    }

    @Test
    void applicationRolesAskedForAreCreatedTooButNotRolesTheSourceLacks() {
        SourceRoles source = new SourceRoles(Map.of(), ROLES, List.of());

        MissingRoles missing = MissingRoles.of(source, Set.of(), Map.of("app", "an application role", "ghost", "typo"));

        assertThat(missing.roles()).containsExactly("app");
    }
}
