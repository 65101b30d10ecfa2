// ssg-coord default theme: dark-mode toggle, the sidebar menu on narrow screens, and closing
// the version menu. No dependencies. The inline script in <head> has already applied a stored
// theme choice and added the `js` class to <html>.
(function () {
  "use strict";

  var root = document.documentElement;
  var STORAGE_KEY = "ssg-theme";
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function effectiveTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "dark" || chosen === "light") return chosen;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  // Dark-mode toggle: flips the effective theme and remembers the choice.
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    var syncToggle = function () {
      toggle.setAttribute("aria-pressed", effectiveTheme() === "dark" ? "true" : "false");
    };
    syncToggle();
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", syncToggle);
    toggle.addEventListener("click", function () {
      var next = effectiveTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch (e) {
        // Storage can be disabled; the choice then lasts for this page only.
      }
      syncToggle();
    });
  }

  // Sidebar behind the menu button on narrow screens.
  var menuButton = document.querySelector(".menu-button");
  var sidebar = document.getElementById("sidebar");
  if (menuButton && sidebar) {
    var setOpen = function (open) {
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
      document.body.classList.toggle("sidebar-open", open);
      if (open) {
        var target = sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector("a");
        if (target) target.focus();
      }
    };
    menuButton.addEventListener("click", function () {
      setOpen(menuButton.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && document.body.classList.contains("sidebar-open")) {
        setOpen(false);
        menuButton.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (
        document.body.classList.contains("sidebar-open") &&
        !sidebar.contains(event.target) &&
        !menuButton.contains(event.target)
      ) {
        setOpen(false);
      }
    });
  }

  // The version menu is a <details>: close it on Escape or a click elsewhere.
  var versions = document.querySelector("details.versions");
  if (versions) {
    document.addEventListener("click", function (event) {
      if (versions.open && !versions.contains(event.target)) versions.open = false;
    });
    versions.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && versions.open) {
        versions.open = false;
        var summary = versions.querySelector("summary");
        if (summary) summary.focus();
      }
    });
  }
})();
