package dev.cutover.schema.section;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PostDataPlanUnitTest {

    private static PostDataItem item(int position, String type, String tag) {
        return new PostDataItem(position, type, "public", tag, List.of(), "-- " + tag);
    }

    private final List<PostDataItem> items = List.of(
            item(0, "CONSTRAINT", "orders orders_pkey"),
            item(1, "CONSTRAINT", "customer customer_pkey"),
            item(2, "INDEX", "orders_total_idx"),
            item(3, "INDEX ATTACH", "orders_2024_pkey"),
            item(4, "RULE", "audit_log no_delete"),
            item(5, "TRIGGER", "customer audit"),
            item(6, "FK CONSTRAINT", "orders orders_customer_fkey"),
            item(7, "MATERIALIZED VIEW DATA", "status_counts"),
            item(8, "COMMENT", "INDEX orders_total_idx"));

    private final Map<String, Long> sizes = Map.of("orders orders_pkey", 500L, "customer customer_pkey", 10L,
            "orders_total_idx", 900L);

    @Test
    void keysComeBeforeAttachmentsWhichComeBeforeForeignKeysWhichComeBeforeTheRest() {
        PostDataPlan plan = PostDataPlan.of(items, item -> sizes.getOrDefault(item.tag(), 0L));

        assertThat(plan.phases()).extracting(PostDataPlan.Phase::parallel).containsExactly(true, false, true, false);
        assertThat(plan.phases().get(1).items()).extracting(PostDataItem::tag).containsExactly("orders_2024_pkey");
        assertThat(plan.phases().get(2).items()).extracting(PostDataItem::tag).containsExactly("orders orders_customer_fkey");
        assertThat(plan.size()).isEqualTo(items.size());
    }

    @Test
    void theLargestIndexStartsFirst() {
        PostDataPlan plan = PostDataPlan.of(items, item -> sizes.getOrDefault(item.tag(), 0L));

        assertThat(plan.phases().getFirst().items()).extracting(PostDataItem::tag)
                .containsExactly("orders_total_idx", "orders orders_pkey", "customer customer_pkey");
    }

    @Test
    void aKeyBuildsItsIndexWithTheOtherIndexesAndIsAddedOnItBeforeTheAttachments() {
        List<PostDataItem> split = List.of(
                item(0, PostDataItem.KEY_INDEX_TYPE, "orders_pkey"),
                item(0, PostDataItem.KEY_ON_INDEX_TYPE, "orders orders_pkey"),
                item(2, "INDEX", "orders_total_idx"),
                item(3, "INDEX ATTACH", "orders_2024_pkey"));

        PostDataPlan plan = PostDataPlan.of(split, item -> sizes.getOrDefault(item.tag(), 0L));

        assertThat(plan.phases().getFirst().items()).extracting(PostDataItem::tag)
                .containsExactly("orders_total_idx", "orders_pkey");
        assertThat(plan.phases().get(1).items()).extracting(PostDataItem::tag)
                .containsExactly("orders orders_pkey", "orders_2024_pkey");
    }

    @Test
    void theRestKeepsPgDumpsOrder() {
        PostDataPlan plan = PostDataPlan.of(items, item -> 0L);

        assertThat(plan.phases().getLast().items()).extracting(PostDataItem::position).containsExactly(4, 5, 7, 8);
    }
}
