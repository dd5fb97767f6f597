/*
 * "Copy" buttons for the citations of the "Cite this article" box. Each
 * copies its citation as plain text, and as HTML too where the browser
 * allows, so that APA's italic title survives a paste into a word
 * processor. Without this script the citations are plain selectable text.
 */
(function () {
  "use strict";

  function copied(text, html) {
    if (window.ClipboardItem && navigator.clipboard.write) {
      return navigator.clipboard.write([
        new window.ClipboardItem({
          "text/plain": new Blob([text], { type: "text/plain" }),
          "text/html": new Blob([html], { type: "text/html" }),
        }),
      ]);
    }
    return navigator.clipboard.writeText(text);
  }

  function setUp(box) {
    var status = document.createElement("p");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    box.querySelectorAll(".citation[data-style]").forEach(function (citation) {
      var style = citation.getAttribute("data-style");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-citation";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy " + style + " citation");
      button.addEventListener("click", function () {
        var text = citation.textContent.replace(/\s+/g, " ").trim();
        copied(text, citation.innerHTML).then(
          function () {
            status.textContent = style + " citation copied.";
          },
          function () {
            status.textContent = "Could not copy: select the " + style +
              " citation and copy it.";
          }
        );
      });
      citation.insertAdjacentElement("afterend", button);
    });
    box.appendChild(status);
  }

  if (navigator.clipboard) {
    document.querySelectorAll(".cite-box").forEach(setUp);
  }
})();
