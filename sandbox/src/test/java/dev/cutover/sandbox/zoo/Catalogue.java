package dev.cutover.sandbox.zoo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The structure of a database's user schemas as lines of {@code kind object: definition}, read from the catalogue with
 * queries that run the same on PostgreSQL 11 to 17. It is the schema half of the independent check wherever
 * {@code pg_dump} cannot read both sides (a pg_dump refuses servers newer than itself).
 *
 * <p>Where the catalogue differs between versions for the same object, the line says it the older way, and only
 * there: a procedure's arguments lose the {@code IN} that 14 and later print; a trigger executes a {@code FUNCTION}
 * (11 prints {@code PROCEDURE}); a column's default statistics target is {@code default} (17 stores null, older
 * versions -1); multirange types and the functions made with them (since 14), array types and 17's not-null
 * constraints of domains (a flag of the type before) are left out; an extension is named without its version (each
 * server ships its own); a table owner's privileges lose 17's MAINTAIN; a schema owned by {@code pg_database_owner}
 * (the public schema since 15) is owned by the database's owner, which is what that role stands for; a policy's
 * {@code (CURRENT_USER)::text} (up to 15) and {@code CURRENT_USER} (16 on) are the same.
 */
final class Catalogue {

    private static final String USER_SCHEMA = " %s not in ('pg_catalog', 'information_schema', 'cutover')"
            + " and %<s not like 'pg\\_toast%%' and %<s not like 'pg\\_temp%%'";

    private static final String NOT_EXTENSION_MEMBER = "not exists (select 1 from pg_depend d where d.objid = %s"
            + " and d.classid = '%s'::regclass and d.deptype = 'e')";

