/*
 * Previews of glossary links (glossary/linking.py), as WCAG 1.4.13 asks of
 * content shown on hover or focus:
 *
 * - hoverable: the preview stays open while the pointer moves onto it;
 * - dismissible: Escape hides it, and it stays hidden until the pointer or
 *   focus leaves the link and comes back;
 * - persistent: it stays until then, or until focus or the pointer leaves.
 *
 * Each preview is placed below its link (above when there is no room
 * below) and moved sideways so that it never crosses an edge of the window.
 * On a touch screen, where nothing hovers, the first tap on a link opens
 * its preview instead of following the link; the preview then offers a
 * "Read more" link, a second tap on the link follows it, and a tap
 * elsewhere closes it. Screen readers keep reading the preview as the
 * link's description, and their users' taps follow the link at once.
 *
 * Without this script, portal/previews.css shows previews on hover and
 * focus.
 */
(function () {
  "use strict";

  var MARGIN = 8; // pixels kept between a preview and the window's edges
  var GAP = 4; // between a link and its preview
  var MAX_WIDTH_REM = 22; // as portal/previews.css
  // Time to move the pointer across the gap from a link to its preview.
  var CLOSE_DELAY_MS = 300;

  var entries = [];
  var shown = null;

  function clamp(value, low, high) {
    return Math.max(low, Math.min(value, high));
  }

  function place(entry) {
    var preview = entry.preview;
    var root = document.documentElement;
    var viewWidth = root.clientWidth;
    var viewHeight = root.clientHeight;
    var rem = parseFloat(getComputedStyle(root).fontSize) || 16;
    preview.style.maxWidth =
      Math.min(MAX_WIDTH_REM * rem, viewWidth - 2 * MARGIN) + "px";
    preview.style.left = "0px";
    preview.style.top = "0px";
    // Where the preview stands with no offset: the corner of the box it is
    // positioned in, whichever that is.
    var origin = preview.getBoundingClientRect();
    var anchor = entry.link.getClientRects()[0] || entry.link.getBoundingClientRect();
    var left = clamp(anchor.left, MARGIN, viewWidth - MARGIN - origin.width);
    var top = anchor.bottom + GAP;
    var above = anchor.top - GAP - origin.height;
    if (top + origin.height > viewHeight - MARGIN && above >= MARGIN) {
      top = above;
    }
    preview.style.left = left - origin.left + "px";
    preview.style.top = top - origin.top + "px";
  }

  function addMoreLink(entry) {
    if (entry.more) {
      return;
    }
    var name = entry.preview.querySelector("strong");
    var more = document.createElement("a");
    more.className = "term-preview-more";
    more.href = entry.link.href;
    more.textContent =
      "Read more about " + (name ? name.textContent : entry.link.textContent);
    entry.preview.appendChild(document.createElement("br"));
    entry.preview.appendChild(more);
    entry.more = more;
    // A tooltip holds no links: with one, the preview is a small non-modal
    // dialog, named by its term and controlled by the tapped link.
    entry.preview.setAttribute("role", "dialog");
    entry.preview.setAttribute("aria-label", entry.link.textContent);
    entry.link.setAttribute("aria-controls", entry.preview.id);
  }

  function removeMoreLink(entry) {
    if (entry.more) {
      entry.preview.removeChild(entry.more.previousSibling);
      entry.preview.removeChild(entry.more);
      entry.more = null;
      entry.preview.setAttribute("role", "tooltip");
      entry.preview.removeAttribute("aria-label");
      entry.link.removeAttribute("aria-controls");
    }
  }

  function hide(entry) {
    entry.wrapper.classList.remove("is-open");
    entry.link.removeAttribute("aria-expanded");
    removeMoreLink(entry);
    if (shown === entry) {
      shown = null;
    }
  }

  function show(entry) {
    if (shown && shown !== entry) {
      hide(shown);
    }
    if (entry.tapped) {
      addMoreLink(entry);
      entry.link.setAttribute("aria-expanded", "true");
    }
    entry.wrapper.classList.add("is-open");
    shown = entry;
    place(entry);
  }

  function update(entry) {
    var wanted = (entry.hovered || entry.focused || entry.tapped) && !entry.dismissed;
    if (wanted && (shown !== entry || (entry.tapped && !entry.more))) {
      show(entry);
    } else if (!wanted && shown === entry) {
      hide(entry);
    }
  }

  function setUp(wrapper) {
    var link = wrapper.querySelector(":scope > .term-link");
    var preview = wrapper.querySelector(":scope > .term-preview");
    if (!link || !preview) {
      return;
    }
    var entry = {
      wrapper: wrapper,
      link: link,
      preview: preview,
      more: null,
      hovered: false,
      focused: false,
      tapped: false,
      dismissed: false,
      timer: null,
      touchStartedOpen: null,
    };
    entries.push(entry);

    wrapper.addEventListener("pointerenter", function (event) {
      if (event.pointerType === "touch") {
        return;
      }
      clearTimeout(entry.timer);
      entry.hovered = true;
      update(entry);
    });
    wrapper.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "touch") {
        return;
      }
      clearTimeout(entry.timer);
      entry.timer = setTimeout(function () {
        entry.hovered = false;
        entry.dismissed = false;
        update(entry);
      }, CLOSE_DELAY_MS);
    });
    wrapper.addEventListener("focusin", function () {
      entry.focused = true;
      update(entry);
    });
    wrapper.addEventListener("focusout", function (event) {
      if (event.relatedTarget && wrapper.contains(event.relatedTarget)) {
        return;
      }
      // A tap on the preview's text takes focus from the link; a preview a
      // tap opened stays until a tap elsewhere or Escape.
      entry.focused = false;
      entry.dismissed = false;
      update(entry);
    });
    // A tap focuses the link before its click: whether the preview was open
    // is read when the finger comes down.
    link.addEventListener("pointerdown", function (event) {
      entry.touchStartedOpen =
        event.pointerType === "touch" ? shown === entry && !entry.dismissed : null;
    });
    link.addEventListener("click", function (event) {
      var startedOpen = entry.touchStartedOpen;
      entry.touchStartedOpen = null;
      if (startedOpen === false) {
        event.preventDefault();
        entry.tapped = true;
        entry.dismissed = false;
        update(entry);
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !shown) {
      return;
    }
    var entry = shown;
    if (entry.more && entry.more === document.activeElement) {
      entry.link.focus();
    }
    entry.dismissed = true;
    entry.tapped = false;
    update(entry);
  });

  document.addEventListener("pointerdown", function (event) {
    if (shown && shown.tapped && !shown.wrapper.contains(event.target)) {
      shown.tapped = false;
      update(shown);
    }
  });

  window.addEventListener("resize", function () {
    if (shown) {
      place(shown);
    }
  });

  document.querySelectorAll(".term").forEach(setUp);
  if (entries.length) {
    document.documentElement.classList.add("has-previews");
  }
})();
