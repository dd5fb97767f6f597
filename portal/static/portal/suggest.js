/*
 * Glossary suggestions for search boxes, as an ARIA 1.2 combobox: the input
 * owns a listbox popup, arrow keys move through the options, Enter opens the
 * highlighted term, Escape closes the list. Without this script the box is a
 * plain form that submits to the results page.
 */
(function () {
  "use strict";

  var DELAY_MS = 120;

  function setUp(input, number) {
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var options = [];
    var active = -1;
    var timer = null;
    var pending = null;

    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(results) {
      list.textContent = "";
      options = results.map(function (result, i) {
        var element = document.createElement("li");
        var name = document.createElement("span");
        var kind = document.createElement("span");
        element.id = listId + "-" + i;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        var inDefinition = result.matched_in === "definition";
        name.className = "suggestion-name";
        name.textContent = !inDefinition && result.matched
          && result.matched !== result.name && result.matched.length < 60
          ? result.matched + " \u2192 " + result.name
          : result.name;
        kind.className = "kind";
        kind.textContent = " " + result.kind;
        element.appendChild(name);
        element.appendChild(kind);
        if (inDefinition) {
          // Say why a term whose name does not match is offered at all.
          var note = document.createElement("span");
          note.className = "match-note";
          note.textContent = " found in its definition";
          element.appendChild(note);
        }
        element.addEventListener("mousedown", function (event) {
          // Keep focus in the input until the page changes.
          event.preventDefault();
          window.location.assign(result.url);
        });
        list.appendChild(element);
        return { element: element, result: result };
      });
      active = -1;
      var count = options.length;
      status.textContent = count
        ? count + (count === 1 ? " suggestion" : " suggestions") + ", use the arrow keys to choose"
        : "";
      if (count) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (!query) {
        show([]);
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 429) {
            // Too many requests from this reader for now: the suggestions
            // shown stay, and Enter still searches.
            return null;
          }
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (data && input.value.trim() === query) {
            show(data.results || []);
          }
        })
        .catch(function () {
          /* An aborted or failed request leaves the plain form working. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          fetchSuggestions();
          return;
        }
        highlight(active + 1 < options.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active > 0 ? active - 1 : options.length - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          window.location.assign(options[active].result.url);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  Array.prototype.forEach.call(
    document.querySelectorAll("input[data-suggest-url]"),
    setUp
  );
})();
