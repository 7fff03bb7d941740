package dev.cutover.events.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.cutover.events.Messages;
import dev.cutover.events.Messages.MessageType;

/**
 * Keeps the current version of the named types as their next released version, before someone edits them. It writes
 * the full schema (nested types inlined), because that is what the payload's fingerprint covers; a copy of the
 * {@code .avsc}, which only names {@code Metadata}, would not be.
 *
 * <p>Not a {@code *Test}, so a normal build never runs it:
 * {@code ./mvnw -B -q -pl events test -Dtest=ReleasedSchemaWriter -Drelease.types=FlipDns,StepFailed}, or
 * {@code -Drelease.types=ALL} before changing a shared type such as {@code Metadata}. A type whose current schema is
 * already released is left alone.
 */
class ReleasedSchemaWriter {

    private static final Path ROOT = Path.of("src/main/resources", ReleasedSchemas.RESOURCE_ROOT);

    @Test
    @EnabledIfSystemProperty(named = "release.types", matches = ".+")
    void keepsTheCurrentVersionOfTheNamedTypes() throws IOException {
        var released = ReleasedSchemas.load();
        for (var type : typesNamed(System.getProperty("release.types"))) {
            var versions = released.releasedVersions(type.fullName());
            boolean alreadyKept = versions.stream()
                    .anyMatch(version -> Fingerprints.of(version) == Fingerprints.of(type.schema()));
            if (alreadyKept) {
                continue;
            }
            var file = ROOT.resolve(type.name()).resolve("v" + (versions.size() + 1) + ".avsc");
            assertThat(file).as("released versions are never overwritten").doesNotExist();
            Files.createDirectories(file.getParent());
            Files.writeString(file, type.schema().toString(true) + "\n");
        }
    }

    private static List<MessageType> typesNamed(String names) {
        if (names.equals("ALL")) {
            return Messages.all();
        }
        return Arrays.stream(names.split(","))
                .map(String::strip)
                .map(name -> Messages.find("dev.cutover.events." + name)
                        .orElseThrow(() -> new IllegalArgumentException("No message type named " + name)))
                .toList();
    }
}
