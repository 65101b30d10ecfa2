// ssg-coord default theme: the search engine. Runs in a Web Worker started by search.js, so
// typing never waits for it. No dependencies.
//
// Reads the index under `search/` (coordinator/src/merge/search/mod.rs documents the
// files): the manifest first, then only the dictionary buckets of the query's words, the
// postings chunks of the terms they matched and the page chunks of the results shown, and
// for the first results the pages' `index.txt`, to cut snippets and check phrases.
//
// Messages in:  {type: "query", id, query, version, kind, manifest, basePath}
// Messages out: {type: "results", id, total, atLeast, anyWord, results: [{url, title, page,
//                kind, section, version, snippet: [[text, isMatch], …]}],
//                facets: {kinds, versions}, bytes}  or  {type: "error", id, message}
// `bytes` counts every byte this worker downloaded so far. `anyWord`: no page has every
// word, and the results have some of them. `atLeast`: `total` counts the results checked
// so far (a phrase is checked against pages' text in batches, until enough are found).
//
// Tokenizing mirrors worker/src/search_terms.rs (`fold`, `scanWords`, `splitParts`): keep
// them in step.
"use strict";

var FORMAT = 4;
var MAX_RESULTS = 10;
var SNIPPET_PAGES = 5; // results whose text is fetched for a snippet
var PHRASE_BATCH = 30; // candidates whose text is fetched at once to check a phrase
var PHRASE_CHECK_LIMIT = 300; // candidates checked at most for one query
var MAX_COMPLETIONS = 6;
var MAX_TYPOS = 6;
var PREFIX_WEIGHT = 0.7;
var TYPO_WEIGHT = 0.5;
var MIN_TERM_CHARS = 2;
var MAX_TERM_CHARS = 40;
var TYPO_MIN_CHARS = 5;

var bytesDownloaded = 0;
var downloads = new Map(); // url -> Promise of the parsed body
var manifests = new Map(); // manifest url -> Promise of {manifest, root, buckets}

// --- Tokenizing (same rules as search_terms.rs) -----------------------------------------

var ALNUM = /[\p{Alphabetic}\p{N}]/u;
var WORD_CHAR = /[\p{Alphabetic}\p{N}_]/u;
var UPPER = /\p{Uppercase}/u;
// Same ranges as `is_cjk` in search_terms.rs.
var CJK = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9d\u{20000}-\u{2ffff}]/u;
var LOWER = /\p{Lowercase}/u;

function fold(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/ς/g, "σ").replace(/ß/g, "ss");
}

function chars(text) {
  return Array.from(text);
}

function isCjk(c) {
  return CJK.test(c);
}

// Words of `text` as {word, start, end, cjk} (UTF-16 offsets): runs of letters, digits and
// `_`, with `.` kept between two letters or digits; a run of CJK characters is a word of
// its own.
function scanWords(text) {
  var words = [];
  var cs = chars(text);
  var offset = 0;
  var i = 0;
  while (i < cs.length) {
    if (!WORD_CHAR.test(cs[i])) {
      offset += cs[i].length;
      i++;
      continue;
    }
    var start = offset;
    var word = "";
    var previousAlnum = false;
    var cjk = isCjk(cs[i]);
    while (i < cs.length) {
      var c = cs[i];
      if (isCjk(c) !== cjk) break;
      if (WORD_CHAR.test(c)) {
        previousAlnum = ALNUM.test(c);
      } else if (c === "." && previousAlnum && i + 1 < cs.length && ALNUM.test(cs[i + 1]) && isCjk(cs[i + 1]) === cjk) {
        previousAlnum = false;
      } else {
        break;
      }
      word += c;
      offset += c.length;
      i++;
    }
    words.push({ word: word, start: start, end: offset, cjk: cjk });
  }
  return words;
}

