package dev.cutover.schema.precreated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cutover.schema.verify.Catalogs;
import dev.cutover.schema.verify.Difference;
import dev.cutover.schema.verify.SchemaObject;

class JudgementUnitTest {

    /** The source's pre-data and post-data as a small shop has them. */
    private static final List<SchemaObject> SOURCE = List.of(
            object("TABLE", "public.orders", "table replica identity d"),
            object("COLUMN", "public.orders.id", "position 1 bigint not null"),
            object("COLUMN", "public.orders.total", "position 2 numeric(12,2)"),
            object("CONSTRAINT", "public.orders.orders_total_check", "CHECK ((total > (0)::numeric))"),
            object("CONSTRAINT", "public.orders.orders_pkey", "PRIMARY KEY (id)"),
            object("INDEX", "public.orders_pkey", "CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)"),
            object("TABLE", "public.lines", "table replica identity i"),
            object("COLUMN", "public.lines.order_id", "position 1 bigint not null"),
            object("CONSTRAINT", "public.lines.lines_order_fk", "FOREIGN KEY (order_id) REFERENCES public.orders(id)"),
            object("TRIGGER", "public.lines.audit", "CREATE TRIGGER audit AFTER INSERT ON public.lines FOR EACH ROW"
                    + " EXECUTE FUNCTION public.log()"),
            object("EXTENSION", "citext", ""));

    private static SchemaObject object(String kind, String name, String definition) {
        return new SchemaObject(kind, kind.equals("EXTENSION") ? "public" : name.substring(0, name.indexOf('.')), name,
                definition);
    }

    private static Judgement judge(List<SchemaObject> target, List<String> withRows) {
        return Judgement.of(new Catalogs(List.of("public"), SOURCE, target), withRows);
    }

    private static List<SchemaObject> preDataOnly() {
        return SOURCE.stream().filter(object -> !PostData.holds(object.kind(), object.definition()))
                .map(object -> object.name().equals("public.lines")
                        ? object("TABLE", "public.lines", "table replica identity d") : object)
                .toList();
    }

    @Test
    void aTargetCreatedFromTheSourcesWholeSchemaIsFitAndItsPostDataIsCounted() {
        Judgement judgement = judge(SOURCE, List.of());

        assertThat(judgement.fit()).isTrue();
        assertThat(judgement.differences()).isEmpty();
        assertThat(judgement.postDataObjects()).isEqualTo(4);
        assertThat(judgement.note()).contains("created beforehand", "4 index(es)");
    }

    @Test
    void aTargetWithThePreDataOnlyIsFitBecausePostDataBuildsWhatItLacks() {
        Judgement judgement = judge(preDataOnly(), List.of());

        assertThat(judgement.fit()).isTrue();
        assertThat(judgement.postDataObjects()).isZero();
    }

    @Test
    void aMissingCheckThatHoldsIsADifferenceButAnUnvalidatedOneIsPostData() {
        List<SchemaObject> target = new ArrayList<>(preDataOnly());
        target.removeIf(object -> object.name().equals("public.orders.orders_total_check"));

        assertThat(judge(target, List.of()).differences()).extracting(Difference::kind, Difference::object)
                .containsExactly(tuple("MISSING_CONSTRAINT", "public.orders.orders_total_check"));
        assertThat(PostData.holds("CONSTRAINT", "CHECK ((total > (0)::numeric)) NOT VALID")).isTrue();
    }

    @Test
    void aChangedColumnAMissingTableAndAnExtraTableAreOneDifferenceEach() {
        List<SchemaObject> target = new ArrayList<>(preDataOnly());
        target.removeIf(object -> object.name().startsWith("public.lines"));
        target.replaceAll(object -> object.name().equals("public.orders.total")
                ? object("COLUMN", "public.orders.total", "position 2 text") : object);
        target.add(object("TABLE", "public.leftover", "table replica identity d"));
        target.add(object("COLUMN", "public.leftover.id", "position 1 integer"));
        target.add(object("INDEX", "public.leftover_idx", "CREATE INDEX leftover_idx ON public.leftover USING btree (id)"));

        Judgement judgement = judge(target, List.of());

        assertThat(judgement.fit()).isFalse();
        assertThat(judgement.differences()).extracting(Difference::kind, Difference::object).containsExactly(
                tuple("EXTRA_TABLE", "public.leftover"),
                tuple("MISSING_TABLE", "public.lines"),
                tuple("COLUMN_DIFFERS", "public.orders.total"));
        assertThat(judgement.differences()).extracting(Judgement::describe).containsExactly(
                "the target has table public.leftover, which the source does not have (table replica identity d)",
                "the target has no table public.lines (the source's: table replica identity i)",
                "column public.orders.total differs: the target's is 'position 2 text', the source's"
                        + " 'position 2 numeric(12,2)'");
        assertThat(judgement.differences()).extracting(Judgement::remedy).first().asString()
                .startsWith("drop the table on the target, or drop what the target holds");
    }

    @Test
    void aPostDataObjectTheTargetHasMustBeTheSources() {
        List<SchemaObject> target = new ArrayList<>(SOURCE);
        target.replaceAll(object -> object.name().equals("public.orders_pkey")
                ? object("INDEX", "public.orders_pkey", "CREATE UNIQUE INDEX orders_pkey ON public.orders USING hash (id)")
                : object);
        target.add(object("INDEX", "public.orders_total_idx", "CREATE INDEX orders_total_idx ON public.orders USING btree (total)"));

        assertThat(judge(target, List.of()).differences()).extracting(Difference::kind)
                .containsExactly("INDEX_DIFFERS", "EXTRA_INDEX");
    }

    @Test
    void tablesWithRowsMakeTheTargetUnfitAndAreNamed() {
        Judgement judgement = judge(SOURCE, List.of("public.orders"));

        assertThat(judgement.fit()).isFalse();
        assertThat(judgement.rows()).startsWith("1 table(s) of the target already hold rows: public.orders;");
        assertThat(judgement.refusal()).contains("1 problem(s)", "public.orders", "send StartMigration with a new"
                + " migration id");
    }
}
