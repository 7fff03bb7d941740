package dev.cutover.events.serde;

import java.nio.file.Path;

import dev.cutover.events.Messages.MessageType;

/** Where the golden fixtures live: the bytes a type's first released version wrote, and those values as JSON. */
final class GoldenFixtures {

    static final Path SOURCE_DIRECTORY = Path.of("src/test/resources/golden");

    private GoldenFixtures() {
    }

    static String binary(MessageType type) {
        return type.name() + ".bin";
    }

    static String json(MessageType type) {
        return type.name() + ".json";
    }
}
