#!/usr/bin/env bash
# Redraws docs/slack-message.png (at the repository root): the plugin sends the README's example notification to a local
# recorder (SlackMessagePreviewTest), the payload is laid out as HTML like Slack does (an
# approximation), and headless Chromium (Debian's `chromium`, with `fonts-noto-color-emoji`)
# screenshots it. Run from the repository root: plugins/slack-alert/docs/render-png.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -o -B -q -pl plugins/slack-alert test -Dtest=SlackMessagePreviewTest -Dsurefire.failIfNoSpecifiedTests=false
out=plugins/slack-alert/target/slack-preview
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --hide-scrollbars \
  --window-size=720,"${HEIGHT:-400}" --screenshot="$out/slack-message.png" "file://$PWD/$out/slack-message.html" 2>/dev/null
cp "$out/slack-message.png" docs/slack-message.png
echo "wrote docs/slack-message.png"
