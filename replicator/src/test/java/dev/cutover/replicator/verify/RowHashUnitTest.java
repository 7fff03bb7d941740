package dev.cutover.replicator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.cutover.replicator.postgres.TableName;

class RowHashUnitTest {

    @Test
    void floatingPointColumnsAreHashedInTheirBinaryFormAndOthersAsQuotedTextOfTheirOwn() {
        String expression = RowHash.expression(List.of(new HashedColumn("ratio", Optional.of("float8send")),
                new HashedColumn("Name", Optional.empty())));

        assertThat(expression).isEqualTo("('x' || left(md5(quote_nullable(encode(float8send(r.\"ratio\"), 'hex'))"
                + " || ',' || quote_nullable(r.\"Name\"::text)), 16))::bit(64)::bigint::numeric");
    }

    @Test
    void rangesBucketByTheLeadingKeyWithQuotedBounds() {
        KeyRanges ranges = new KeyRanges("id", "uuid", List.of("1f", "a'b"));

        assertThat(ranges.bucketExpression()).isEqualTo("width_bucket(r.\"id\", ARRAY['1f', 'a''b']::uuid[])");
        assertThat(ranges.describe(0)).isEqualTo("id [-inf,1f)");
        assertThat(ranges.describe(1)).isEqualTo("id [1f,a'b)");
        assertThat(ranges.describe(2)).isEqualTo("id [a'b,+inf)");
    }

    @Test
    void theRangeQueryGroupsOneScanByBucket() {
        String sql = DataVerifier.rangeSums(new TableName("shop", "orders"),
                List.of(new HashedColumn("id", Optional.empty())), KeyRanges.whole());

        assertThat(sql).startsWith("SELECT bucket, count(*), coalesce(sum(h), 0) FROM (SELECT 0 AS bucket, ")
                .endsWith(" AS h FROM ONLY \"shop\".\"orders\" r OFFSET 0) buckets GROUP BY 1");
    }
}