    private static final List<String> QUERIES = List.of(
            // Schemas: owner, privileges, comment.
            """
            select 'schema', format('%I', n.nspname), replace(
                   concat_ws(' | ', pg_get_userbyid(n.nspowner), n.nspacl::text, obj_description(n.oid, 'pg_namespace')),
                   'pg_database_owner', (select pg_get_userbyid(datdba) from pg_database where datname = current_database()))
            from pg_namespace n where """ + USER_SCHEMA.formatted("n.nspname"),
            """
            select 'extension', e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
            where e.extname <> 'plpgsql'
            """,
            // Relations: kind, persistence, owner, privileges, row security, replica identity, options, partitioning.
            """
            select 'relation', format('%I.%I', n.nspname, c.relname), concat_ws(' | ', c.relkind, c.relpersistence,
                   pg_get_userbyid(c.relowner), c.relacl::text, 'rls=' || c.relrowsecurity, 'force=' || c.relforcerowsecurity,
                   'identity=' || c.relreplident::text, c.reloptions::text,
                   case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end,
                   case when c.relispartition then pg_get_expr(c.relpartbound, c.oid) end,
                   (select string_agg(format('%I.%I', pn.nspname, p.relname), ', ' order by i.inhseqno)
                    from pg_inherits i join pg_class p on p.oid = i.inhparent join pg_namespace pn on pn.oid = p.relnamespace
                    where i.inhrelid = c.oid),
                   obj_description(c.oid, 'pg_class'))
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f', 'c') and """ + USER_SCHEMA.formatted("n.nspname")
                    + " and " + NOT_EXTENSION_MEMBER.formatted("c.oid", "pg_class"),
            // Columns: position among the live ones, type, nullability, default, identity, collation, storage,
            // statistics target, inheritance, privileges, comment.
            """
            select 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname), concat_ws(' | ',
                   row_number() over (partition by c.oid order by a.attnum), format_type(a.atttypid, a.atttypmod),
                   case when a.attnotnull then 'not null' end, pg_get_expr(d.adbin, d.adrelid),
                   nullif(a.attidentity, ''), case when a.attcollation <> t.typcollation then co.collname end,
                   'storage=' || a.attstorage::text,
                   'statistics=' || coalesce(nullif(a.attstattarget::int, -1)::text, 'default'),
                   'local=' || a.attislocal, 'inherited=' || a.attinhcount, a.attacl::text,
                   col_description(c.oid, a.attnum))
            from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
            join pg_type t on t.oid = a.atttypid left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
            left join pg_collation co on co.oid = a.attcollation
            where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c')
              and """ + USER_SCHEMA.formatted("n.nspname") + " and " + NOT_EXTENSION_MEMBER.formatted("c.oid", "pg_class"),
            // Constraints of tables and domains.
            """
            select 'constraint', format('%I.%I.%I', n.nspname, coalesce(c.relname, t.typname), k.conname),
                   concat_ws(' | ', pg_get_constraintdef(k.oid), 'local=' || k.conislocal, 'inherited=' || k.coninhcount,
                   'valid=' || k.convalidated, obj_description(k.oid, 'pg_constraint'))
            from pg_constraint k join pg_namespace n on n.oid = k.connamespace
            left join pg_class c on c.oid = k.conrelid left join pg_type t on t.oid = k.contypid
            where k.contype <> 'n' and """ + USER_SCHEMA.formatted("n.nspname"),
            // Indexes, whether a constraint's or not, and which one is the replica identity.
            """
            select 'index', format('%I.%I', n.nspname, c.relname),
                   concat_ws(' | ', pg_get_indexdef(c.oid), case when i.indisreplident then 'replica identity' end,
                   case when not i.indisvalid then 'invalid' end, obj_description(c.oid, 'pg_class'))
            from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
            where """ + USER_SCHEMA.formatted("n.nspname") + " and " + NOT_EXTENSION_MEMBER.formatted("i.indrelid", "pg_class"),
            """
            select 'trigger', format('%I.%I.%I', n.nspname, c.relname, g.tgname),
                   concat_ws(' | ', pg_get_triggerdef(g.oid), 'enabled=' || g.tgenabled::text, obj_description(g.oid, 'pg_trigger'))
            from pg_trigger g join pg_class c on c.oid = g.tgrelid join pg_namespace n on n.oid = c.relnamespace
            where not g.tgisinternal and """ + USER_SCHEMA.formatted("n.nspname")
                    // The replicator's record of changed rows on the target runs cutover's own functions: not the schema's.
                    + " and not exists (select 1 from pg_proc f join pg_namespace fn on fn.oid = f.pronamespace"
                    + " where f.oid = g.tgfoid and fn.nspname = 'cutover')",
            """
            select 'view', format('%I.%I', n.nspname, c.relname), pg_get_viewdef(c.oid, true)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('v', 'm') and """ + USER_SCHEMA.formatted("n.nspname"),
            """
            select 'policy', format('%I.%I.%I', p.schemaname, p.tablename, p.policyname),
                   concat_ws(' | ', p.permissive, p.roles::text, p.cmd, p.qual, p.with_check)
            from pg_policies p where """ + USER_SCHEMA.formatted("p.schemaname"),
            // Functions and procedures: kind, arguments, result, language, body, properties, owner, privileges.
            """
            select case p.prokind when 'p' then 'procedure' else 'function' end,
                   format('%I.%I', n.nspname, p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                   concat_ws(' | ', pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), l.lanname,
                   p.provolatile, p.proisstrict, p.prosecdef, p.proconfig::text, p.prosrc, pg_get_userbyid(p.proowner),
                   p.proacl::text, obj_description(p.oid, 'pg_proc'))
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
            where """ + USER_SCHEMA.formatted("n.nspname") + " and " + NOT_EXTENSION_MEMBER.formatted("p.oid", "pg_proc")
                    + " and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid"
                    + " and d.deptype = 'i')",
            // Types of their own: enums with their labels in order, composites, domains, ranges.
            """
            select 'type', format('%I.%I', n.nspname, t.typname), concat_ws(' | ', t.typtype,
                   (select string_agg(quote_literal(e.enumlabel), ', ' order by e.enumsortorder) from pg_enum e
                    where e.enumtypid = t.oid),
                   case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end,
                   case when t.typtype = 'd' and t.typnotnull then 'not null' end, t.typdefault,
                   (select format_type(r.rngsubtype, null) || ' ' || r.rngsubdiff::regproc::text from pg_range r
                    where r.rngtypid = t.oid),
                   pg_get_userbyid(t.typowner), obj_description(t.oid, 'pg_type'))
            from pg_type t join pg_namespace n on n.oid = t.typnamespace left join pg_class c on c.oid = t.typrelid
            where t.typtype in ('e', 'c', 'd', 'r') and (t.typrelid = 0 or c.relkind = 'c')
              and """ + USER_SCHEMA.formatted("n.nspname") + " and " + NOT_EXTENSION_MEMBER.formatted("t.oid", "pg_type"),
            // Sequences' definitions (not their positions: the target's are set at the cutover) and owners.
            """
            select 'sequence', format('%I.%I', n.nspname, c.relname), concat_ws(' | ', format_type(s.seqtypid, null),
                   s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                   (select d.deptype::text || ' ' || format('%I.%I', rn.nspname, r.relname) || '.' || a.attname
                    from pg_depend d join pg_class r on r.oid = d.refobjid join pg_namespace rn on rn.oid = r.relnamespace
                    join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
                    where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')))
            from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace
            where """ + USER_SCHEMA.formatted("n.nspname"),
            """
            select 'collation', format('%I.%I', n.nspname, c.collname), concat_ws(' | ', c.collprovider, c.collcollate,
                   c.collctype, c.collisdeterministic)
            from pg_collation c join pg_namespace n on n.oid = c.collnamespace where """ + USER_SCHEMA.formatted("n.nspname"),
            """
            select 'text search configuration', format('%I.%I', n.nspname, c.cfgname),
                   (select string_agg(m.maptokentype || '=' || m.mapdict::regdictionary::text, ', '
                                      order by m.maptokentype, m.mapseqno) from pg_ts_config_map m where m.mapcfg = c.oid)
            from pg_ts_config c join pg_namespace n on n.oid = c.cfgnamespace where """ + USER_SCHEMA.formatted("n.nspname"));

