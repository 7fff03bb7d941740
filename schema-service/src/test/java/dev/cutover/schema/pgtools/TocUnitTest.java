package dev.cutover.schema.pgtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TocUnitTest {

    private static final String LISTING = """
            ;
            ; Archive created at 2026-11-25 15:47:04 UTC
            ;     dbname: rich
            ;
            8; 2615 2200 SCHEMA - public postgres
            2; 3079 16765 EXTENSION - citext\s
            2973; 2606 16899 CONSTRAINT public customer customer_email_key postgres
            2974; 1259 16966 INDEX public customer_lower_name_idx postgres
            2989; 0 0 INDEX ATTACH public orders_2024_pkey postgres
            2991; 2606 16916 FK CONSTRAINT public customer customer_preferred_store_fk postgres
            3128; 0 16983 MATERIALIZED VIEW DATA public status_counts postgres
            """;

    @Test
    void entryTypesWithSpacesAreReadWhole() {
        Toc toc = Toc.parse(LISTING);

        assertThat(toc.entries()).extracting(TocEntry::type).containsExactly("SCHEMA", "EXTENSION", "CONSTRAINT",
                "INDEX", "INDEX ATTACH", "FK CONSTRAINT", "MATERIALIZED VIEW DATA");
        assertThat(toc.entries()).extracting(TocEntry::schema).containsExactly("-", "-", "public", "public", "public",
                "public", "public");
        assertThat(toc.entries().get(5).tagAndOwner()).isEqualTo("customer customer_preferred_store_fk postgres");
        assertThat(toc.entries().get(5).dumpId()).isEqualTo(2991);
    }

    @Test
    void aTagMatchesOnlyWholeNames() {
        TocEntry schema = Toc.parse(LISTING).entries().getFirst();

        assertThat(schema.hasTag("public")).isTrue();
        assertThat(schema.hasTag("pub")).isFalse();
    }

    @Test
    void leavingEntriesOutKeepsTheOthersInOrderForTheListFile() {
        Toc toc = Toc.parse(LISTING).without(entry -> entry.type().equals("SCHEMA"));

        assertThat(toc.listFile().lines().toList()).hasSize(6)
                .first().isEqualTo("2; 3079 16765 EXTENSION - citext ");
        assertThat(Toc.parse(toc.listFile()).entries()).isEqualTo(toc.entries());
        assertThat(List.of(toc.size())).containsExactly(6);
    }
}
