"""What ``sitegen serve`` adds to pages in the browser: the live-reload client and the
page that shows a broken build.

The published pages are never changed for this. Their Content-Security-Policy allows
same-origin scripts but no connections and no inline script, so the dev server rewrites
each HTML response as it sends it: one ``<script src=".../live.js" defer>`` (a
same-origin file the server serves) goes before ``</head>``, and ``connect-src 'self'``
is added to the page's ``<meta>`` policy so that script may open its event stream. The
built bytes, and ``dist/``, stay exactly as ``sitegen build`` makes them.

The client is an ``EventSource`` (Server-Sent Events): one plain HTTP response the server
keeps open and writes a line to after every build, which the standard library serves and
the browser reconnects by itself (also after the server restarts). Every page and the
error page carry the id of the build they come from; when the stream names another build
the page reloads, so a fixed build brings the page back and a new error replaces the old.
"""

from __future__ import annotations

import html
import re

from sitegen.hosting import CONTENT_SECURITY_POLICY, meta_policy

# Everything the server adds lives under this prefix; no page of a site can: community
# slugs are lowercase letters, digits and hyphens.
PREFIX = "/_sitegen/"
SCRIPT = PREFIX + "live.js"
EVENTS = PREFIX + "events"
STYLE = PREFIX + "error.css"
ICON = PREFIX + "error.svg"

CONNECT = "connect-src 'self'"
# The site's policy, plus the one connection the client makes; sent as a header with
# every response, as the hosts send ``_headers``.
SERVED_POLICY = f"{CONTENT_SECURITY_POLICY}; {CONNECT}"

CLIENT = """\
/* sitegen serve: reload this page when the site has been rebuilt (added by the preview
 * server only; published pages do not have it). A hidden tab lets go of its stream, as
 * browsers allow only six connections to one server, and checks again when shown. */
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script.getAttribute("data-build");
  var address = script.getAttribute("data-events");
  var events = null;

  function listen() {
    events = new EventSource(address);
    events.addEventListener("build", function (event) {
      if (event.data !== build) {
        events.close();
        location.reload();
      }
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden && events) {
      events.close();
      events = null;
    } else if (!document.hidden && !events) {
      listen();
    }
  });
  if (!document.hidden) listen();
})();
"""

STYLESHEET = """\
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; padding: 1.5rem; }
main { max-width: 60rem; margin: 0 auto; }
h1 { font-size: 1.5rem; color: #b00020; }
ol { padding-inline-start: 1.5rem; }
li { margin-block: 0.5rem; }
code { font-family: ui-monospace, monospace; font-size: 0.95rem; white-space: pre-wrap;
       overflow-wrap: anywhere; }
@media (prefers-color-scheme: dark) { h1 { color: #ff8a80; } }
"""

# The error page's tab icon: a red disc, so a broken build shows in the tab bar too.
ICON_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">\
<circle cx="8" cy="8" r="7" fill="#d32f2f"/>\
<path d="M7 3.5h2v6H7zm0 7.5h2v2H7z" fill="#fff"/></svg>
"""

_META_POLICY = re.compile(
    rb'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")', re.IGNORECASE)


def _tag(build_id: str) -> bytes:
    return (f'<script src="{SCRIPT}" data-build="{html.escape(build_id)}" '
            f'data-events="{EVENTS}" defer></script>\n').encode()


def _allow_connect(match: re.Match[bytes]) -> bytes:
    policy = html.unescape(match.group(2).decode())
    if "connect-src" not in policy:
        policy = f"{policy}; {CONNECT}"
    return match.group(1) + html.escape(policy).encode() + match.group(3)


def inject(page: bytes, build_id: str) -> bytes:
    """A built HTML page as the preview serves it: the client script before ``</head>``
    and ``connect-src 'self'`` in its ``<meta>`` policy (the first one only)."""
    page = _META_POLICY.sub(_allow_connect, page, count=1)
    head_end = page.find(b"</head>")
    if head_end < 0:
        return page
    return page[:head_end] + _tag(build_id) + page[head_end:]


def event(build_id: str) -> bytes:
    """One Server-Sent Event naming the current build; ``retry`` makes the browser
    reconnect quickly after the server restarts."""
    return f"retry: 500\nevent: build\ndata: {build_id}\n\n".encode()


def error_page(errors: list[str], build_id: str) -> bytes:
    """The page shown instead of every page while the build is broken: each error as the
    terminal prints it (``path:line:column: message``), escaped, and the live client, so
    the page it replaces comes back by itself once the build succeeds."""
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in errors)
    policy = html.escape(f"{meta_policy()}; {CONNECT}")
    count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed: {count} - sitegen serve</title>
<link rel="icon" href="{ICON}" type="image/svg+xml">
<link rel="stylesheet" href="{STYLE}">
{_tag(build_id).decode()}</head>
<body>
<main>
<h1>The site could not be built</h1>
<p>{count}, as <code>file:line:column: message</code>. Fix them in your editor and save:
this page is replaced by the page you were viewing as soon as the site builds again.</p>
<ol>
{items}
</ol>
</main>
</body>
</html>
""".encode()
