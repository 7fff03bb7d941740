package dev.cutover.replicator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** The same rows on PostgreSQL 11 and 17 verify as the same, whatever types their columns have. */
@ExtendWith(SharedStackExtension.class)
class DataVerifierIntegrationTest {

    @Test
    void aCharColumnAndFloatsInsideARangeVerifyAsEqualAcrossVersions(LocalStack stack) {
        TestDatabase db = TestDatabase.create("verify_types", stack.source(), stack.target());
        db.onBoth("CREATE TYPE floatrange AS RANGE (subtype = float8)",
                "CREATE TABLE odd (id int PRIMARY KEY, flag \"char\", name name, span floatrange)",
                // 0.30000000000000004 prints so on 12 and later, and as 0.300000000000000044 on 11 with 3 extra digits.
                "INSERT INTO odd VALUES (1, 'a', 'n', '(0.1,0.30000000000000004]'), (2, NULL, NULL, '[-Infinity,1e300)')");

        Verification verification = new DataVerifier(1000).verify(db.pair(List.of("public")));

        assertThat(verification.mismatches()).isEmpty();
        assertThat(verification.rows()).isEqualTo(2);
    }

    @Test
    void workersSplittingALargeTableNameEveryDifferingRangeAndCountEveryRowOnce(LocalStack stack) {
        TestDatabase db = TestDatabase.create("verify_workers", stack.source(), stack.target());
        db.onBoth("CREATE TABLE big (id bigint PRIMARY KEY, note text)",
                "INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, 20000) g",
                "ANALYZE big",
                "CREATE TABLE small (id int PRIMARY KEY, note text)",
                "INSERT INTO small VALUES (1, 'one'), (2, 'two')");
        db.onTarget("DELETE FROM big WHERE id IN (5, 19990)", "UPDATE big SET note = 'changed' WHERE id = 10000",
                "UPDATE small SET note = 'changed' WHERE id = 2");

        Verification verification = new DataVerifier(1000, 3).verify(db.pair(List.of("public")));

        assertThat(verification.rows()).isEqualTo(20002);
        assertThat(verification.tables()).isEqualTo(2);
        // The ranges come from a sample of the keys: how many rows each holds varies, the difference does not.
        assertThat(verification.mismatches())
                .extracting(Mismatch::table, mismatch -> mismatch.sourceRows() - mismatch.targetRows())
                .containsExactlyInAnyOrder(tuple("public.big", 1L), tuple("public.big", 0L), tuple("public.big", 1L),
                        tuple("public.small", 0L));
        assertThat(verification.mismatches()).filteredOn(mismatch -> mismatch.table().equals("public.big"))
                .allSatisfy(mismatch -> assertThat(mismatch.range()).isPresent());
    }
}
