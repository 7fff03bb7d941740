package dev.cutover.schema.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SchemaComparisonUnitTest {

    private static SchemaObject object(String kind, String name, String definition) {
        return new SchemaObject(kind, name.substring(0, name.indexOf('.')), name, definition);
    }

    @Test
    void identicalCatalogsHaveNoDifferences() {
        List<SchemaObject> catalog = List.of(object("TABLE", "public.orders", "table replica identity d"),
                object("INDEX", "public.orders_idx", "CREATE INDEX orders_idx ON public.orders USING btree (id)"));

        assertThat(SchemaComparison.compare(catalog, catalog)).isEmpty();
    }

    @Test
    void missingExtraAndChangedObjectsAreEachReported() {
        List<SchemaObject> source = List.of(object("INDEX", "public.a_idx", "CREATE INDEX a_idx ON public.a USING btree (x)"),
                object("COLUMN", "public.a.x", "position 1 integer"));
        List<SchemaObject> target = List.of(object("COLUMN", "public.a.x", "position 1 bigint"),
                object("TRIGGER", "public.a.audit", "CREATE TRIGGER audit ..."));

        assertThat(SchemaComparison.compare(source, target)).containsExactly(
                new Difference("EXTRA_TRIGGER", "public.a.audit", null, "CREATE TRIGGER audit ..."),
                new Difference("COLUMN_DIFFERS", "public.a.x", "position 1 integer", "position 1 bigint"),
                new Difference("MISSING_INDEX", "public.a_idx", "CREATE INDEX a_idx ON public.a USING btree (x)", null));
    }

    @Test
    void triggerSyntaxOfNewerServersIsNotADifference() {
        List<SchemaObject> source = List.of(object("TRIGGER", "public.c.audit",
                "CREATE TRIGGER audit AFTER INSERT ON public.c FOR EACH ROW EXECUTE PROCEDURE public.log()"));
        List<SchemaObject> target = List.of(object("TRIGGER", "public.c.audit",
                "CREATE TRIGGER audit AFTER INSERT ON public.c FOR EACH ROW EXECUTE FUNCTION public.log()"));

        assertThat(SchemaComparison.compare(source, target)).isEmpty();
    }

    @Test
    void viewsPrintedWithoutRedundantQualifiersMatchTheQualifiedOriginal() {
        List<SchemaObject> source = List.of(object("VIEW", "public.totals",
                "view  SELECT c.id,\n    public.order_total(c.id) AS total\n   FROM public.customer c;"));
        List<SchemaObject> target = List.of(object("VIEW", "public.totals",
                "view  SELECT id,\n    public.order_total(id) AS total\n   FROM public.customer c;"));

        assertThat(SchemaComparison.compare(source, target)).isEmpty();
    }

    @Test
    void aViewThatReallyChangedIsStillADifference() {
        List<SchemaObject> source = List.of(object("VIEW", "public.totals", "view SELECT c.id FROM public.customer c;"));
        List<SchemaObject> target = List.of(object("VIEW", "public.totals", "view SELECT c.name FROM public.customer c;"));

        assertThat(SchemaComparison.compare(source, target)).extracting(Difference::kind).containsExactly("VIEW_DIFFERS");
    }

    @Test
    void cutoversOwnSchemaIsNotCompared() {
        List<SchemaObject> target = List.of(object("TABLE", "cutover.canary", "table replica identity d"));

        assertThat(SchemaComparison.compare(List.of(), target)).isEmpty();
    }
}
