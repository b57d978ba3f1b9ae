/* site-builder: the large-text mode switch, print buttons and the printed page's address.
 *
 * Loaded in <head> without defer, so that a remembered large-text mode is on before the page
 * is first drawn (no flash of the normal mode; no inline script needed).  Everything here is
 * an extra: without JavaScript the switch and the print buttons stay hidden, the page follows
 * the system's "more contrast" setting, and the browser's own zoom and print still work.
 */
(function () {
  "use strict";
  var KEY = "site-builder:mode";
  var LARGE = "large";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (e) { // storage refused (privacy settings, some file:// pages)
      return null;
    }
  }

  function store(mode) {
    try {
      if (mode) {
        window.localStorage.setItem(KEY, mode);
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) {
      // not remembered; the switch still works on this page
    }
  }

  function apply(large) {
    root.classList.toggle("mode-large", large);
    var switches = document.querySelectorAll("[data-mode-switch]");
    for (var i = 0; i < switches.length; i += 1) {
      switches[i].setAttribute("aria-pressed", large ? "true" : "false");
    }
  }

  apply(stored() === LARGE);

  function ready() {
    var switches = document.querySelectorAll("[data-mode-switch]");
    for (var i = 0; i < switches.length; i += 1) {
      switches[i].hidden = false;
      switches[i].addEventListener("click", function () {
        var large = !root.classList.contains("mode-large");
        apply(large);
        store(large ? LARGE : null);
      });
    }
    apply(root.classList.contains("mode-large"));

    var prints = document.querySelectorAll("[data-print]");
    for (var j = 0; j < prints.length; j += 1) {
      var item = prints[j].closest("[data-print-item]") || prints[j];
      item.hidden = false;
      prints[j].addEventListener("click", function () {
        window.print();
      });
    }

    // Printed pages name their address: the site's own (base_url) when the build knew it,
    // else where the page was opened from.
    var address = root.getAttribute("data-print-address") || "";
    if (!/^[a-z]+:/i.test(address)) {
      root.setAttribute("data-print-address", window.location.href.split("#")[0]);
    }
  }

  // The mode chosen in another tab of the same site applies here too.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      apply(event.newValue === LARGE);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