// Parts of a word: split at `.`, `_` and camel case.
function splitParts(word) {
  var parts = [];
  word.split(/[._]/).forEach(function (piece) {
    if (!piece) return;
    var cs = chars(piece);
    var current = cs[0];
    for (var i = 1; i < cs.length; i++) {
      var lowerToUpper = LOWER.test(cs[i - 1]) && UPPER.test(cs[i]);
      var acronymEnd = UPPER.test(cs[i - 1]) && UPPER.test(cs[i]) && i + 1 < cs.length && LOWER.test(cs[i + 1]);
      if (lowerToUpper || acronymEnd) {
        parts.push(current);
        current = "";
      }
      current += cs[i];
    }
    parts.push(current);
  });
  return parts;
}

function keepTerm(term) {
  var n = chars(term).length;
  return n >= MIN_TERM_CHARS && n <= MAX_TERM_CHARS;
}

// The terms of a run of CJK characters: every two neighbours, or the one character.
function pairsOf(run) {
  var cs = chars(run);
  if (cs.length < 2) return cs.length ? [run] : [];
  var pairs = [];
  for (var i = 0; i + 1 < cs.length; i++) pairs.push(cs[i] + cs[i + 1]);
  return pairs;
}

// {parts: folded parts kept, whole: the folded whole word when it has several parts}
function termsOfWord(word) {
  if (isCjk(chars(word)[0] || "")) return { parts: pairsOf(word), whole: null };
  var raw = splitParts(word);
  var parts = raw.map(fold).filter(keepTerm);
  var whole = raw.length > 1 ? fold(word) : null;
  return { parts: parts, whole: whole && keepTerm(whole) ? whole : null };
}

// Optimal string alignment distance, stopping early above 1.
function withinOneEdit(a, b) {
  if (a === b) return true;
  var x = chars(a);
  var y = chars(b);
  if (Math.abs(x.length - y.length) > 1) return false;
  var i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  var restX = x.slice(i);
  var restY = y.slice(i);
  var same = function (p, q) {
    return p.join("") === q.join("");
  };
  if (x.length === y.length) {
    if (same(restX.slice(1), restY.slice(1))) return true; // substitution
    return restX.length > 1 && restX[0] === restY[1] && restX[1] === restY[0] && same(restX.slice(2), restY.slice(2)); // swap
  }
  return x.length > y.length ? same(restX.slice(1), restY) : same(restX, restY.slice(1));
}

// --- Downloads ---------------------------------------------------------------------------

function download(url, as) {
  var pending = downloads.get(url);
  if (pending) return pending;
  pending = fetch(url, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) {
      if (as === "text-optional") return null;
      throw new Error("HTTP " + response.status + " for " + url);
    }
    return response.arrayBuffer().then(function (buffer) {
      bytesDownloaded += buffer.byteLength;
      if (as === "bytes") return new Uint8Array(buffer);
      var text = new TextDecoder().decode(buffer);
      return as === "json" ? JSON.parse(text) : text;
    });
  });
  pending.catch(function () {
    downloads.delete(url);
  });
  downloads.set(url, pending);
  return pending;
}

function openIndex(manifestUrl) {
  var open = manifests.get(manifestUrl);
  if (open) return open;
  open = download(manifestUrl, "json").then(function (manifest) {
    if (!manifest || manifest.format !== FORMAT) throw new Error("unknown search index format");
    var buckets = new Map();
    manifest.buckets.forEach(function (prefix, n) {
      buckets.set(prefix, n);
    });
    return { manifest: manifest, root: new URL(".", manifestUrl).href, buckets: buckets };
  });
  manifests.set(manifestUrl, open);
  return open;
}

// A bucket's file name: FNV-1a (64 bits) of the prefix's UTF-8 bytes in 16 hex digits, as
// `bucket_name` in coordinator/src/merge/search/layout.rs.
function bucketName(prefix) {
  var hash = 0xcbf29ce484222325n;
  new TextEncoder().encode(prefix).forEach(function (byte) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  });
  return hash.toString(16).padStart(16, "0");
}

