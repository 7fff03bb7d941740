package dev.cutover.ctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class JsonUnitTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void every_scripted_message_becomes_json_with_plain_unions_and_iso_times() throws Exception {
        for (var line : CutoverScript.rolledBack("shop-1", "shop", START).flippedAndCompleted().lines()) {
            var json = mapper.readTree(Json.write(line.message()));

            assertThat(json.get("metadata").get("database").asText()).isEqualTo("shop");
            assertThat(json.get("metadata").get("cutoverId").asText()).isEqualTo("shop-1");
            assertThat(json.get("metadata").get("occurredAt").asText()).startsWith("2026-11-25T10:15:");
        }
        var start = CutoverScript.completed("shop-1", "shop", START).lines().getFirst().message();
        assertThat(mapper.readTree(Json.write(start)).get("reason").asText()).isEqualTo("CHG-4711");
    }

    @Test
    void text_with_quotes_newlines_and_control_characters_stays_valid_json() throws Exception {
        var nasty = "say \"hi\"\n\ttab \\ back\u0001\u2028end";
        var map = new LinkedHashMap<String, Object>();
        map.put("text", nasty);
        map.put("nothing", null);
        map.put("numbers", List.of(1, 2.5, Double.NaN));
        map.put("raw", new Json.Raw("{\"type\":\"record\"}"));

        var json = mapper.readTree(Json.write(map));

        assertThat(json.get("text").asText()).isEqualTo(nasty);
        assertThat(json.get("nothing").isNull()).isTrue();
        assertThat(json.get("numbers").get(2).asText()).isEqualTo("NaN");
        assertThat(json.get("raw").get("type").asText()).isEqualTo("record");
    }

    @Test
    void bytes_become_base64() throws Exception {
        var bytes = new byte[] {(byte) 0xC3, 0x01, 0x00};

        assertThat(mapper.readTree(Json.write(bytes)).asText()).isEqualTo("wwEA");
    }
}
