package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CompilerThreadsUnitTest {

    @Test
    void theJitCompilersOfARunningJvmHaveUsedSomeOfItsCpu() {
        long self = ProcessHandle.current().pid();

        Duration compilers = CompilerThreads.growth(Map.of(), CompilerThreads.cpu(self).orElseThrow());

        assertThat(compilers).as("this JVM compiled the test framework's code").isPositive();
        assertThat(compilers).isLessThan(ProcessHandle.current().info().totalCpuDuration().orElseThrow());
    }

    @Test
    void aThreadThatEndedTakesNoTimeFromTheOthersAndANewOneCountsAllOfIts() {
        Map<Long, Duration> before = Map.of(1L, Duration.ofMillis(900), 2L, Duration.ofMillis(100));
        Map<Long, Duration> after = Map.of(2L, Duration.ofMillis(130), 3L, Duration.ofMillis(20));

        assertThat(CompilerThreads.growth(before, after)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void aProcessThatIsNotThereHasNoCompilerTimeToRead() {
        assertThat(CompilerThreads.cpu(Long.MAX_VALUE)).isEmpty();
    }
}
