// ssg-coord default theme: the search box. No dependencies.
//
// Expects in the page:
//   <div class="search" data-search-index="HREF" data-base-path="/docs" [data-version="2.x"]>
//     <input class="search-input" aria-controls="search-results" ...>
//     <ul id="search-results" role="listbox" hidden></ul>
//     <p id="search-status" role="status"></p>
//   </div>
// HREF is the index manifest (`search/manifest.json`). Queries run in a Web Worker
// (`assets/search-worker.js`, beside this script), which downloads only the parts of the
// index a query needs; typing never waits for it, and answers to outdated queries are
// dropped. Facet buttons filter by kind (guide, API, CLI) and version; a versioned page
// searches its own version until the reader picks another.
(function () {
  "use strict";

  var container = document.querySelector(".search[data-search-index]");
  if (!container || typeof Worker === "undefined") return;
  var input = container.querySelector(".search-input");
  var list = container.querySelector(".search-results");
  var status = container.querySelector("#search-status");
  if (!input || !list) return;

  var script = document.currentScript || document.querySelector('script[src$="search.js"]');
  var workerUrl = script ? new URL("search-worker.js", script.src).href : null;
  var manifestUrl = new URL(container.getAttribute("data-search-index"), document.baseURI).href;
  var basePath = (container.getAttribute("data-base-path") || "").replace(/\/+$/, "");
  var filters = { version: container.getAttribute("data-version") || "", kind: "" };
  var KIND_LABELS = { guide: "Guide", api: "API", cli: "CLI" };
  var TYPE_LABELS = { api: "API", heading: "Section", page: "" };

  var engine = null;
  var lastId = 0;
  var results = [];
  var activeIndex = -1;

  function announce(message) {
    if (status) status.textContent = message;
  }

  function start() {
    if (engine || !workerUrl) return engine;
    engine = new Worker(workerUrl);
    engine.onmessage = function (event) {
      var answer = event.data || {};
      if (answer.id !== lastId) return; // an outdated query
      if (answer.type === "error") showMessage("The search index could not be loaded.");
      else render(answer);
    };
    return engine;
  }

  function search() {
    var query = input.value.trim();
    if (!query) {
      close();
      return;
    }
    if (!start()) return;
    lastId += 1;
    engine.postMessage({
      type: "query",
      id: lastId,
      query: input.value,
      version: filters.version,
      kind: filters.kind,
      manifest: manifestUrl,
      basePath: basePath,
    });
  }

  function facetBar(answer) {
    var item = document.createElement("li");
    item.className = "search-facets";
    var kinds = Object.keys(answer.facets.kinds).sort();
    var addButton = function (label, pressed, onClick) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "search-facet";
      button.textContent = label;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the box
      });
      button.addEventListener("click", function () {
        onClick();
        search();
        input.focus();
      });
      item.appendChild(button);
    };
    if (kinds.length > 1 || filters.kind) {
      addButton("All", !filters.kind, function () {
        filters.kind = "";
      });
      kinds.forEach(function (kind) {
        addButton((KIND_LABELS[kind] || kind) + " " + answer.facets.kinds[kind], filters.kind === kind, function () {
          filters.kind = kind;
        });
      });
    }
    var versions = Object.keys(answer.facets.versions);
    if (versions.length > 1 || filters.version) {
      var select = document.createElement("select");
      select.className = "search-version";
      select.setAttribute("aria-label", "Version");
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "All versions";
      select.appendChild(all);
      if (filters.version && versions.indexOf(filters.version) === -1) versions.push(filters.version);
      versions.forEach(function (version) {
        var option = document.createElement("option");
        option.value = version;
        option.textContent = version + (answer.facets.versions[version] ? " (" + answer.facets.versions[version] + ")" : "");
        option.selected = version === filters.version;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        filters.version = select.value;
        search();
        input.focus();
      });
      item.appendChild(select);
    }
    return item.childNodes.length ? item : null;
  }

  function render(answer) {
    results = answer.results;
    list.textContent = "";
    activeIndex = -1;
    input.removeAttribute("aria-activedescendant");
    var facets = facetBar(answer);
    if (facets) list.appendChild(facets);
    if (!results.length) {
      appendMessage("No results for “" + input.value.trim() + "”.");
      open();
      return;
    }
    results.forEach(function (hit, i) {
      var item = document.createElement("li");
      item.id = "search-result-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.href = hit.url;
      link.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "search-result-title";
      title.textContent = hit.page ? hit.page + " › " + hit.title : hit.title;
      var meta = document.createElement("span");
      meta.className = "search-result-meta";
      meta.textContent = [TYPE_LABELS[hit.type] || KIND_LABELS[hit.kind] || hit.kind, hit.section, hit.version]
        .filter(Boolean)
        .join(" · ");
      link.appendChild(title);
      link.appendChild(meta);
      var summary = document.createElement("span");
      summary.className = "search-result-summary";
      hit.snippet.forEach(function (part) {
        if (part[1]) {
          var mark = document.createElement("mark");
          mark.textContent = part[0];
          summary.appendChild(mark);
        } else {
          summary.appendChild(document.createTextNode(part[0]));
        }
      });
      if (summary.textContent) link.appendChild(summary);
      item.appendChild(link);
      item.addEventListener("mousemove", function () {
        setActive(i);
      });
      list.appendChild(item);
    });
    open();
    if (answer.anyWord) {
      var note = document.createElement("li");
      note.className = "search-empty search-note";
      note.textContent = "No page has every word; pages with some of them:";
      list.insertBefore(note, list.querySelector('[role="option"]'));
    }
    var total = answer.total + (answer.atLeast ? "+" : "");
    announce(
      (answer.anyWord ? "No page has every word. " : "") +
        (answer.total > results.length || answer.atLeast
          ? "Showing " + results.length + " of " + total + " results."
          : results.length + (results.length === 1 ? " result." : " results."))
    );
  }

  function appendMessage(message) {
    var item = document.createElement("li");
    item.className = "search-empty";
    item.textContent = message;
    list.appendChild(item);
    announce(message);
  }

  function showMessage(message) {
    results = [];
    list.textContent = "";
    appendMessage(message);
    open();
  }

  function open() {
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    activeIndex = -1;
  }

  function setActive(index) {
    var items = list.querySelectorAll('[role="option"]');
    if (!items.length) return;
    activeIndex = (index + items.length) % items.length;
    for (var i = 0; i < items.length; i++) {
      items[i].setAttribute("aria-selected", i === activeIndex ? "true" : "false");
    }
    input.setAttribute("aria-activedescendant", items[activeIndex].id);
    items[activeIndex].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("focus", function () {
    start();
    if (input.value.trim()) search();
  });
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden) search();
      setActive(activeIndex + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(activeIndex - 1);
    } else if (event.key === "Enter") {
      var links = list.querySelectorAll('[role="option"] a');
      var chosen = links[activeIndex >= 0 ? activeIndex : 0];
      if (chosen && !list.hidden) {
        event.preventDefault();
        window.location.href = chosen.href;
      }
    } else if (event.key === "Escape") {
      if (!list.hidden) {
        close();
      } else {
        input.value = "";
        input.blur();
      }
    }
  });
  container.addEventListener("focusout", function (event) {
    if (!container.contains(event.relatedTarget)) close();
  });

  // "/" focuses the search box, unless the reader is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
})();
