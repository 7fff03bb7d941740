package dev.cutover.schema.roles;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The roles a target must have before the source's schema can be applied to it, and the SQL that creates them:
 * each {@code NOLOGIN} and without a password (only the role is needed, not a way to log in as it), with the same
 * memberships as on the source among the roles the target has or gets, so that privileges granted through a role
 * reach the same roles.
 *
 * @param roles      the missing roles, by name; roles they are members of on the source and the target lacks too
 *                   are among them
 * @param uses       for each missing role, one use of it ("owns table public.orders"), or why it is needed
 * @param statements CREATE ROLE and GRANT statements, in an order that runs
 */
public record MissingRoles(List<String> roles, Map<String, String> uses, List<String> statements) {

    public MissingRoles {
        roles = List.copyOf(roles);
        uses = Map.copyOf(uses);
        statements = List.copyOf(statements);
    }

    /**
     * @param source   what the source says about roles
     * @param onTarget every role the target has
     * @param wanted   roles needed besides those the schema names (the application's), with why
     */
    public static MissingRoles of(SourceRoles source, Set<String> onTarget, Map<String, String> wanted) {
        Map<String, String> uses = new LinkedHashMap<>();
        source.named().forEach((role, use) -> missing(role, use, onTarget, source, uses));
        wanted.forEach((role, use) -> missing(role, use, onTarget, source, uses));
        Deque<String> todo = new ArrayDeque<>(uses.keySet());
        while (!todo.isEmpty()) {
            String member = todo.pop();
            for (SourceRoles.Membership membership : source.memberships()) {
                if (membership.member().equals(member) && !onTarget.contains(membership.role())
                        && !uses.containsKey(membership.role())) {
                    uses.put(membership.role(), "granted to " + member + " on the source");
                    todo.push(membership.role());
                }
            }
        }
        Set<String> created = new TreeSet<>(uses.keySet());
        List<String> statements = new ArrayList<>();
        for (String name : created) {
            SourceRoles.Role role = source.roles().get(name);
            statements.add("CREATE ROLE " + role.quoted() + " NOLOGIN" + (role.inherit() ? "" : " NOINHERIT") + ";");
        }
        source.memberships().stream()
                .filter(m -> created.contains(m.role()) || created.contains(m.member()))
                .filter(m -> exists(m.role(), created, onTarget) && exists(m.member(), created, onTarget))
                .sorted((a, b) -> (a.role() + '\0' + a.member()).compareTo(b.role() + '\0' + b.member()))
                .forEach(m -> statements.add("GRANT " + source.roles().get(m.role()).quoted() + " TO "
                        + source.roles().get(m.member()).quoted() + (m.adminOption() ? " WITH ADMIN OPTION" : "") + ";"));
        return new MissingRoles(List.copyOf(created), uses, statements);
    }

    /** No role missing. */
    public static MissingRoles none() {
        return new MissingRoles(List.of(), Map.of(), List.of());
    }

    public boolean isEmpty() {
        return roles.isEmpty();
    }

    /** The statements, one a line, ready to run on the target. */
    public String sql() {
        return String.join("\n", statements);
    }

    /** "billing_reader (owns table public.invoices), auditor (...)", for messages. */
    public String describe() {
        List<String> described = new ArrayList<>();
        roles.forEach(role -> described.add(role + " (" + uses.get(role) + ")"));
        return String.join(", ", described);
    }

    private static void missing(String role, String use, Collection<String> onTarget, SourceRoles source,
            Map<String, String> uses) {
        if (!onTarget.contains(role) && source.roles().containsKey(role)) {
            uses.putIfAbsent(role, use);
        }
    }

    private static boolean exists(String role, Set<String> created, Set<String> onTarget) {
        return created.contains(role) || onTarget.contains(role);
    }
}
