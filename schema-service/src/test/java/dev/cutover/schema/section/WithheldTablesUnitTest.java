package dev.cutover.schema.section;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cutover.schema.section.WithheldTables.Treatment;

class WithheldTablesUnitTest {

    private static final WithheldTables SERVICES_WITHHELD = WithheldTables.of(List.of("public.services"), Map.of());

    @Test
    void aKeptTablesForeignKeyToAWithheldTableIsAddedNotValid() {
        assertThat(SERVICES_WITHHELD.foreignKey("public.users", "public.services", false))
                .isEqualTo(Treatment.NOT_VALID);
    }

    @Test
    void aPartitionedTablesForeignKeyToAWithheldTableIsLeftForLaterAsPostgresRefusesNotValidThere() {
        assertThat(SERVICES_WITHHELD.foreignKey("public.events", "public.services", true)).isEqualTo(Treatment.LATER);
    }

    @Test
    void aWithheldTablesOwnForeignKeyIsBuiltAsDumpedSinceItsTableIsEmpty() {
        WithheldTables both = WithheldTables.of(List.of("public.services", "public.users"), Map.of());

        assertThat(both.foreignKey("public.users", "public.services", false)).isEqualTo(Treatment.AS_DUMPED);
        assertThat(SERVICES_WITHHELD.foreignKey("public.services", "public.organisations", false))
                .isEqualTo(Treatment.AS_DUMPED);
    }

    @Test
    void aForeignKeyBetweenCompleteTablesIsBuiltAsDumped() {
        assertThat(SERVICES_WITHHELD.foreignKey("public.users", "public.organisations", false))
                .isEqualTo(Treatment.AS_DUMPED);
        assertThat(WithheldTables.NONE.foreignKey("public.users", "public.services", false))
                .isEqualTo(Treatment.AS_DUMPED);
    }

    @Test
    void aParentWithAWithheldPartitionIsIncompleteAllTheWayUp() {
        WithheldTables withheld = WithheldTables.of(List.of("public.services_2024_q1"), Map.of(
                "public.services_2024_q1", "public.services_2024", "public.services_2024", "public.services"));

        assertThat(withheld.incomplete()).containsExactlyInAnyOrder("public.services_2024_q1", "public.services_2024",
                "public.services");
        assertThat(withheld.foreignKey("public.users", "public.services", false)).isEqualTo(Treatment.NOT_VALID);
    }

    @Test
    void notValidIsAddedBeforeTheStatementsSemicolonAndOnlyOnce() {
        String dumped = "ALTER TABLE ONLY public.users\n    ADD CONSTRAINT users_service_fk FOREIGN KEY (service_id)"
                + " REFERENCES public.services(id) ON DELETE CASCADE;\n";

        assertThat(WithheldTables.notValid(dumped)).isEqualTo("ALTER TABLE ONLY public.users\n    ADD CONSTRAINT"
                + " users_service_fk FOREIGN KEY (service_id) REFERENCES public.services(id) ON DELETE CASCADE NOT VALID;");
        assertThat(WithheldTables.notValid(WithheldTables.notValid(dumped))).isEqualTo(WithheldTables.notValid(dumped));
        assertThat(WithheldTables.isNotValid(dumped)).isFalse();
        assertThat(WithheldTables.isNotValid(WithheldTables.notValid(dumped))).isTrue();
        assertThatThrownBy(() -> WithheldTables.notValid("ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES u"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
