package dev.cutover.replicator;

import java.util.List;
import java.util.Locale;

/**
 * The data sets {@link FullLoadBenchmark} generates on the source, each scaled to about the gigabytes asked for.
 *
 * @param schema  the tables, created first
 * @param fills   the inserts, in stages: each stage's run side by side, and a stage only starts once the one before is
 *                done, so that the foreign keys hold from the start
 * @param indexes the secondary indexes, built after the data
 */
record BenchmarkData(String name, List<String> schema, List<List<String>> fills, List<String> indexes) {

    /** The data set's name on the command line. */
    static BenchmarkData named(String name, double gigabytes) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "shop" -> shop(gigabytes / 2.2);
            case "documents" -> documents(gigabytes / 2.2);
            default -> throw new IllegalArgumentException("no data set " + name + "; the data sets are shop and"
                    + " documents");
        };
    }

    /**
     * About two thirds of the data in eleven narrow tables with bigint keys and a few btree indexes each, the rest in
     * one uuid-keyed table: 26 indexes, 8 foreign keys.
     */
    static BenchmarkData shop(double s) {
        return new BenchmarkData("shop", List.of(
                "CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, created_at timestamptz NOT NULL)",
                "CREATE TABLE products (id bigint PRIMARY KEY, sku text NOT NULL, title text, price numeric(10,2))",
                "CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, total numeric(12,2), status text, created_at timestamptz)",
                "CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders, product_id bigint NOT NULL REFERENCES products, qty int, price numeric(10,2))",
                "CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders, amount numeric(12,2), method text, paid_at timestamptz)",
                "CREATE TABLE sessions (id bigint PRIMARY KEY, account_id bigint NOT NULL, token text, agent text, started_at timestamptz)",
                "CREATE TABLE audit_log (id bigint PRIMARY KEY, actor bigint, action text, detail text, at timestamptz)",
                "CREATE TABLE inventory (id bigint PRIMARY KEY, product_id bigint NOT NULL REFERENCES products, warehouse int, on_hand int, updated_at timestamptz)",
                "CREATE TABLE shipments (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders, carrier text, tracking text, shipped_at timestamptz)",
                "CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL, color text)",
                "CREATE TABLE notes (id bigint PRIMARY KEY, account_id bigint, body jsonb, created_at timestamptz)",
                "CREATE TABLE events (id uuid PRIMARY KEY, account_id bigint NOT NULL, kind text NOT NULL, payload text, amount numeric(12,2), created_at timestamptz NOT NULL)"),
                List.of(
                        List.of(fill("accounts", 1_000_000 * s, "g, 'name ' || g, 'user' || g || '@example.com', now() - g * interval '1 minute'"),
                                fill("products", 100_000 * s, "g, 'SKU-' || g, 'product ' || md5(g::text), (g % 1000) + 0.99")),
                        List.of(fill("orders", 2_000_000 * s, "g, g % " + Math.round(1_000_000 * s) + " + 1, g % 997 + 0.5, (ARRAY['new','paid','shipped'])[g % 3 + 1], now() - g * interval '1 second'")),
                        List.of(fill("order_lines", 4_000_000 * s, "g, g % " + Math.round(2_000_000 * s) + " + 1, g % " + Math.round(100_000 * s) + " + 1, g % 7 + 1, g % 100 + 0.25"),
                                fill("payments", 1_500_000 * s, "g, g % " + Math.round(2_000_000 * s) + " + 1, g % 997 + 0.5, 'card', now()"),
                                fill("sessions", 1_000_000 * s, "g, g % 1000 + 1, md5(g::text) || md5((g + 1)::text), 'Mozilla/5.0 (X11; Linux x86_64) agent ' || g, now()"),
                                fill("audit_log", 1_500_000 * s, "g, g % 1000, 'update', 'changed field ' || md5(g::text) || ' from ' || g || ' to ' || g + 1, now()"),
                                fill("inventory", 500_000 * s, "g, g % " + Math.round(100_000 * s) + " + 1, g % 20, g % 500, now()"),
                                fill("shipments", 1_000_000 * s, "g, g % " + Math.round(2_000_000 * s) + " + 1, 'carrier ' || g % 5, md5(g::text), now()"),
                                fill("tags", 200_000 * s, "g, 'tag ' || g, '#' || left(md5(g::text), 6)"),
                                fill("notes", 300_000 * s, "g, g % 1000, jsonb_build_object('text', repeat(md5(g::text), 3), 'n', g), now()"),
                                fill("events", 5_600_000 * s, "md5(g::text || 'event')::uuid, g % 1000 + 1, 'kind ' || g % 17, repeat(md5(g::text), 3), g % 9999 + 0.01, now() - g * interval '1 second'"))),
                List.of("CREATE INDEX ON accounts (email)", "CREATE INDEX ON orders (account_id)",
                        "CREATE INDEX ON orders (created_at)", "CREATE INDEX ON order_lines (order_id)",
                        "CREATE INDEX ON order_lines (product_id)", "CREATE INDEX ON payments (order_id)",
                        "CREATE INDEX ON sessions (account_id)", "CREATE INDEX ON audit_log (actor, at)",
                        "CREATE INDEX ON inventory (product_id)", "CREATE INDEX ON shipments (order_id)",
                        "CREATE UNIQUE INDEX ON tags (name)", "CREATE INDEX ON notes (account_id)",
                        "CREATE INDEX ON events (account_id, created_at)", "CREATE INDEX ON events (kind)"));
    }

    /**
     * Shaped unlike {@link #shop}: uuid keys everywhere but one table, jsonb in most tables, one table ({@code
     * documents}) holding about two thirds of the bytes in wide rows whose text (2 KB of digits that hardly compress)
     * is moved out of line to TOAST, random bytea attachments, many indexes per table among them partial, expression
     * and GIN ones (jsonb and arrays), a self-referencing foreign key and a composite primary key: 11 tables, 40
     * indexes, 17 foreign keys.
     */
    static BenchmarkData documents(double s) {
        long tenants = Math.round(10_000 * s);
        long users = Math.round(300_000 * s);
        long folders = Math.round(100_000 * s);
        long labels = Math.round(50_000 * s);
        long documents = Math.round(520_000 * s);
        String user = "md5('user' || (g % " + users + " + 1))::uuid";
        String document = "md5('document' || (g % " + documents + " + 1))::uuid";
        return new BenchmarkData("documents", List.of(
                "CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL, plan text NOT NULL, settings jsonb NOT NULL, created_at timestamptz NOT NULL)",
                "CREATE TABLE users (id uuid PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, email text NOT NULL, profile jsonb NOT NULL, active boolean NOT NULL, created_at timestamptz NOT NULL)",
                "CREATE TABLE folders (id uuid PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, parent_id uuid REFERENCES folders, name text NOT NULL)",
                "CREATE TABLE labels (id int PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, name text NOT NULL)",
                "CREATE TABLE documents (id uuid PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, folder_id uuid REFERENCES folders, owner_id uuid NOT NULL REFERENCES users, slug text NOT NULL, title text NOT NULL, status text NOT NULL, tags text[] NOT NULL, body jsonb NOT NULL, content text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, deleted_at timestamptz)",
                "CREATE TABLE revisions (id uuid PRIMARY KEY, document_id uuid NOT NULL REFERENCES documents, number int NOT NULL, author_id uuid NOT NULL REFERENCES users, diff jsonb NOT NULL, created_at timestamptz NOT NULL)",
                "CREATE TABLE comments (id uuid PRIMARY KEY, document_id uuid NOT NULL REFERENCES documents, author_id uuid NOT NULL REFERENCES users, body text NOT NULL, resolved boolean NOT NULL, created_at timestamptz NOT NULL)",
                "CREATE TABLE attachments (id uuid PRIMARY KEY, document_id uuid NOT NULL REFERENCES documents, name text NOT NULL, mime text NOT NULL, content bytea NOT NULL)",
                "CREATE TABLE document_labels (document_id uuid NOT NULL REFERENCES documents, label_id int NOT NULL REFERENCES labels, PRIMARY KEY (document_id, label_id))",
                "CREATE TABLE shares (id uuid PRIMARY KEY, document_id uuid NOT NULL REFERENCES documents, user_id uuid NOT NULL REFERENCES users, permission text NOT NULL, expires_at timestamptz)",
                "CREATE TABLE tenant_usage (tenant_id bigint NOT NULL REFERENCES tenants, day date NOT NULL, documents int NOT NULL, bytes bigint NOT NULL, PRIMARY KEY (tenant_id, day))"),
                List.of(
                        List.of(fill("tenants", tenants, "g, 'tenant ' || g, (ARRAY['free','team','enterprise'])[g % 3 + 1], jsonb_build_object('locale', 'en-GB', 'retention_days', g % 365, 'features', jsonb_build_array('search', 'export', g % 7)), now() - g * interval '1 hour'")),
                        List.of(fill("users", users, "md5('user' || g)::uuid, g % " + tenants + " + 1, 'user' || g || '@example.org', jsonb_build_object('name', 'User ' || g, 'timezone', 'Europe/London', 'roles', jsonb_build_array('reader', CASE WHEN g % 5 = 0 THEN 'editor' END), 'avatar', md5(g::text)), g % 10 <> 0, now() - g * interval '1 minute'"),
                                fill("folders", folders, "md5('folder' || g)::uuid, g % " + tenants + " + 1, CASE WHEN g > 1000 THEN md5('folder' || (g / 10))::uuid END, 'folder ' || g"),
                                fill("labels", labels, "g, g % " + tenants + " + 1, 'label ' || g")),
                        List.of(fill("documents", documents, "md5('document' || g)::uuid, g % " + tenants + " + 1, md5('folder' || (g % " + folders + " + 1))::uuid, " + user + ", 'doc-' || g, 'Document ' || md5(g::text), (ARRAY['draft','published','archived'])[g % 3 + 1], ARRAY['tag' || g % 50, 'tag' || g % 101, 'tag' || g % 997], jsonb_build_object('version', g % 40, 'words', g % 5000, 'links', jsonb_build_array(md5('l' || g), md5('m' || g)), 'meta', jsonb_build_object('lang', 'en', 'source', 'import ' || g % 13)), (SELECT string_agg(md5(g::text || '-' || i), ' ') FROM generate_series(1, 60) i), now() - g * interval '1 minute', now() - g * interval '10 second', CASE WHEN g % 20 = 0 THEN now() END")),
                        List.of(fill("revisions", 1_500_000 * s, "md5('revision' || g)::uuid, " + document + ", g / " + documents + " + 1, " + user + ", jsonb_build_object('op', 'replace', 'path', '/content/' || g % 60, 'from', md5(g::text), 'to', md5((g + 1)::text)), now() - g * interval '1 second'"),
                                fill("comments", 800_000 * s, "md5('comment' || g)::uuid, " + document + ", " + user + ", 'A comment about section ' || g % 60 || ': ' || md5(g::text) || md5((g * 3)::text), g % 4 <> 0, now() - g * interval '1 second'"),
                                fill("attachments", 50_000 * s, "md5('attachment' || g)::uuid, " + document + ", 'file-' || g || '.bin', (ARRAY['image/png','application/pdf','text/csv'])[g % 3 + 1], decode((SELECT string_agg(md5(g::text || 'a' || i), '') FROM generate_series(1, 256) i), 'hex')"),
                                fill("document_labels", 2 * documents, "md5('document' || ((g - 1) / 2 + 1))::uuid, (g * 7) % " + labels + " + 1"),
                                fill("shares", 400_000 * s, "md5('share' || g)::uuid, " + document + ", " + user + ", (ARRAY['read','comment','write'])[g % 3 + 1], CASE WHEN g % 3 = 0 THEN now() + g * interval '1 minute' END"),
                                fill("tenant_usage", tenants * 60, "(g - 1) % " + tenants + " + 1, date '2026-01-01' + ((g - 1) / " + tenants + ")::int, g % 1000, g * 1024"))),
                List.of("CREATE INDEX ON tenants (plan)", "CREATE INDEX ON tenants USING gin (settings)",
                        "CREATE UNIQUE INDEX ON users (tenant_id, email)", "CREATE INDEX ON users USING gin (profile jsonb_path_ops)",
                        "CREATE INDEX ON users (created_at) WHERE active",
                        "CREATE INDEX ON folders (tenant_id)", "CREATE INDEX ON folders (parent_id)",
                        "CREATE UNIQUE INDEX ON labels (tenant_id, name)",
                        "CREATE INDEX ON documents (tenant_id, updated_at DESC)", "CREATE INDEX ON documents (owner_id)",
                        "CREATE INDEX ON documents (folder_id)", "CREATE UNIQUE INDEX ON documents (tenant_id, slug)",
                        "CREATE INDEX ON documents (status) WHERE deleted_at IS NULL",
                        "CREATE INDEX ON documents USING gin (tags)",
                        "CREATE INDEX ON documents USING gin (body jsonb_path_ops)",
                        "CREATE INDEX ON documents (lower(title))",
                        "CREATE INDEX ON documents (created_at) WHERE status = 'draft'",
                        "CREATE UNIQUE INDEX ON revisions (document_id, number)", "CREATE INDEX ON revisions (author_id)",
                        "CREATE INDEX ON revisions (created_at)",
                        "CREATE INDEX ON comments (document_id)", "CREATE INDEX ON comments (author_id)",
                        "CREATE INDEX ON comments (document_id, created_at) WHERE NOT resolved",
                        "CREATE INDEX ON attachments (document_id)", "CREATE INDEX ON attachments (mime)",
                        "CREATE INDEX ON document_labels (label_id)",
                        "CREATE INDEX ON shares (document_id)", "CREATE INDEX ON shares (user_id)",
                        "CREATE INDEX ON shares (expires_at) WHERE expires_at IS NOT NULL"));
    }

    private static String fill(String table, double rows, String select) {
        return "INSERT INTO " + table + " SELECT " + select + " FROM generate_series(1, " + Math.round(rows) + ") g";
    }
}
