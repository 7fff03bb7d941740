package dev.cutover.replicator.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.replicator.testing.UsedSlots;
import dev.cutover.replicator.verify.DataVerifier;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * Every kind of table a PostgreSQL 11 schema can hold, loaded into PostgreSQL 17: inheritance in any order,
 * declarative partitions, materialized views, unlogged tables, and columns the target generates itself.
 */
@ExtendWith(SharedStackExtension.class)
class TableKindsIntegrationTest {

    /** One worker and no splitting: tables are copied whole, one after the other, largest first. */
    private static final LoadOptions LARGEST_FIRST = new LoadOptions(1, 1L << 40, Duration.ofSeconds(30));

    private static final LoadOptions SPLITTING = new LoadOptions(3, 64 * 1024, Duration.ofSeconds(30));

    private static TestDatabase db;
    private final UsedSlots slots = new UsedSlots();

    @BeforeAll
    static void createDatabase(LocalStack stack) {
        db = TestDatabase.create("table_kinds", stack.source(), stack.target());
    }

    @AfterEach
    void dropSlots() throws SQLException {
        slots.dropAll(db);
    }

    @Test
    void inheritanceChildrenCopiedBeforeTheirParentKeepTheirRows() {
        Map<String, Long> reported = loadFamily("inherit_up", 100, 2000, 800);

        assertFamilyIntact("inherit_up", reported);
    }

    @Test
    void anInheritanceParentCopiedFirstGetsNoneOfItsChildrensRowsAndAChildCopiedLaterLeavesItsOwnChildAlone() {
        Map<String, Long> reported = loadFamily("inherit_down", 2000, 100, 800);

        assertFamilyIntact("inherit_down", reported);
    }

    @Test
    void anInheritanceChildInASchemaThatDoesNotMoveIsNeitherEmptiedOnTheTargetNorPublished() {
        db.onBoth("CREATE SCHEMA moved", "CREATE SCHEMA stays",
                "CREATE TABLE moved.parent (id int PRIMARY KEY, label text)",
                "CREATE TABLE stays.child (PRIMARY KEY (id)) INHERITS (moved.parent)");
        db.onSource("INSERT INTO moved.parent SELECT g, 'parent' FROM generate_series(1, 300) g",
                "INSERT INTO stays.child SELECT g, 'child' FROM generate_series(301, 400) g");
        db.onTarget("INSERT INTO stays.child SELECT g, 'kept' FROM generate_series(1, 5) g");

        new FullLoad(LARGEST_FIRST).run(db.pair(List.of("moved")), slots.names("kinds_moved"), table -> { });

        assertThat(db.countOnTarget("SELECT count(*) FROM ONLY moved.parent")).isEqualTo(300);
        assertThat(db.countOnTarget("SELECT count(*) FROM stays.child WHERE label = 'kept'")).isEqualTo(5);
        assertThat(db.countOnSource("SELECT count(*) FROM pg_publication_tables WHERE pubname = 'cutover_pub_kinds_moved'"
                + " AND schemaname = 'stays'")).as("the child's changes would stream to rows never copied").isZero();
    }

