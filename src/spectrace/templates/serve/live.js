// Served by `spectrace serve` (never part of a built site): reload this page when a new build
// of the site is in place; show the error line of a build that failed.
(function () {
  "use strict";
  var script = document.currentScript;
  var after = Number(script.getAttribute("data-build")) || 0;
  if (script.getAttribute("data-ok") === "0") {
    after -= 1; // the latest build failed: its news, asked for at once, shows its error
  }
  var banner = null;

  function show(message) {
    if (banner === null) {
      banner = document.createElement("div");
      banner.setAttribute("role", "alert");
      banner.id = "spectrace-live-error";
      banner.style.cssText =
        "position:fixed;left:0;right:0;bottom:0;z-index:1000;padding:0.6em 1em;" +
        "background:#8b0000;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap";
      document.body.appendChild(banner);
    }
    banner.textContent = "The last build failed; this is the previous site.\n" + message;
  }

  function poll() {
    fetch("/_spectrace/build?after=" + after, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.build > after) {
          if (state.ok) {
            window.location.reload();
            return;
          }
          after = state.build;
          show(state.message);
        }
        poll();
      })
      .catch(function () { window.setTimeout(poll, 2000); }); // the server stopped, or restarts
  }
  poll();
})();
