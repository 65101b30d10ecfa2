// ssg-coord default theme: client-side search. No dependencies.
//
// Expects in the page:
//   <div class="search" data-search-index="HREF" data-base-path="/docs" [data-version="2.x"]>
//     <input class="search-input" aria-controls="search-results" ...>
//     <ul id="search-results" role="listbox" hidden></ul>
//     <p id="search-status" role="status"></p>
//   </div>
// The index (fetched on first focus) is
//   {"version": 1, "pages": [{"title", "url", "kind", "section", "version", "tags",
//                             "headings", "summary"}]}
// with site-absolute `url`s that do not include the base path. Every query word must match
// the title, a heading, a tag or the summary; matches rank in that order.
(function () {
  "use strict";

  var container = document.querySelector(".search[data-search-index]");
  if (!container) return;
  var input = container.querySelector(".search-input");
  var list = container.querySelector(".search-results");
  var status = container.querySelector("#search-status");
  if (!input || !list) return;

  var indexHref = container.getAttribute("data-search-index");
  var basePath = (container.getAttribute("data-base-path") || "").replace(/\/+$/, "");
  var currentVersion = container.getAttribute("data-version") || "";
  var MAX_RESULTS = 10;
  var KIND_LABELS = { content: "Page", autodoc: "API", generated: "Index" };

  var pages = null; // prepared index, once loaded
  var loading = null; // the pending fetch
  var results = [];
  var activeIndex = -1;

  function normalize(text) {
    return String(text == null ? "" : text)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  function announce(message) {
    if (status) status.textContent = message;
  }

  // Headings may be plain strings or {text, id, level} objects.
  function prepareHeading(heading) {
    if (heading && typeof heading === "object") {
      return { text: String(heading.text || ""), id: heading.id ? String(heading.id) : "", norm: normalize(heading.text) };
    }
    return { text: String(heading || ""), id: "", norm: normalize(heading) };
  }

  function prepare(data) {
    var raw = data && Array.isArray(data.pages) ? data.pages : [];
    return raw.map(function (page) {
      var tags = Array.isArray(page.tags) ? page.tags.map(String) : [];
      return {
        title: String(page.title || page.url || ""),
        url: String(page.url || "/"),
        kind: String(page.kind || ""),
        section: page.section ? String(page.section) : "",
        version: page.version ? String(page.version) : "",
        summary: String(page.summary || ""),
        titleNorm: normalize(page.title),
        headings: (Array.isArray(page.headings) ? page.headings : []).map(prepareHeading),
        tagsNorm: tags.map(normalize),
        summaryNorm: normalize(page.summary),
      };
    });
  }

  function load() {
    if (pages || loading) return loading;
    announce("Loading the search index…");
    loading = fetch(indexHref, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        pages = prepare(data);
        announce("");
        if (input.value.trim()) search();
      })
      .catch(function () {
        loading = null;
        showMessage("The search index could not be loaded.");
      });
    return loading;
  }

  // True when `word` starts a word of `text` (both normalized).
  function startsWord(text, word) {
    var at = text.indexOf(word);
    while (at !== -1) {
      if (at === 0 || /[^a-z0-9]/.test(text.charAt(at - 1))) return true;
      at = text.indexOf(word, at + 1);
    }
    return false;
  }

  // Scores one page for the query words; 0 when a word matches nowhere.
  function score(page, words, query) {
    var total = 0;
    var heading = null;
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      var best = 0;
      if (page.titleNorm.indexOf(word) !== -1) {
        best = startsWord(page.titleNorm, word) ? 120 : 100;
      } else {
        for (var h = 0; h < page.headings.length; h++) {
          if (page.headings[h].norm.indexOf(word) !== -1) {
            best = startsWord(page.headings[h].norm, word) ? 36 : 30;
            if (!heading) heading = page.headings[h];
            break;
          }
        }
        if (!best) {
          for (var t = 0; t < page.tagsNorm.length; t++) {
            if (page.tagsNorm[t].indexOf(word) !== -1) {
              best = 20;
              break;
            }
          }
        }
        if (!best && page.summaryNorm.indexOf(word) !== -1) best = 5;
      }
      if (!best) return null;
      total += best;
    }
    if (page.titleNorm === query) total += 200;
    if (currentVersion && page.version === currentVersion) total += 3;
    return { page: page, score: total, heading: heading };
  }

  function href(page, heading) {
    var url = /^[a-z][a-z0-9+.-]*:/i.test(page.url) ? page.url : basePath + page.url;
    return heading && heading.id ? url + "#" + encodeURIComponent(heading.id) : url;
  }

  function search() {
    var query = normalize(input.value).trim();
    if (!query) {
      close();
      return;
    }
    if (!pages) {
      load();
      return;
    }
    var words = query.split(/\s+/);
    var found = [];
    for (var i = 0; i < pages.length; i++) {
      var hit = score(pages[i], words, query);
      if (hit) found.push(hit);
    }
    found.sort(function (a, b) {
      if (b.score !== a.score) return b.score - a.score;
      if (a.page.title !== b.page.title) return a.page.title < b.page.title ? -1 : 1;
      return a.page.url < b.page.url ? -1 : a.page.url > b.page.url ? 1 : 0;
    });
    results = found.slice(0, MAX_RESULTS);
    render(found.length);
  }

  function render(totalFound) {
    list.textContent = "";
    activeIndex = -1;
    input.removeAttribute("aria-activedescendant");
    if (!results.length) {
      showMessage("No results for “" + input.value.trim() + "”.");
      return;
    }
    results.forEach(function (hit, i) {
      var item = document.createElement("li");
      item.id = "search-result-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.href = href(hit.page, hit.heading);
      link.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "search-result-title";
      title.textContent = hit.heading ? hit.page.title + " › " + hit.heading.text : hit.page.title;
      var meta = document.createElement("span");
      meta.className = "search-result-meta";
      meta.textContent = [KIND_LABELS[hit.page.kind] || hit.page.kind, hit.page.section, hit.page.version]
        .filter(Boolean)
        .join(" · ");
      link.appendChild(title);
      link.appendChild(meta);
      if (hit.page.summary) {
        var summary = document.createElement("span");
        summary.className = "search-result-summary";
        summary.textContent = hit.page.summary;
        link.appendChild(summary);
      }
      item.appendChild(link);
      item.addEventListener("mousemove", function () {
        setActive(i);
      });
      list.appendChild(item);
    });
    open();
    announce(
      totalFound > results.length
        ? "Showing " + results.length + " of " + totalFound + " results."
        : results.length + (results.length === 1 ? " result." : " results.")
    );
  }

  function showMessage(message) {
    results = [];
    list.textContent = "";
    var item = document.createElement("li");
    item.className = "search-empty";
    item.textContent = message;
    list.appendChild(item);
    open();
    announce(message);
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
    load();
    if (input.value.trim() && pages) search();
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
