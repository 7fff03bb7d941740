package dev.cutover.schema.section;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.cutover.schema.section.SourceObjects.KeyIndex;

class KeyIndexesUnitTest {

    private static final List<String> TABLESPACE = List.of("SET default_tablespace = '';");

    private static final PostDataItem PRIMARY_KEY = new PostDataItem(3, "CONSTRAINT", "public", "orders orders_pkey",
            TABLESPACE, "ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);");

    private static final KeyIndex ORDERS_PKEY = new KeyIndex("orders_pkey",
            "CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id);",
            "ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey;");

    @Test
    void aPrimaryKeyBecomesItsUniqueIndexAndThenTheKeyOnThatIndexWithTheEntrysSessionAndPlace() {
        List<PostDataItem> split = KeyIndexes.split(List.of(PRIMARY_KEY), item -> Optional.of(ORDERS_PKEY));

        assertThat(split).containsExactly(
                new PostDataItem(3, PostDataItem.KEY_INDEX_TYPE, "public", "orders_pkey", TABLESPACE,
                        ORDERS_PKEY.createIndex()),
                new PostDataItem(3, PostDataItem.KEY_ON_INDEX_TYPE, "public", "orders orders_pkey", TABLESPACE,
                        ORDERS_PKEY.addKey()));
        assertThat(split).extracting(PostDataItem::kind)
                .containsExactly(PostDataItem.Kind.KEY_INDEX, PostDataItem.Kind.KEY_ON_INDEX);
    }

    @Test
    void aKeyWhoseEntryHoldsMoreThanTheConstraintStaysAsPgDumpWroteIt() {
        PostDataItem clustered = new PostDataItem(3, "CONSTRAINT", "public", "orders orders_pkey", TABLESPACE,
                PRIMARY_KEY.sql() + "\n\nALTER TABLE public.orders CLUSTER ON orders_pkey;");

        assertThat(KeyIndexes.split(List.of(clustered), item -> Optional.of(ORDERS_PKEY))).containsExactly(clustered);
    }

    @Test
    void keysWithoutAnIndexFormAndEverythingElseStayAsTheyAre() {
        PostDataItem exclusion = new PostDataItem(4, "CONSTRAINT", "public", "booking no_overlap", List.of(),
                "ALTER TABLE ONLY public.booking\n    ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);");
        PostDataItem index = new PostDataItem(5, "INDEX", "public", "orders_total_idx", List.of(),
                "CREATE INDEX orders_total_idx ON public.orders USING btree (total);");
        Map<String, KeyIndex> forms = Map.of("orders orders_pkey", ORDERS_PKEY);

        assertThat(KeyIndexes.split(List.of(exclusion, index), item -> Optional.ofNullable(forms.get(item.tag()))))
                .containsExactly(exclusion, index);
    }
}
