/* deckgen serve: reload the page after every good build; show a failed build's problems over it.
   Served by `deckgen serve` only, never copied into a built deck. The server sends its state as
   server-sent events: {build, ok, problems: [{text, severity, ...}]}. */
(function () {
  "use strict";
  var OVERLAY_ID = "deckgen-problems";
  var script = document.currentScript;
  var pageBuild = (script && script.getAttribute("data-build")) || "";

  function clearOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.parentNode.removeChild(old);
  }

  function line(text, css) {
    var element = document.createElement("div");
    element.textContent = text;  /* problems are text, never HTML */
    element.style.cssText = css;
    return element;
  }

  function showOverlay(problems) {
    clearOverlay();
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
      "padding:32px 40px;background:rgba(24,24,24,.94);color:#f4f4f4;text-align:left;" +
      "font:18px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap";
    box.appendChild(line("deckgen: the deck does not build. Fix it and save: this page reloads by itself.",
      "color:#ff9b9b;font-weight:bold;margin-bottom:16px"));
    problems.forEach(function (problem) {
      box.appendChild(line(problem.text, problem.severity === "error" ? "color:#ffd0d0" : "color:#ffe9a8"));
    });
    document.body.appendChild(box);
  }

  function onState(event) {
    var state = JSON.parse(event.data);
    if (!state.ok) {
      showOverlay(state.problems);
    } else if (state.build !== pageBuild) {
      window.location.reload();
    } else {
      clearOverlay();
    }
  }

  if (window.EventSource) {
    new EventSource("_deckgen/events").addEventListener("state", onState);
  }
})();
