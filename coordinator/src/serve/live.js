// ssg-coord live reload. The dev server adds a tag loading this script to every HTML
// response (never to the files on disk). It listens to /__ssg/events and
// - reloads the page when a rebuild changed it (or changed an asset every page may use),
// - swaps stylesheets in place when only CSS changed,
// - shows build errors (file:line, message, hint) in an overlay until a build succeeds,
// - reconnects when the server restarts, and reloads if the page it shows is stale,
// - closes its stream when the page is left (pagehide) and opens a new one when the
//   back/forward cache shows the page again (pageshow, persisted), so a page restored from
//   the cache learns at once whether it is stale and keeps getting reloads.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__ssgLiveReload) {
    return;
  }
  window.__ssgLiveReload = true;

  var served = {
    server: script.getAttribute("data-ssg-server"),
    build: Number(script.getAttribute("data-ssg-build")),
    page: script.getAttribute("data-ssg-page") || "",
    // This is the error document of a page that failed: reload once the build is good.
    failed: script.hasAttribute("data-ssg-failed")
  };

  function normalize(path) {
    try {
      path = decodeURI(path);
    } catch (error) {
      // A malformed escape: compare the path as it is.
    }
    return path.replace(/\/index\.html$/, "/");
  }

  var here = [normalize(location.pathname), normalize(served.page)];

  function showsAny(pages) {
    return pages.some(function (page) {
      return here.indexOf(normalize(page)) !== -1;
    });
  }

  function swapStylesheets(paths, build) {
    var links = Array.prototype.slice.call(
      document.querySelectorAll('link[rel~="stylesheet"]')
    );
    var wanted = paths.map(normalize);
    var matching = links.filter(function (link) {
      var url = new URL(link.href, location.href);
      return url.origin === location.origin && wanted.indexOf(normalize(url.pathname)) !== -1;
    });
    // A stylesheet may be pulled in by @import: when none matches by name, refresh all.
    (matching.length ? matching : links).forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("ssg-reload", String(build));
      // Load the new sheet beside the old one and drop the old one once it applied, so
      // the page never shows unstyled.
      var fresh = link.cloneNode(false);
      fresh.href = url.href;
      fresh.addEventListener("load", function () {
        link.remove();
      });
      fresh.addEventListener("error", function () {
        link.remove();
      });
      link.after(fresh);
    });
  }

  var overlay = null;

  function hideErrors() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function place(error) {
    if (!error.file) {
      return "site";
    }
    return error.line ? error.file + ":" + error.line : error.file;
  }

  // The overlay lives in a shadow root, so the page's stylesheets cannot restyle it (a
  // theme's `pre` or `button` rules) and its rules cannot leak into the page.
  var OVERLAY_CSS =
    ":host{all:initial}" +
    ".panel{position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
    "padding:2rem;background:rgba(18,18,22,.97);color:#eee;text-align:left;" +
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}" +
    "h2{margin:0 0 .25rem;font:inherit;font-size:1.25rem;font-weight:bold;color:#ff6b6b}" +
    "p{margin:0 0 1.5rem;color:#aaa}" +
    "section{margin:0 0 1.25rem;border-left:3px solid #ff6b6b;padding-left:1rem}" +
    ".where{color:#ffd866;font-weight:bold}" +
    ".message{margin:.25rem 0;padding:0;white-space:pre-wrap;font:inherit;color:#eee;" +
    "background:none;border:0}" +
    ".hint{color:#8fd694}" +
    "button{position:absolute;top:1rem;right:1rem;font:inherit;font-size:1.25rem;" +
    "background:none;border:0;color:#aaa;cursor:pointer}";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function showErrors(errors) {
    hideErrors();
    if (!errors.length) {
      return;
    }
    overlay = document.createElement("ssg-error-overlay");
    overlay.setAttribute("role", "alert");
    var root = overlay.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = OVERLAY_CSS;
    root.appendChild(style);
    var panel = element("div", "panel");
    root.appendChild(panel);
    var close = element("button", "", "\u00d7");
    close.title = "Hide (it comes back on the next failed build)";
    close.addEventListener("click", hideErrors);
    panel.appendChild(close);
    panel.appendChild(
      element("h2", "", "Build failed: " + errors.length + (errors.length === 1 ? " error" : " errors"))
    );
    panel.appendChild(
      element(
        "p",
        "",
        "The last good version of the site is still served. Fix the file and save: " +
          "this overlay goes away by itself."
      )
    );
    errors.forEach(function (error) {
      var item = element("section", "error");
      item.appendChild(element("div", "where", place(error)));
      item.appendChild(element("pre", "message", error.message));
      if (error.hint) {
        item.appendChild(element("div", "hint", "hint: " + error.hint));
      }
      panel.appendChild(item);
    });
    (document.body || document.documentElement).appendChild(overlay);
  }

  function data(event) {
    var parsed = JSON.parse(event.data);
    if (typeof parsed.build === "number") {
      served.build = parsed.build;
    }
    return parsed;
  }

  function changed(event) {
    var change = data(event);
    if (change.all || showsAny(change.pages || [])) {
      location.reload();
    } else if (change.stylesheets && change.stylesheets.length) {
      swapStylesheets(change.stylesheets, change.build);
    }
  }

  var source = null;

  function connect() {
    if (source) {
      source.close();
    }
    var current = new EventSource("/__ssg/events");
    source = current;
    current.addEventListener("hello", function (event) {
      var hello = JSON.parse(event.data);
      // A restarted server, or a build finished while this page loaded or sat in the
      // back/forward cache: it may be stale.
      if (hello.server !== served.server || hello.build !== served.build) {
        location.reload();
      }
    });
    current.addEventListener("errors", function (event) {
      showErrors(data(event).errors || []);
    });
    current.addEventListener("ok", function (event) {
      data(event);
      if (served.failed) {
        location.reload();
        return;
      }
      hideErrors();
    });
    current.addEventListener("reload", changed);
    current.addEventListener("css", changed);
    current.addEventListener("error", function () {
      // The browser retries an interrupted stream by itself; once it has given up (the
      // server answered with an error), try again a little later.
      if (current.readyState === EventSource.CLOSED && source === current) {
        current.close();
        setTimeout(function () {
          if (source === current) {
            connect();
          }
        }, 1000);
      }
    });
  }

  // Leaving the page closes its stream, so the server does not hold it while the page sits
  // in the back/forward cache (an open stream can also keep a page out of that cache).
  window.addEventListener("pagehide", function () {
    if (source) {
      source.close();
      source = null;
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      connect();
    }
  });

  connect();
})();