    /** 11 has no collisdeterministic; every collation then is. */
    private static final String COLLATION_11 = "c.collisdeterministic";

    private static final Pattern PROCEDURE_IN = Pattern.compile("(^|\\(|, )IN ");
    /** 17 added MAINTAIN ({@code m}) to a table owner's privileges. */
    private static final Pattern OWNER_MAINTAIN = Pattern.compile("=arwdDxtm/");

    private Catalogue() {
    }

    /** Every line, sorted, as {@code kind object: definition}. */
    static List<String> read(Connection connection) throws SQLException {
        int major = connection.getMetaData().getDatabaseMajorVersion();
        TreeMap<String, String> lines = new TreeMap<>();
        try (Statement s = connection.createStatement()) {
            s.execute("set search_path = pg_catalog");
            for (String query : QUERIES) {
                String sql = major < 12 ? query.replace(COLLATION_11, "true") : query;
                try (ResultSet r = s.executeQuery(sql)) {
                    while (r.next()) {
                        String kind = r.getString(1);
                        String definition = normalise(kind, r.getString(3));
                        lines.merge(kind + " " + normalise(kind, r.getString(2)), definition == null ? "" : definition, (a, b) -> a + " || " + b);
                    }
                }
            }
        }
        return lines.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    /**
     * The lines on one side only, each marked with the side it is on. A view's definition is compared as the target
     * prints the source's definition: servers print the same query differently (16 stopped qualifying columns that
     * need no qualifier), so the source's text is made a temporary view on the target and printed there.
     */
    static List<String> compare(Connection source, Connection target) throws SQLException {
        List<String> onSource = new ArrayList<>();
        for (String line : read(source)) {
            onSource.add(line.startsWith("view ") ? printedBy(target, line) : line);
        }
        List<String> onTarget = read(target);
        List<String> differences = new ArrayList<>();
        onSource.stream().filter(line -> !onTarget.contains(line)).forEach(line -> differences.add("catalogue: source only: " + line));
        onTarget.stream().filter(line -> !onSource.contains(line)).forEach(line -> differences.add("catalogue: target only: " + line));
        return differences;
    }

    private static String printedBy(Connection server, String viewLine) throws SQLException {
        int colon = viewLine.indexOf(": ");
        String definition = viewLine.substring(colon + 2);
        try (Statement s = server.createStatement()) {
            s.execute("set search_path = pg_catalog");
            s.execute("create temporary view zoo_printed as " + definition.replaceAll(";\\s*$", ""));
            try (ResultSet r = s.executeQuery("select pg_get_viewdef('pg_temp.zoo_printed'::regclass, true)")) {
                r.next();
                return viewLine.substring(0, colon + 2) + r.getString(1);
            } finally {
                s.execute("drop view pg_temp.zoo_printed");
            }
        } catch (SQLException e) {
            return viewLine + " (the target cannot read this definition: " + e.getMessage() + ")";
        }
    }

    private static String normalise(String kind, String definition) {
        if (definition == null) {
            return null;
        }
        return switch (kind) {
            case "procedure" -> PROCEDURE_IN.matcher(definition).replaceAll("$1");
            case "relation", "column" -> OWNER_MAINTAIN.matcher(definition).replaceAll("=arwdDxt/");
            case "policy" -> definition.replace("(CURRENT_USER)::text", "CURRENT_USER");
            case "trigger" -> definition.replace(" EXECUTE PROCEDURE ", " EXECUTE FUNCTION ");
            default -> definition;
        };
    }
}
