/* Language choice.
 * Every page: remember the language a reader explicitly picks in the switcher.
 * The root page (html[data-language-chooser]): send the reader to their remembered
 * language, else to the best match for the browser's preferred languages, else to the
 * site's default (the attribute's value). Without JavaScript the root page is a plain list of links.
 * The choice is also kept in the cookie nf_lang, which Netlify's edge redirect of the
 * root reads before any page loads; other hosts ignore it, and this script never reads it. */
(function () {
  "use strict";
  var KEY = "sitegen:language";
  var YEAR = 365 * 24 * 60 * 60;

  /* The site's base path ("/" or "/sub/"), from this script's own address
     <base>assets/lang.js, so the cookie is sent for this site only. */
  var script = document.currentScript;
  var own = script ? /^(.*\/)assets\/[^\/]*$/.exec(new URL(script.src, location.href).pathname)
    : null;
  var BASE = own ? own[1] : "/";

  function remember(code) {
    try { localStorage.setItem(KEY, code); } catch (e) { /* storage off */ }
    try {
      document.cookie = "nf_lang=" + encodeURIComponent(code) + "; path=" + BASE +
        "; max-age=" + YEAR + "; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
    } catch (e) { /* cookies off */ }
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-lang]") : null;
    if (!link) return;
    remember(link.getAttribute("data-lang"));
  });

  if (!document.documentElement.hasAttribute("data-language-chooser")) return;

  var links = {};
  var available = [];
  Array.prototype.forEach.call(
    document.querySelectorAll(".language-list a[data-lang]"),
    function (a) {
      var code = a.getAttribute("data-lang");
      links[code.toLowerCase()] = a.href;
      available.push(code.toLowerCase());
    }
  );
  if (!available.length) return;

  function best(preferred) {
    var i, tag, primary, j;
    for (i = 0; i < preferred.length; i++) {          /* exact tag: pt-br */
      tag = String(preferred[i]).toLowerCase();
      if (links[tag]) return tag;
    }
    for (i = 0; i < preferred.length; i++) {          /* same language: ko-kr -> ko */
      primary = String(preferred[i]).toLowerCase().split("-")[0];
      if (links[primary]) return primary;
      for (j = 0; j < available.length; j++) {        /* zh -> zh-hant */
        if (available[j].split("-")[0] === primary) return available[j];
      }
    }
    return null;
  }

  var stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { /* storage off */ }
  var preferred = navigator.languages && navigator.languages.length
    ? navigator.languages : [navigator.language || ""];
  var remembered = stored && links[stored.toLowerCase()] ? stored.toLowerCase() : null;
  if (remembered) remember(stored);  /* a choice made before the cookie existed reaches it */
  var fallback = (document.documentElement.getAttribute("data-language-chooser") || "")
    .toLowerCase();
  var choice = remembered || best(preferred) || (links[fallback] ? fallback : available[0]);
  window.location.replace(links[choice]);
})();
