package dev.cutover.schema.roles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cutover.schema.pgtools.Catalog;

/** Reads which roles the schemas name, and the roles of a server. */
public final class RoleReader {

    /**
     * Every role that pre-data names for the objects of the schemas ({@code ?}, text[]): owners (pg_dump writes
     * {@code ALTER ... OWNER TO}), grantees and grantors of privileges ({@code GRANT}, and {@code SET SESSION
     * AUTHORIZATION} for a grantor other than the owner), default privileges and the roles of policies. Objects
     * of extensions are the extension's and are not dumped. One use per role, for the message, ownership first.
     */
    private static final String NAMED = """
            WITH s AS (SELECT oid, nspname, nspowner, nspacl FROM pg_catalog.pg_namespace WHERE nspname = ANY (?)),
            member AS (SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e'),
            rel AS (SELECT c.oid, c.relowner, c.relacl, format('%I.%I', s.nspname, c.relname) AS name,
                           CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                                          WHEN 'f' THEN 'foreign table' ELSE 'table' END AS kind
                      FROM pg_catalog.pg_class c JOIN s ON s.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f')
                       AND c.oid NOT IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_class'::regclass)),
            fn AS (SELECT p.oid, p.proowner, p.proacl, format('%I.%I', s.nspname, p.proname) AS name
                     FROM pg_catalog.pg_proc p JOIN s ON s.oid = p.pronamespace
                    WHERE p.oid NOT IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_proc'::regclass)),
            ty AS (SELECT t.oid, t.typowner, t.typacl, format('%I.%I', s.nspname, t.typname) AS name
                     FROM pg_catalog.pg_type t JOIN s ON s.oid = t.typnamespace
                    WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r') AND t.typelem = 0 AND (t.typrelid = 0
                          OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')
                      AND t.oid NOT IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_type'::regclass)),
            named(role, use) AS (
                SELECT nspowner, 'owns schema ' || quote_ident(nspname) FROM s
                UNION ALL SELECT a.grantee, 'has privileges on schema ' || quote_ident(nspname) FROM s, aclexplode(nspacl) a
                UNION ALL SELECT a.grantor, 'granted privileges on schema ' || quote_ident(nspname) FROM s, aclexplode(nspacl) a
                UNION ALL SELECT relowner, 'owns ' || kind || ' ' || name FROM rel
                UNION ALL SELECT a.grantee, 'has privileges on ' || kind || ' ' || name FROM rel, aclexplode(relacl) a
                UNION ALL SELECT a.grantor, 'granted privileges on ' || kind || ' ' || name FROM rel, aclexplode(relacl) a
                UNION ALL SELECT a.grantee, 'has privileges on column ' || name || '.' || quote_ident(t.attname)
                            FROM rel JOIN pg_catalog.pg_attribute t ON t.attrelid = rel.oid, aclexplode(t.attacl) a
                UNION ALL SELECT a.grantor, 'granted privileges on column ' || name || '.' || quote_ident(t.attname)
                            FROM rel JOIN pg_catalog.pg_attribute t ON t.attrelid = rel.oid, aclexplode(t.attacl) a
                UNION ALL SELECT proowner, 'owns function ' || name FROM fn
                UNION ALL SELECT a.grantee, 'has privileges on function ' || name FROM fn, aclexplode(proacl) a
                UNION ALL SELECT a.grantor, 'granted privileges on function ' || name FROM fn, aclexplode(proacl) a
                UNION ALL SELECT typowner, 'owns type ' || name FROM ty
                UNION ALL SELECT a.grantee, 'has privileges on type ' || name FROM ty, aclexplode(typacl) a
                UNION ALL SELECT a.grantor, 'granted privileges on type ' || name FROM ty, aclexplode(typacl) a
                UNION ALL SELECT d.defaclrole, 'sets default privileges' || coalesce(' in schema ' || quote_ident(s.nspname), '')
                            FROM pg_catalog.pg_default_acl d LEFT JOIN s ON s.oid = d.defaclnamespace
                           WHERE d.defaclnamespace = 0 OR s.oid IS NOT NULL
                UNION ALL SELECT a.grantee, 'gets default privileges' || coalesce(' in schema ' || quote_ident(s.nspname), '')
                            FROM pg_catalog.pg_default_acl d LEFT JOIN s ON s.oid = d.defaclnamespace, aclexplode(d.defaclacl) a
                           WHERE d.defaclnamespace = 0 OR s.oid IS NOT NULL
                UNION ALL SELECT r.role, 'is named by policy ' || quote_ident(p.polname) || ' on ' || rel.name
                            FROM pg_catalog.pg_policy p JOIN rel ON rel.oid = p.polrelid, unnest(p.polroles) r(role)
                UNION ALL SELECT o.owner, 'owns ' || o.kind || ' ' || o.name FROM (
                          SELECT oprowner, 'operator', format('%I.%s', s.nspname, oprname), 'pg_catalog.pg_operator'::regclass::oid, o.oid
                            FROM pg_catalog.pg_operator o JOIN s ON s.oid = o.oprnamespace
                          UNION ALL SELECT collowner, 'collation', format('%I.%I', s.nspname, collname), 'pg_catalog.pg_collation'::regclass::oid, o.oid
                            FROM pg_catalog.pg_collation o JOIN s ON s.oid = o.collnamespace
                          UNION ALL SELECT conowner, 'conversion', format('%I.%I', s.nspname, conname), 'pg_catalog.pg_conversion'::regclass::oid, o.oid
                            FROM pg_catalog.pg_conversion o JOIN s ON s.oid = o.connamespace
                          UNION ALL SELECT opfowner, 'operator family', format('%I.%I', s.nspname, opfname), 'pg_catalog.pg_opfamily'::regclass::oid, o.oid
                            FROM pg_catalog.pg_opfamily o JOIN s ON s.oid = o.opfnamespace
                          UNION ALL SELECT opcowner, 'operator class', format('%I.%I', s.nspname, opcname), 'pg_catalog.pg_opclass'::regclass::oid, o.oid
                            FROM pg_catalog.pg_opclass o JOIN s ON s.oid = o.opcnamespace
                          UNION ALL SELECT cfgowner, 'text search configuration', format('%I.%I', s.nspname, cfgname), 'pg_catalog.pg_ts_config'::regclass::oid, o.oid
                            FROM pg_catalog.pg_ts_config o JOIN s ON s.oid = o.cfgnamespace
                          UNION ALL SELECT dictowner, 'text search dictionary', format('%I.%I', s.nspname, dictname), 'pg_catalog.pg_ts_dict'::regclass::oid, o.oid
                            FROM pg_catalog.pg_ts_dict o JOIN s ON s.oid = o.dictnamespace
                          UNION ALL SELECT stxowner, 'statistics', format('%I.%I', s.nspname, stxname), 'pg_catalog.pg_statistic_ext'::regclass::oid, o.oid
                            FROM pg_catalog.pg_statistic_ext o JOIN s ON s.oid = o.stxnamespace
                      ) o(owner, kind, name, catalog, oid)
                 WHERE (o.catalog, o.oid) NOT IN (SELECT classid, objid FROM member))
            SELECT r.rolname, (array_agg(n.use ORDER BY n.use NOT LIKE 'owns %', n.use))[1] FROM named n JOIN pg_catalog.pg_roles r ON r.oid = n.role
             GROUP BY r.rolname ORDER BY 1
            """;

