package dev.cutover.schema.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * What PostgreSQL 11, 15 and 17 print for the same objects after a pg_dump of the 11 source was applied to 15 and
 * 17 (the strings are copied from the servers' catalogs, as {@link CatalogReader} reads them).
 */
class NormalisationUnitTest {

    private static final String BUMP_SEATS_BODY = "returns language sql volatility v config as"
            + " UPDATE sales.accounts SET seats = seats + n WHERE id = acct";

    private static SchemaObject function(String name, String definition) {
        return new SchemaObject("FUNCTION", "sales", name, definition);
    }

    @Test
    void aProcedureOf11MatchesTheSameProcedureOn15() {
        assertThat(SchemaComparison.compare(
                List.of(function("sales.bump_seats(acct bigint, n integer)", BUMP_SEATS_BODY)),
                List.of(function("sales.bump_seats(IN acct bigint, IN n integer)", BUMP_SEATS_BODY)))).isEmpty();
    }

    @Test
    void aProcedureOf11MatchesTheSameProcedureOn17() {
        assertThat(SchemaComparison.compare(
                List.of(function("sales.bump_seats(acct bigint, n integer)", BUMP_SEATS_BODY)),
                List.of(function("sales.bump_seats(IN acct bigint, IN n integer)", BUMP_SEATS_BODY)))).isEmpty();
    }

    @Test
    void anInoutArgumentKeepsItsModeAndTheInOfTheNextOneGoes() {
        String body = "returns language plpgsql volatility v config as BEGIN x := 1; END";

        assertThat(SchemaComparison.compare(List.of(function("sales.p2(INOUT x integer, y text)", body)),
                List.of(function("sales.p2(INOUT x integer, IN y text)", body)))).isEmpty();
        assertThat(Normalisation.name("FUNCTION", "sales.p2(INOUT x integer, IN y text)"))
                .isEqualTo("sales.p2(INOUT x integer, y text)");
    }

    @Test
    void aProcedureWhoseArgumentsChangedIsStillADifference() {
        assertThat(SchemaComparison.compare(
                List.of(function("sales.bump_seats(acct bigint, n integer)", BUMP_SEATS_BODY)),
                List.of(function("sales.bump_seats(IN acct bigint, IN n bigint)", BUMP_SEATS_BODY))))
                .extracting(Difference::kind)
                .containsExactly("EXTRA_FUNCTION", "MISSING_FUNCTION");
    }

    @Test
    void argumentsWhoseNamesOrTypesStartWithInAreLeftAlone() {
        assertThat(Normalisation.name("FUNCTION", "public.f(interval, \"IN\" integer, index_no integer)"))
                .isEqualTo("public.f(interval, \"IN\" integer, index_no integer)");
        assertThat(Normalisation.name("COLUMN", "public.t.IN ")).isEqualTo("public.t.IN ");
    }

    @Test
    void aTriggerOf11MatchesTheSameTriggerOn15And17() {
        String on11 = "CREATE TRIGGER tr BEFORE UPDATE OF seats ON sales.accounts FOR EACH ROW"
                + " WHEN ((old.seats IS DISTINCT FROM new.seats)) EXECUTE PROCEDURE sales.f5()";
        String on15And17 = "CREATE TRIGGER tr BEFORE UPDATE OF seats ON sales.accounts FOR EACH ROW"
                + " WHEN ((old.seats IS DISTINCT FROM new.seats)) EXECUTE FUNCTION sales.f5()";

        assertThat(Normalisation.normalise("TRIGGER", on11, Set.of("sales")))
                .isEqualTo(Normalisation.normalise("TRIGGER", on15And17, Set.of("sales")));
    }

    @Test
    void aViewOf11MatchesTheSameViewOn17AndOn15WhichStillQualifies() {
        String on11And15 = "view  SELECT a.id,\n    a.name\n   FROM sales.accounts a\n  WHERE a.name::text ~~ 'a%'::text"
                + " AND (a.id IN ( SELECT orders.account\n           FROM sales.orders))"
                + " AND a.created > (now() - '1 day'::interval);";
        String on17 = "view  SELECT id,\n    name\n   FROM sales.accounts a\n  WHERE name::text ~~ 'a%'::text"
                + " AND (id IN ( SELECT orders.account\n           FROM sales.orders))"
                + " AND created > (now() - '1 day'::interval);";

        assertThat(SchemaComparison.compare(List.of(new SchemaObject("VIEW", "sales", "sales.v4", on11And15)),
                List.of(new SchemaObject("VIEW", "sales", "sales.v4", on17)))).isEmpty();
    }
}
