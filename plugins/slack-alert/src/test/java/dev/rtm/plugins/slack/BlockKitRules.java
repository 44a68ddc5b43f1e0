package dev.rtm.plugins.slack;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a message against the Block Kit limits Slack documents for the blocks the plugin uses
 * (a message that breaks one is refused with invalid_blocks): at most 50 blocks; header: plain_text
 * ≤ 150; section: text ≤ 3000, at most 10 fields of ≤ 2000; button: plain_text ≤ 75, url ≤ 3000,
 * action_id ≤ 255 and unique in the message; actions: ≤ 25 elements; context: ≤ 10 elements;
 * block_id ≤ 255; the fallback {@code text} present.
 */
final class BlockKitRules {

    static final Set<String> BLOCK_TYPES = Set.of("header", "section", "divider", "actions", "context");

    private BlockKitRules() {
    }

    static void assertValid(JsonNode message) {
        assertThat(message.path("text").asText()).as("fallback text").isNotBlank().hasSizeLessThanOrEqualTo(3000);
        JsonNode blocks = message.get("blocks");
        assertThat(blocks.isArray()).isTrue();
        assertThat(blocks.size()).as("blocks").isBetween(1, 50);
        Set<String> actionIds = new HashSet<>();
        for (JsonNode b : blocks) {
            String type = b.path("type").asText();
            assertThat(type).as("block type").isIn(BLOCK_TYPES);
            if (b.has("block_id")) {
                assertThat(b.get("block_id").asText()).hasSizeLessThanOrEqualTo(255);
            }
            switch (type) {
                case "header" -> {
                    assertThat(b.path("text").path("type").asText()).isEqualTo("plain_text");
                    assertThat(b.path("text").path("text").asText()).isNotEmpty().hasSizeLessThanOrEqualTo(150);
                }
                case "section" -> {
                    assertThat(b.has("text") || b.has("fields")).as("section has text or fields").isTrue();
                    if (b.has("text")) {
                        assertText(b.get("text"), 3000);
                    }
                    if (b.has("fields")) {
                        assertThat(b.get("fields").size()).isLessThanOrEqualTo(10);
                        b.get("fields").forEach(f -> assertText(f, 2000));
                    }
                    if (b.has("accessory")) {
                        assertButton(b.get("accessory"), actionIds);
                    }
                }
                case "actions" -> {
                    assertThat(b.get("elements").size()).isBetween(1, 25);
                    b.get("elements").forEach(e -> assertButton(e, actionIds));
                }
                case "context" -> {
                    assertThat(b.get("elements").size()).isBetween(1, 10);
                    b.get("elements").forEach(e -> assertText(e, 3000));
                }
                default -> assertThat(b.size()).as("divider has only its type").isEqualTo(1);
            }
        }
    }

    private static void assertText(JsonNode t, int max) {
        assertThat(t.path("type").asText()).isIn("mrkdwn", "plain_text");
        assertThat(t.path("text").asText()).isNotEmpty().hasSizeLessThanOrEqualTo(max);
    }

    private static void assertButton(JsonNode e, Set<String> actionIds) {
        assertThat(e.path("type").asText()).isEqualTo("button");
        assertThat(e.path("text").path("type").asText()).isEqualTo("plain_text");
        assertThat(e.path("text").path("text").asText()).isNotEmpty().hasSizeLessThanOrEqualTo(75);
        assertThat(e.path("url").asText()).hasSizeLessThanOrEqualTo(3000).startsWith("http");
        String id = e.path("action_id").asText();
        assertThat(id).isNotEmpty().hasSizeLessThanOrEqualTo(255);
        assertThat(actionIds.add(id)).as("action_id %s unique", id).isTrue();
    }
}
