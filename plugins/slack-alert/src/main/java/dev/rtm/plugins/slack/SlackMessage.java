package dev.rtm.plugins.slack;

import com.slack.api.model.block.LayoutBlock;

import java.util.List;

/**
 * A message as Slack takes it: Block Kit blocks and the plain {@code text} Slack shows in
 * notifications and where blocks cannot be shown.
 *
 * @param text the fallback text, at most {@link MessageRenderer#MAX_TEXT} characters
 * @param blocks at most {@link MessageRenderer#MAX_BLOCKS} blocks
 */
record SlackMessage(String text, List<LayoutBlock> blocks) {

    SlackMessage {
        blocks = List.copyOf(blocks);
    }
}