// The dictionary bucket holding `term`: {terms: [{term, count, chunk}], byTerm: Map}, or null.
function bucketFor(index, term) {
  var cs = chars(term);
  // One character: a lone CJK character is a term (and its own bucket) too.
  for (var n = Math.min(cs.length, MAX_TERM_CHARS); n >= 1; n--) {
    var prefix = cs.slice(0, n).join("");
    if (!index.buckets.has(prefix)) continue;
    var renamed = index.manifest.renamed || {};
    var name = Object.prototype.hasOwnProperty.call(renamed, prefix) ? renamed[prefix] : bucketName(prefix);
    return download(index.root + "t/" + name + ".txt", "text").then(function (text) {
      var terms = [];
      var byTerm = new Map();
      var chunk = "";
      text.split("\n").forEach(function (line) {
        if (!line) return;
        var fields = line.split(" ");
        // A line without a chunk name has the line above's.
        if (fields.length > 2) chunk = fields[2];
        var entry = { term: fields[0], count: +fields[1], chunk: chunk };
        terms.push(entry);
        byTerm.set(entry.term, entry);
      });
      return { terms: terms, byTerm: byTerm };
    });
  }
  return Promise.resolve(null);
}

// Postings of one term: a flat Int32Array of (page, entry, score) triples.
function postingsOf(index, entry) {
  return download(index.root + "p/" + entry.chunk + ".bin", "bytes").then(function (bytes) {
    var decoded = decodedChunks.get(bytes);
    if (!decoded) {
      decoded = decodeChunk(bytes);
      decodedChunks.set(bytes, decoded);
    }
    return decoded.get(entry.term) || new Int32Array(0);
  });
}

var decodedChunks = new WeakMap();

function decodeChunk(bytes) {
  var at = 0;
  function varint() {
    var value = 0;
    var shift = 0;
    for (;;) {
      var b = bytes[at++];
      value += (b & 0x7f) * Math.pow(2, shift);
      if (b < 0x80) return value;
      shift += 7;
    }
  }
  var decoder = new TextDecoder();
  var terms = new Map();
  while (at < bytes.length) {
    var length = varint();
    var term = decoder.decode(bytes.subarray(at, at + length));
    at += length;
    var count = varint();
    var triples = new Int32Array(count * 3);
    var page = 0;
    for (var i = 0; i < count; i++) {
      page += varint();
      triples[i * 3] = page;
      triples[i * 3 + 1] = varint();
      triples[i * 3 + 2] = bytes[at++];
    }
    terms.set(term, triples);
  }
  return terms;
}

// --- Query -------------------------------------------------------------------------------

