package dev.cutover.schema.section;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.cutover.schema.pgtools.Toc;

/** Reads a real script: pg_restore 15 output for a post-data archive dumped from PostgreSQL 11. */
class PostDataScriptUnitTest {

    private final Toc toc = Toc.parse(resource("post-data-11.list"));
    private final String text = resource("post-data-11.sql");

    @Test
    void everyArchiveEntryBecomesOnePieceInArchiveOrder() {
        PostDataScript script = PostDataScript.parse(text, toc);

        assertThat(script.items()).hasSameSizeAs(toc.entries());
        assertThat(script.items()).extracting(PostDataItem::type)
                .containsExactlyElementsOf(toc.entries().stream().map(entry -> entry.type()).toList());
        assertThat(script.items()).extracting(PostDataItem::position).isSorted();
    }

    @Test
    void aPieceHoldsItsWholeStatementAndNothingFromBetweenEntries() {
        PostDataScript script = PostDataScript.parse(text, toc);

        PostDataItem primaryKey = item(script, "customer customer_pkey");
        assertThat(primaryKey.sql()).isEqualTo("ALTER TABLE ONLY public.customer\n    ADD CONSTRAINT customer_pkey PRIMARY KEY (id);");
        assertThat(primaryKey.kind()).isEqualTo(PostDataItem.Kind.KEY_CONSTRAINT);
        assertThat(script.items()).allSatisfy(item -> {
            assertThat(item.sql()).doesNotContain("\\restrict").doesNotContain("\\unrestrict")
                    .doesNotContain("-- Name:").doesNotStartWith("SET ");
            assertThat(item.sql()).endsWith(";");
        });
    }

    @Test
    void thePreludeKeepsTheSessionSettingsButNotPsqlCommands() {
        PostDataScript script = PostDataScript.parse(text, toc);

        assertThat(script.prelude()).contains("SELECT pg_catalog.set_config('search_path', '', false);",
                "SET statement_timeout = 0;");
        assertThat(script.prelude()).noneMatch(line -> line.startsWith("\\"));
    }

    @Test
    void theDumpsClientEncodingIsLeftOutBecauseTheWorkersConnectionsSpeakUtf8Only() {
        String fromLatin1Source = text.replace("SET client_encoding = 'UTF8';", "SET client_encoding = 'LATIN1';");

        PostDataScript script = PostDataScript.parse(fromLatin1Source, toc);

        assertThat(script.prelude()).noneMatch(line -> line.startsWith("SET client_encoding"))
                .contains("SET statement_timeout = 0;");
    }

    @Test
    void anEntryInAnotherTablespaceCarriesItsTablespaceAndTheNextOneTheDefaultAgain() {
        PostDataScript script = PostDataScript.parse(text, toc);

        assertThat(item(script, "store_name_idx").session()).containsExactly("SET default_tablespace = ts;");
        assertThat(item(script, "customer customer_pkey").session()).containsExactly("SET default_tablespace = '';");
        assertThat(item(script, "INDEX store_name_idx").session()).containsExactly("SET default_tablespace = ts;");
    }

    @Test
    void headerLikeTextOnOneLineInsideAStatementDoesNotCutIt() {
        PostDataScript script = PostDataScript.parse(text, toc);

        assertThat(item(script, "INDEX store_name_idx").sql())
                .isEqualTo("COMMENT ON INDEX public.store_name_idx IS 'names; Type: INDEX; Schema: public; Owner: x';");
    }

    @Test
    void aWholeImitatedHeaderInsideAStatementIsRefusedRatherThanCutWrongly() {
        String forged = text.replace("IS 'names; Type: INDEX; Schema: public; Owner: x';",
                "IS '\n--\n-- Name: orders_2024_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres\n--\n';");

        assertThatThrownBy(() -> PostDataScript.parse(forged, toc)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shaped like a header");
    }

    @Test
    void aScriptThatDoesNotMatchItsTableOfContentsIsRefused() {
        String other = text.replace("; Type: TRIGGER;", "; Type: RULE;");

        assertThatThrownBy(() -> PostDataScript.parse(other, toc)).isInstanceOf(IllegalStateException.class);
    }

    private static PostDataItem item(PostDataScript script, String tag) {
        return script.items().stream().filter(item -> item.tag().equals(tag)).findFirst().orElseThrow();
    }

    private static String resource(String name) {
        try (InputStream in = PostDataScriptUnitTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