    private static final String ROLES = "SELECT rolname, quote_ident(rolname), rolinherit FROM pg_catalog.pg_roles";

    private static final String MEMBERSHIPS = """
            SELECT r.rolname, m.rolname, a.admin_option FROM pg_catalog.pg_auth_members a
              JOIN pg_catalog.pg_roles r ON r.oid = a.roleid JOIN pg_catalog.pg_roles m ON m.oid = a.member
            """;

    private RoleReader() {
    }

    /** What the source says about the roles the schemas name. */
    public static SourceRoles source(Connection source, List<String> schemas) throws SQLException {
        Map<String, String> named = new HashMap<>();
        try (PreparedStatement statement = source.prepareStatement(NAMED)) {
            statement.setArray(1, Catalog.textArray(source, schemas));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    named.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        Map<String, SourceRoles.Role> roles = new HashMap<>();
        try (ResultSet rows = source.createStatement().executeQuery(ROLES)) {
            while (rows.next()) {
                roles.put(rows.getString(1), new SourceRoles.Role(rows.getString(1), rows.getString(2), rows.getBoolean(3)));
            }
        }
        List<SourceRoles.Membership> memberships = new ArrayList<>();
        try (ResultSet rows = source.createStatement().executeQuery(MEMBERSHIPS)) {
            while (rows.next()) {
                memberships.add(new SourceRoles.Membership(rows.getString(1), rows.getString(2), rows.getBoolean(3)));
            }
        }
        return new SourceRoles(named, roles, memberships);
    }

    /** Every role of a server, by name. */
    public static Set<String> names(Connection connection) throws SQLException {
        return Catalog.strings(connection, "SELECT rolname FROM pg_catalog.pg_roles");
    }
}
