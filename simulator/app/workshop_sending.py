"""The phone's ballot in the browser: a tap says "Sending..." at once, before the server answers.

Under load the server may take a second or two to store a vote; until its confirmation ("counted")
replaces the box under the ballot, the box says the vote is being sent, so a phone never shows an
old "Tap your choice" after a tap, nor "counted" before the vote is stored.
"""

from __future__ import annotations

import streamlit as st

# Runs in the phone's browser. A tap shows "Sending..." at once; the server's confirmation replaces it
# once the vote is stored. A tap with no answer after SENDING_PATIENCE_MS was lost on the way (taps in
# the first seconds after a server restart are: Streamlit's browser side drops them), so the page
# says so and, once the server answers its health check, reloads itself: the reloaded ballot shows
# what the database holds, and the box says which tap was not counted. Installed once per page.
SENDING_PATIENCE_MS = 8_000
SENDING_SCRIPT = """<script>
(() => {
  if (window.__wsSending) return;
  window.__wsSending = true;
  const LOST = 'ws-lost-tap';
  const box = () => document.querySelector('[data-testid="ws-confirm"]');
  const say = (text, kind) => {
    const shown = box();
    if (shown) { shown.textContent = text; shown.className = 'ws-phone ws-confirm ' + kind; }
  };
  const lost = sessionStorage.getItem(LOST);
  if (lost) {
    sessionStorage.removeItem(LOST);
    const shown = 'Your tap on ' + lost + ' got no answer from the server and was not counted. Tap your choice again.';
    // The tap may still have reached the server before the reload: then the box already says so.
    const counted = 'Your vote: ' + lost + '.';
    const wait = setInterval(() => {
      if (!box()) return;
      clearInterval(wait);
      if (!box().textContent.includes(counted)) say(shown, 'ws-late');
    }, 100);
  }
  const health = location.pathname.replace(/[^/]*$/, '') + '_stcore/health';
  const reloadWhenUp = (choice) => fetch(health, {cache: 'no-store'}).then((answer) => {
    if (!answer.ok) throw new Error('down');
    sessionStorage.setItem(LOST, choice);
    location.reload();
  }).catch(() => setTimeout(() => reloadWhenUp(choice), 2000));
  document.addEventListener('click', (event) => {
    const label = event.target.closest('[class*="st-key-ballot_"] label');
    const input = label && label.querySelector('input');
    if (!label || !box() || (input && input.checked)) return;
    const choice = label.innerText.split(':')[0].trim().toUpperCase();
    const sent = 'Sending your vote: ' + choice + '...';
    say(sent, 'ws-sending');
    setTimeout(() => {
      if (!box() || box().textContent !== sent) return;
      say('Your tap on ' + choice + ' is not counted yet: no answer from the server. Reconnecting...', 'ws-late');
      reloadWhenUp(choice);
    }, PATIENCE);
  }, {capture: true});
})();
</script>"""


def sending_script() -> None:
    """The script that shows a tap as being sent until the server confirms it (see SENDING_SCRIPT)."""
    st.html(SENDING_SCRIPT.replace("PATIENCE", str(SENDING_PATIENCE_MS)), unsafe_allow_javascript=True)