// Words of the query: {word, phrase (index or -1), last}. Text in double quotes is a phrase.
function parseQuery(query) {
  var words = [];
  var phrases = [];
  var segments = query.split(/["“”„]/);
  segments.forEach(function (segment, n) {
    var inPhrase = n % 2 === 1;
    var found = scanWords(segment);
    if (inPhrase && found.length) phrases.push(found.map(function (w) { return w.word; }));
    found.forEach(function (w) {
      words.push({ word: w.word, phrase: inPhrase ? phrases.length - 1 : -1 });
    });
  });
  var lastSegment = segments[segments.length - 1];
  var typing = segments.length % 2 === 1 && /[\p{Alphabetic}\p{N}_]$/u.test(lastSegment);
  if (typing && words.length) words[words.length - 1].last = true;
  return { words: words, phrases: phrases };
}

// The alternatives of one term: [{term, weight, info}] (exact, completions, typos).
function alternatives(index, term, options) {
  return bucketFor(index, term).then(function (bucket) {
    if (!bucket) return [];
    var found = [];
    var exact = bucket.byTerm.get(term);
    if (exact) found.push({ term: term, weight: 1, info: exact });
    if (options.prefix && !options.exactOnly) {
      bucket.terms
        .filter(function (e) { return e.term !== term && e.term.startsWith(term); })
        .sort(function (a, b) { return b.count - a.count || (a.term < b.term ? -1 : 1); })
        .slice(0, MAX_COMPLETIONS)
        .forEach(function (e) { found.push({ term: e.term, weight: PREFIX_WEIGHT, info: e }); });
    }
    if (!found.length && !options.exactOnly && chars(term).length >= TYPO_MIN_CHARS) {
      var n = chars(term).length;
      bucket.terms
        .filter(function (e) {
          if (withinOneEdit(term, e.term)) return true;
          if (!options.prefix) return false;
          var cs = chars(e.term);
          return [n - 1, n, n + 1].some(function (k) {
            return k < cs.length && withinOneEdit(term, cs.slice(0, k).join(""));
          });
        })
        .sort(function (a, b) { return b.count - a.count || (a.term < b.term ? -1 : 1); })
        .slice(0, MAX_TYPOS)
        .forEach(function (e) { found.push({ term: e.term, weight: TYPO_WEIGHT, info: e }); });
    }
    return found;
  });
}

// The groups of the query, each a list of alternatives; every group must match.
function queryGroups(index, parsed) {
  var pending = parsed.words.map(function (w) {
    var terms = termsOfWord(w.word);
    var options = { prefix: !!w.last, exactOnly: w.phrase >= 0 };
    var single = function (term) {
      return alternatives(index, term, options);
    };
    if (!terms.whole) return Promise.all(terms.parts.map(single));
    return single(terms.whole).then(function (found) {
      if (found.length) return [found];
      return Promise.all(terms.parts.map(single));
    });
  });
  return Promise.all(pending).then(function (lists) {
    return [].concat.apply([], lists);
  });
}

// Per group: Map page -> Map entry -> best score.
function scoreGroup(index, group) {
  return Promise.all(
    group.map(function (alt) {
      return postingsOf(index, alt.info);
    })
  ).then(function (lists) {
    var pages = new Map();
    lists.forEach(function (triples, n) {
      var weight = group[n].weight;
      for (var i = 0; i < triples.length; i += 3) {
        var page = triples[i];
        var entries = pages.get(page);
        if (!entries) {
          entries = new Map();
          pages.set(page, entries);
        }
        var score = triples[i + 2] * weight;
        if (!(entries.get(triples[i + 1]) >= score)) entries.set(triples[i + 1], score);
      }
    });
    return pages;
  });
}

// [versionIndex (-1 none), kindName] of a page, from the manifest's page ranges.
function facetsOf(manifest, page) {
  var groups = manifest.groups;
  var lo = 0;
  var hi = groups.length - 1;
  while (lo < hi) {
    var mid = (lo + hi + 1) >> 1;
    if (groups[mid][0] <= page) lo = mid;
    else hi = mid - 1;
  }
  var group = groups[lo];
  return [group[1], manifest.kinds[group[2]]];
}

// Ranks the pages of the scored groups: with `allWords`, the pages in every group; else the
// pages in any group, ranked first by how many groups hold them.
function rank(index, groups, request, allWords) {
  var manifest = index.manifest;
  var wantedVersion = request.version ? manifest.versions.indexOf(request.version) : -1;
  var facets = { kinds: {}, versions: {} };
  var hits = [];
  var candidates;
  if (allWords) {
    candidates = groups.reduce(function (a, b) { return a.size <= b.size ? a : b; });
  } else {
    candidates = new Map();
    groups.forEach(function (g) {
      g.forEach(function (_, page) { candidates.set(page, true); });
    });
  }
  candidates.forEach(function (_, page) {
    var total = 0;
    var holders = 0;
    var sums = new Map();
    for (var g = 0; g < groups.length; g++) {
      var entries = groups[g].get(page);
      if (!entries) {
        if (allWords) return;
        continue;
      }
      holders++;
      var best = 0;
      entries.forEach(function (score, entry) {
        if (score > best) best = score;
        sums.set(entry, (sums.get(entry) || 0) + score);
      });
      total += best;
    }
    var facet = facetsOf(manifest, page);
    var versionOk = wantedVersion < 0 || facet[0] < 0 || facet[0] === wantedVersion;
    var kindOk = !request.kind || facet[1] === request.kind;
    if (versionOk) facets.kinds[facet[1]] = (facets.kinds[facet[1]] || 0) + 1;
    if (kindOk && facet[0] >= 0) {
      var label = manifest.versions[facet[0]];
      facets.versions[label] = (facets.versions[label] || 0) + 1;
    }
    if (!versionOk || !kindOk) return;
    var target = 0;
    var targetScore = -1;
    sums.forEach(function (score, entry) {
      if (score > targetScore || (score === targetScore && entry < target)) {
        target = entry;
        targetScore = score;
      }
    });
    hits.push({ page: page, entry: target, words: holders, score: total, entryScore: targetScore });
  });
  hits.sort(function (a, b) {
    return b.words - a.words || b.score - a.score || b.entryScore - a.entryScore || a.page - b.page;
  });
  return { hits: hits, facets: facets };
}

function pageRecord(index, page) {
  var docs = index.manifest.docs;
  var lo = 0;
  var hi = docs.length - 1;
  while (lo < hi) {
    var mid = (lo + hi + 1) >> 1;
    if (docs[mid] <= page) lo = mid;
    else hi = mid - 1;
  }
  return download(index.root + "d/" + docs[lo] + ".json", "json").then(function (chunk) {
    return chunk[page - docs[lo]];
  });
}

function pageText(index, basePath, record) {
  if (!index.manifest.text) return Promise.resolve(null);
  // A page at `/x/` has `/x/index.txt`; one at `/x.html` (MkDocs' use_directory_urls:
  // false) has `/x.txt`.
  if (/\/$/.test(record[0])) return download(basePath + record[0] + "index.txt", "text-optional");
  if (/\.html$/.test(record[0])) {
    return download(basePath + record[0].replace(/\.html$/, ".txt"), "text-optional");
  }
  return Promise.resolve(null);
}

// The words of `text` folded, one space apart; CJK text one character apart, so a phrase
// is found inside a run.
function normalizedWords(text) {
  return scanWords(text)
    .map(function (w) { return w.cjk ? chars(w.word).join(" ") : fold(w.word); })
    .join(" ");
}

function containsPhrase(text, phrase) {
  var haystack = " " + normalizedWords(text).replace(/[._]/g, " ") + " ";
  var needle = " " + normalizedWords(phrase.join(" ")).replace(/[._]/g, " ") + " ";
  return haystack.indexOf(needle) !== -1;
}

// [[text, isMatch], …] around the densest run of matching words.
function snippet(text, matched) {
  var words = scanWords(text);
  var hit = words.map(function (w) {
    var terms = termsOfWord(w.word);
    if (terms.whole && matched.has(terms.whole)) return true;
    return terms.parts.some(function (p) { return matched.has(p); });
  });
  var best = -1;
  var bestCount = 0;
  for (var i = 0; i < words.length; i++) {
    if (!hit[i]) continue;
    var count = 0;
    for (var j = i; j < Math.min(words.length, i + 20); j++) if (hit[j]) count++;
    if (count > bestCount) {
      best = i;
      bestCount = count;
    }
  }
  if (best < 0) return null;
  var first = Math.max(0, best - 8);
  var last = Math.min(words.length - 1, best + 22);
  var parts = [];
  var at = words[first].start;
  if (first > 0) parts.push(["…", false]);
  for (var k = first; k <= last; k++) {
    if (!hit[k]) continue;
    if (words[k].start > at) parts.push([text.slice(at, words[k].start), false]);
    parts.push([text.slice(words[k].start, words[k].end), true]);
    at = words[k].end;
  }
  if (words[last].end > at) parts.push([text.slice(at, words[last].end), false]);
  if (last < words.length - 1) parts.push(["…", false]);
  return parts.map(function (p) {
    return [p[0].replace(/\s+/g, " "), p[1]];
  });
}

function runQuery(request) {
  var basePath = (request.basePath || "").replace(/\/+$/, "");
  return openIndex(request.manifest).then(function (index) {
    var parsed = parseQuery(request.query);
    return queryGroups(index, parsed).then(function (groups) {
      var empty = { total: 0, results: [], facets: { kinds: {}, versions: {} } };
      var found = groups.filter(function (g) { return g.length; });
      if (!found.length) return empty;
      // Words to highlight: every term matched, and the parts of a dotted or snake name.
      var matched = new Set();
      found.forEach(function (g) {
        g.forEach(function (alt) {
          matched.add(alt.term);
          alt.term.split(/[._]/).filter(keepTerm).forEach(function (part) { matched.add(part); });
        });
      });
      return Promise.all(found.map(function (g) { return scoreGroup(index, g); })).then(function (scored) {
        // Every word must match; when no page has them all (or a word is in no page),
        // the pages with any of them, those with more of them first.
        var ranked = found.length === groups.length ? rank(index, scored, request, true) : null;
        var anyWord = groups.length > 1 && (!ranked || !ranked.hits.length);
        if (anyWord) ranked = rank(index, scored, request, false);
        if (!ranked) return empty;
        var checked = parsed.phrases.length && !anyWord
          ? checkPhrases(index, basePath, ranked.hits, parsed.phrases)
          : Promise.resolve({ hits: ranked.hits, atLeast: false });
        return checked.then(function (check) {
          var hits = check.hits;
          var shown = hits.slice(0, MAX_RESULTS);
          return Promise.all(
            shown.map(function (hit, n) {
              return describe(index, basePath, hit, n < SNIPPET_PAGES ? matched : null);
            })
          ).then(function (results) {
            return { total: hits.length, atLeast: check.atLeast, anyWord: anyWord, results: results, facets: ranked.facets };
          });
        });
      });
    });
  });
}

// Keeps the hits whose text holds every phrase. Candidates are checked in rank order, a
// batch at a time, until MAX_RESULTS are found or PHRASE_CHECK_LIMIT were checked (the
// rest are dropped): {hits, atLeast} where `atLeast` says unchecked candidates remain.
// Without page texts the hits are kept as they are.
function checkPhrases(index, basePath, hits, phrases) {
  if (!index.manifest.text) return Promise.resolve({ hits: hits, atLeast: false });
  var kept = [];
  var limit = Math.min(hits.length, PHRASE_CHECK_LIMIT);
  function fromBatch(start) {
    if (start >= limit || kept.length >= MAX_RESULTS) {
      return Promise.resolve({ hits: kept, atLeast: start < hits.length });
    }
    var candidates = hits.slice(start, Math.min(limit, start + PHRASE_BATCH));
    return Promise.all(
      candidates.map(function (hit) {
        return pageRecord(index, hit.page).then(function (record) {
          return pageText(index, basePath, record);
        });
      })
    ).then(function (texts) {
      candidates.forEach(function (hit, n) {
        var text = texts[n];
        if (text !== null && phrases.every(function (phrase) { return containsPhrase(text, phrase); })) kept.push(hit);
      });
      return fromBatch(start + candidates.length);
    });
  }
  return fromBatch(0);
}

function describe(index, basePath, hit, matched) {
  return pageRecord(index, hit.page).then(function (record) {
    var sub = hit.entry > 0 ? record[5][hit.entry - 1] : null;
    var facet = facetsOf(index.manifest, hit.page);
    var result = {
      url: basePath + record[0] + (sub ? "#" + encodeURIComponent(sub[0]) : ""),
      title: sub ? sub[1] || sub[0] : record[1],
      page: sub ? record[1] : "",
      type: sub ? (sub[2] === 2 ? "api" : "heading") : "page",
      kind: record[2],
      section: record[3],
      version: facet[0] >= 0 ? index.manifest.versions[facet[0]] : "",
      snippet: [[record[4], false]],
    };
    if (!matched) return result;
    return pageText(index, basePath, record).then(function (text) {
      var cut = text ? snippet(text, matched) : null;
      if (cut) result.snippet = cut;
      return result;
    });
  });
}

self.onmessage = function (event) {
  var request = event.data || {};
  if (request.type !== "query") return;
  runQuery(request).then(
    function (answer) {
      answer.type = "results";
      answer.id = request.id;
      answer.bytes = bytesDownloaded;
      self.postMessage(answer);
    },
    function (error) {
      self.postMessage({ type: "error", id: request.id, message: String(error && error.message ? error.message : error) });
    }
  );
};