    @Test
    void everyLeafOfRangeHashListAndSubPartitionedTablesIsCopiedOnceAndNoMaterializedViewIsCopiedAsATable() {
        db.onBoth("CREATE SCHEMA parts",
                "CREATE TABLE parts.orders (id int, placed date, amount numeric, PRIMARY KEY (id, placed))"
                        + " PARTITION BY RANGE (placed)",
                "CREATE TABLE parts.orders_2024 PARTITION OF parts.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE parts.orders_2025 PARTITION OF parts.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE parts.orders_other PARTITION OF parts.orders DEFAULT",
                "CREATE TABLE parts.accounts (id int PRIMARY KEY, name text) PARTITION BY HASH (id)",
                "CREATE TABLE parts.accounts_0 PARTITION OF parts.accounts FOR VALUES WITH (MODULUS 3, REMAINDER 0)",
                "CREATE TABLE parts.accounts_1 PARTITION OF parts.accounts FOR VALUES WITH (MODULUS 3, REMAINDER 1)",
                "CREATE TABLE parts.accounts_2 PARTITION OF parts.accounts FOR VALUES WITH (MODULUS 3, REMAINDER 2)",
                "CREATE TABLE parts.events (region text, at date, id int, PRIMARY KEY (region, at, id))"
                        + " PARTITION BY LIST (region)",
                "CREATE TABLE parts.events_eu PARTITION OF parts.events FOR VALUES IN ('eu') PARTITION BY RANGE (at)",
                "CREATE TABLE parts.events_eu_2024 PARTITION OF parts.events_eu FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE parts.events_eu_other PARTITION OF parts.events_eu DEFAULT",
                "CREATE TABLE parts.events_us PARTITION OF parts.events FOR VALUES IN ('us')",
                "CREATE TABLE parts.events_rest PARTITION OF parts.events DEFAULT");
        String view = "CREATE MATERIALIZED VIEW parts.totals AS SELECT placed, sum(amount) AS amount FROM parts.orders GROUP BY 1";
        db.onSource("INSERT INTO parts.orders SELECT g, date '2023-06-01' + g % 1200, g * 1.5 FROM generate_series(1, 4000) g",
                "INSERT INTO parts.accounts SELECT g, repeat('n', 40) || g FROM generate_series(1, 3000) g",
                "INSERT INTO parts.events SELECT (ARRAY['eu', 'us', 'ap'])[g % 3 + 1], date '2023-06-01' + g % 900, g"
                        + " FROM generate_series(1, 4000) g",
                view);
        // pg_dump's pre-data creates a materialized view empty; post-data refreshes it.
        db.onTarget(view + " WITH NO DATA");
        List<String> leaves = List.of("parts.orders_2024", "parts.orders_2025", "parts.orders_other", "parts.accounts_0",
                "parts.accounts_1", "parts.accounts_2", "parts.events_eu_2024", "parts.events_eu_other",
                "parts.events_us", "parts.events_rest");
        List<CopiedTable> reported = Collections.synchronizedList(new ArrayList<>());
        DatabasePair pair = db.pair(List.of("parts"));

        FullLoadResult result = new FullLoad(SPLITTING).run(pair, slots.names("kinds_parts"), reported::add);

        assertThat(reported).extracting(CopiedTable::table).containsExactlyInAnyOrderElementsOf(leaves);
        for (String leaf : leaves) {
            assertThat(db.countOnTarget("SELECT count(*) FROM ONLY " + leaf)).as(leaf)
                    .isEqualTo(db.countOnSource("SELECT count(*) FROM ONLY " + leaf)).isPositive();
        }
        for (String root : List.of("parts.orders", "parts.accounts", "parts.events")) {
            assertThat(db.countOnTarget("SELECT count(*) FROM " + root)).as(root).isEqualTo(root.equals("parts.accounts")
                    ? 3000 : 4000);
        }
        assertThat(result.rows()).isEqualTo(11000);
        assertThat(db.textOnTarget("SELECT ispopulated::text FROM pg_matviews WHERE matviewname = 'totals'"))
                .as("left for post-data to refresh").isEqualTo("false");
        assertThat(new DataVerifier(500).verify(pair).mismatches()).isEmpty();
    }

