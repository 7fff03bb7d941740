package dev.cutover.replicator.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** What the load plan is told about a source table, on PostgreSQL 11. */
@ExtendWith(SharedStackExtension.class)
class SourceCatalogIntegrationTest {

    private static final long MB = 1024 * 1024;

    @Test
    void aTableOfLargeDocumentsCountsItsToastSoItIsCutLikeAnyOtherLargeTable(LocalStack stack) throws Exception {
        TestDatabase db = TestDatabase.create("source_catalog", stack.source(), stack.target());
        // 200 rows of 64 kB that do not compress: about 13 MB of TOAST behind a heap of a block or two.
        db.onSource("CREATE TABLE documents (id bigint PRIMARY KEY, body bytea)",
                "ALTER TABLE documents ALTER COLUMN body SET STORAGE EXTERNAL",
                "INSERT INTO documents SELECT g, (SELECT string_agg(decode(md5(random()::text || g || i), 'hex'), '')"
                        + " FROM generate_series(1, 4096) i) FROM generate_series(1, 200) g",
                "ANALYZE documents");

        SourceTable documents;
        try (Connection source = TestDatabase.endpoint(stack.source(), "source_catalog").connect()) {
            documents = new SourceCatalog(source).describe(List.of(new TableName("public", "documents")), 4 * MB)
                    .getFirst();
        }

        assertThat(documents.bytes()).isGreaterThan(12 * MB);
        assertThat(documents.blocks()).isLessThan(16);
        assertThat(documents.split()).isNotInstanceOf(Split.Whole.class);
        assertThat(CopyPlan.of(List.of(documents), 2, 4 * MB)).hasSize(2);
    }
}
