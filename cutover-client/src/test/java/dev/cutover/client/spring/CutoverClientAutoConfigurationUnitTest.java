package dev.cutover.client.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

class CutoverClientAutoConfigurationUnitTest {

    @Test
    void anApplicationWithTheJarOnItsClassPathFindsTheAutoConfiguration() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
                .contains(CutoverClientAutoConfiguration.class.getName());
    }
}
