package dev.cutover.replicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadSharingSettingsUnitTest {

    @Test
    void anInstanceNameThatCannotBeAnApplicationNameIsRefusedWithAnExample() {
        assertThatThrownBy(() -> new LoadSharingSettings(true, "replicator one"))
                .hasMessageContaining("cutover.replicator.sharing.instance").hasMessageContaining("replicator-2");
        assertThat(new LoadSharingSettings(false, "").instance()).as("a name of its own by default")
                .isNotBlank().isNotEqualTo(new LoadSharingSettings(false, "").instance());
    }
}
