package dev.cutover.schema.roles;

import java.util.List;
import java.util.Map;

/**
 * What the source says about roles: which ones the schemas in scope name, and how every role is defined as far
 * as creating it elsewhere needs.
 *
 * @param named       each role the schemas name, with one use of it for messages ("owns table public.orders")
 * @param roles       every role of the source server, by name
 * @param memberships every membership of the source server
 */
public record SourceRoles(Map<String, String> named, Map<String, Role> roles, List<Membership> memberships) {

    public SourceRoles {
        named = Map.copyOf(named);
        roles = Map.copyOf(roles);
        memberships = List.copyOf(memberships);
    }

    /**
     * @param name    the role's name
     * @param quoted  its name as SQL takes it ({@code quote_ident})
     * @param inherit whether it uses the privileges of the roles it is a member of without SET ROLE
     */
    public record Role(String name, String quoted, boolean inherit) {
    }

    /**
     * {@code GRANT role TO member}.
     *
     * @param role        the role granted
     * @param member      the role it is granted to
     * @param adminOption whether the member may grant it further
     */
    public record Membership(String role, String member, boolean adminOption) {
    }
}