    @Test
    void aColumnTheTargetGeneratesIsLeftOutOfTheCopyAndComputedThere() {
        db.onSource("CREATE SCHEMA gen", "CREATE TABLE gen.lines (id int PRIMARY KEY, price numeric, total numeric, qty int)",
                "INSERT INTO gen.lines SELECT g, g * 0.5, g * 0.5 * g, g FROM generate_series(1, 500) g");
        db.onTarget("CREATE SCHEMA gen", "CREATE TABLE gen.lines (id int PRIMARY KEY, price numeric,"
                + " total numeric GENERATED ALWAYS AS (price * qty) STORED, qty int)");
        DatabasePair pair = db.pair(List.of("gen"));

        new FullLoad(SPLITTING).run(pair, slots.names("kinds_gen"), table -> { });

        assertThat(db.textOnTarget("SELECT sum(total)::text FROM gen.lines"))
                .isEqualTo(db.textOnSource("SELECT sum(total)::text FROM gen.lines"));
        assertThat(new DataVerifier(100).verify(pair).mismatches()).isEmpty();
    }

    @Test
    void anUnloggedTableIsRefusedByNameBecauseLogicalReplicationCannotCarryItsChanges() {
        db.onBoth("CREATE SCHEMA scratch", "CREATE TABLE scratch.kept (id int PRIMARY KEY)",
                "CREATE UNLOGGED TABLE scratch.cache (key text PRIMARY KEY, value text)");
        db.onSource("INSERT INTO scratch.cache VALUES ('a', 'b')");

        assertThatThrownBy(() -> new FullLoad(SPLITTING).run(db.pair(List.of("scratch")), slots.names("kinds_scratch"),
                table -> { }))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("scratch.cache")
                .hasMessageContaining("ALTER TABLE scratch.cache SET LOGGED")
                .hasMessageNotContaining("scratch.kept");
        assertThat(db.countOnSource("SELECT count(*) FROM pg_publication WHERE pubname = 'cutover_pub_kinds_scratch'"))
                .isZero();
    }

    /**
     * A parent, its child and the child's child, on both servers, loaded one table at a time in the order of
     * their sizes (the rows given). Returns the rows reported per table.
     */
    private Map<String, Long> loadFamily(String schema, int parentRows, int childRows, int grandchildRows) {
        db.onBoth("CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".parent (id int PRIMARY KEY, label text)",
                "CREATE TABLE " + schema + ".child (extra int, PRIMARY KEY (id)) INHERITS (" + schema + ".parent)",
                "CREATE TABLE " + schema + ".grandchild (more text, PRIMARY KEY (id)) INHERITS (" + schema + ".child)");
        int children = parentRows + childRows;
        db.onSource("INSERT INTO " + schema + ".parent SELECT g, repeat('p', 100) FROM generate_series(1, "
                        + parentRows + ") g",
                "INSERT INTO " + schema + ".child SELECT g, repeat('c', 100), g FROM generate_series("
                        + (parentRows + 1) + ", " + children + ") g",
                "INSERT INTO " + schema + ".grandchild SELECT g, repeat('g', 100), g, 'more' FROM generate_series("
                        + (children + 1) + ", " + (children + grandchildRows) + ") g");
        List<CopiedTable> reported = Collections.synchronizedList(new ArrayList<>());

        new FullLoad(LARGEST_FIRST).run(db.pair(List.of(schema)), slots.names("kinds_" + schema), reported::add);

        return reported.stream().collect(Collectors.toMap(CopiedTable::table, CopiedTable::rows));
    }

    private static void assertFamilyIntact(String schema, Map<String, Long> reported) {
        for (String table : List.of("parent", "child", "grandchild")) {
            String name = schema + "." + table;
            long onSource = db.countOnSource("SELECT count(*) FROM ONLY " + name);
            assertThat(db.countOnTarget("SELECT count(*) FROM ONLY " + name)).as(name + " on the target")
                    .isEqualTo(onSource).isPositive();
            assertThat(reported).containsEntry(name, onSource);
        }
        assertThat(db.countOnTarget("SELECT count(*) FROM " + schema + ".parent"))
                .isEqualTo(db.countOnSource("SELECT count(*) FROM " + schema + ".parent"));
        assertThat(new DataVerifier(500).verify(db.pair(List.of(schema))).mismatches()).isEmpty();
    }
}
