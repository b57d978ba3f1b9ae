/*
 * site-builder search engine (classic script; the built search.js, an ES module, contains it).
 * A build appends the index manifest (SiteBuilderSearch.receive("manifest", ...)) to both.
 *
 * Defines globalThis.SiteBuilderSearch with
 *   search(query, {year, unit, category, evaluation, limit, offset})
 *     -> Promise<{total, exact, results}>
 *   suggest(query, {year, unit, category, evaluation, total}) -> Promise<[{query, total, exact}]>
 *   tokens(text), queryTerms(query), normalize(text), configure({base})
 * The analyzer mirrors site_builder/search/analyzer.py exactly (tests/search/token_vectors.json).
 * Index files are classic scripts calling SiteBuilderSearch.receive(key, data), so they load
 * from file:// and under Content-Security-Policy: script-src 'self' (no fetch, no eval).
 */
(function (global) {
  "use strict";
  if (global.SiteBuilderSearch && global.SiteBuilderSearch.search) {
    return;
  }

  // ---- analyzer (mirror of analyzer.py) -------------------------------------------------
  var SPACE = "\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029" +
    "\\u202f\\u205f\\u3000\\ufeff";
  var RUNS = new RegExp("[^" + SPACE + "]+", "gu");
  var WORDS = /[0-9]+(?:\.[0-9]+)?%?|[a-z]+/g;
  var GRAM_MAX = 3;
  var WORD_MIN = GRAM_MAX + 1;
  var FIELD_SEPARATOR = "\n";
  var NAME_BOOST = 2.0;
  var IMPACT_MAX = 127;
  var NIBBLE_MAX = 15;
  var PARALLEL = 16;
  var VERIFY_ALL = 40;
  var VERIFY_BATCH = 16;
  var MAX_LOOKUP = 8;

  function normalize(text) {
    return String(text).normalize("NFKC").toLowerCase();
  }

  function runs(normalized) {
    return normalized.match(RUNS) || [];
  }

  function words(run) {
    return (run.match(WORDS) || []).filter(function (w) { return w.length >= WORD_MIN; });
  }

  function runTokens(run, out) {
    var chars = Array.from(run);
    for (var i = 0; i < chars.length; i++) {
      for (var size = 1; size <= Math.min(GRAM_MAX, chars.length - i); size++) {
        out.push(chars.slice(i, i + size).join(""));
      }
    }
    words(run).forEach(function (w) { out.push(w); });
    return out;
  }

  function tokens(text) {
    var out = [];
    runs(normalize(text)).forEach(function (run) { runTokens(run, out); });
    return out;
  }

  function unique(items) {
    return items.filter(function (item, i) { return items.indexOf(item) === i; });
  }

  function queryTerms(query) {
    return unique(runs(normalize(query || "")));
  }

  function requiredGrams(term) {
    var chars = Array.from(term);
    if (chars.length <= GRAM_MAX) {
      return [term];
    }
    var grams = [];
    for (var i = 0; i + GRAM_MAX <= chars.length; i++) {
      grams.push(chars.slice(i, i + GRAM_MAX).join(""));
    }
    return unique(grams);
  }

  // The grams looked up for a term: all of them, or for a long term MAX_LOOKUP spread over it
  // (enough to narrow; the candidates are confirmed against their text anyway).
  function lookupGrams(term) {
    var grams = requiredGrams(term);
    if (grams.length <= MAX_LOOKUP) {
      return grams;
    }
    var picked = [];
    for (var i = 0; i < MAX_LOOKUP; i++) {
      picked.push(grams[Math.round(i * (grams.length - 1) / (MAX_LOOKUP - 1))]);
    }
    return unique(picked);
  }

  function isExact(term) {
    return Array.from(term).length <= GRAM_MAX;
  }

  function gramHash(gram) {
    var h = 0x811c9dc5;
    for (var ch of gram) {
      h = Math.imul((h ^ ch.codePointAt(0)) >>> 0, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // ---- loading data files as classic scripts ----------------------------------------------
  var base = null;
  if (typeof document !== "undefined" && document.currentScript && document.currentScript.src) {
    base = new URL("./", document.currentScript.src).href;
  }
  var waiting = {};
  var loaded = {};

  function configure(options) {
    if (options && options.base) {
      base = new URL(options.base, typeof location !== "undefined" ? location.href : undefined)
        .href;
    }
  }

  function receive(key, data) {
    var resolve = waiting[key];
    delete waiting[key];
    if (resolve) {
      resolve(data);
    } else if (!loaded[key]) {
      loaded[key] = Promise.resolve(data);
    }
  }

  function load(key) {
    if (loaded[key]) {
      return loaded[key];
    }
    if (!base) {
      return Promise.reject(new Error("SiteBuilderSearch: call configure({base}) first"));
    }
    var promise = new Promise(function (resolve, reject) {
      waiting[key] = resolve;
      var script = document.createElement("script");
      script.src = new URL(key + ".js", base).href;
      script.async = true;
      script.onload = function () {
        script.remove();
        if (waiting[key]) {
          delete waiting[key];
          reject(new Error("search data " + key + " is not valid"));
        }
      };
      script.onerror = function () {
        script.remove();
        delete waiting[key];
        reject(new Error("search data " + key + " could not be loaded"));
      };
      document.head.appendChild(script);
    });
    loaded[key] = promise;
    promise.catch(function () { delete loaded[key]; });
    return promise;
  }

  // ---- posting lists ------------------------------------------------------------------------
  function bytesOf(b64) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      bytes[i] = bin.charCodeAt(i);
    }
    return bytes;
  }

  function Reader(bytes, pos) {
    this.bytes = bytes;
    this.pos = pos;
  }
  Reader.prototype.varint = function () {
    var value = 0;
    var scale = 1;
    var byte;
    do {
      byte = this.bytes[this.pos++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  };
  Reader.prototype.gaps = function () {
    var count = this.varint();
    var docs = new Array(count);
    var previous = -1;
    for (var i = 0; i < count; i++) {
      previous += this.varint() + 1;
      docs[i] = previous;
    }
    return docs;
  };

  // A posting: {docs: sorted numbers, impact: Uint8Array, named: Uint8Array}.
  function decodePosting(b64, total) {
    var bytes = bytesOf(b64);
    if (bytes[0] === 0) {
      var list = new Reader(bytes, 1);
      var count = list.varint();
      var posting = { docs: new Array(count), impact: new Uint8Array(count),
        named: new Uint8Array(count) };
      var previous = -1;
      for (var i = 0; i < count; i++) {
        previous += list.varint() + 1;
        posting.docs[i] = previous;
        var packed = bytes[list.pos++];
        posting.impact[i] = packed >> 1;
        posting.named[i] = packed & 1;
      }
      return posting;
    }
    var flat = bytes[0] === 2;
    var start = flat ? 2 : 1;
    var size = Math.ceil(total / 8);
    var docs = [];
    for (var b = 0; b < size; b++) {
      var byte = bytes[start + b];
      for (var bit = 0; byte && bit < 8; bit++) {
        if (byte & (1 << bit)) {
          docs.push(b * 8 + bit);
        }
      }
    }
    var impact = new Uint8Array(docs.length);
    var pos = start + size;
    if (flat) {
      impact.fill(bytes[1]);
    } else {
      for (var k = 0; k < docs.length; k++) {
        var nibble = (bytes[pos + (k >> 1)] >> (4 * (k & 1))) & 15;
        impact[k] = Math.round(nibble * IMPACT_MAX / NIBBLE_MAX);
      }
      pos += Math.ceil(docs.length / 2);
    }
    var named = new Set(new Reader(bytes, pos).gaps());
    return { docs: docs, impact: impact,
      named: Uint8Array.from(docs, function (d) { return named.has(d) ? 1 : 0; }) };
  }

  var manifestPromise = null;
  function manifest() {
    if (!manifestPromise) {
      manifestPromise = load("manifest");
      manifestPromise.catch(function () { manifestPromise = null; });
    }
    return manifestPromise;
  }

  var postings = {};
  function posting(info, key) {
    if (!postings[key]) {
      var shard = (gramHash(key) & (info.shards - 1)).toString(16);
      postings[key] = load("s/" + shard).then(function (entries) {
        var entry = Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : null;
        if (entry === null) {
          return null;
        }
        var data = entry.charAt(0) === "@" ? load(entry.slice(1)) : Promise.resolve(entry);
        return data.then(function (b64) { return decodePosting(b64, info.docs); });
      });
      postings[key].catch(function () { delete postings[key]; });
    }
    return postings[key];
  }

  // A category-scoped list (site_builder/search/scoped.py): the projects holding a gram in an
  // indicator row with scope bit `bit`; null when none does.
  var scopedLists = {};
  function scopedPosting(info, bit, gram) {
    var key = bit.toString(32) + gram;
    if (!scopedLists[key]) {
      var shard = (gramHash(key) & (info.scoped - 1)).toString(16);
      scopedLists[key] = load("k/" + shard).then(function (entries) {
        var entry = Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : null;
        if (entry === null) {
          return null;
        }
        var data = entry.charAt(0) === "@" ? load(entry.slice(1)) : Promise.resolve(entry);
        return data.then(function (b64) { return decodeScoped(b64, info.docs); });
      });
      scopedLists[key].catch(function () { delete scopedLists[key]; });
    }
    return scopedLists[key];
  }

  // The projects holding a gram in the rows of a category: the union over its scope bits.
  function categoryPosting(info, bits, gram) {
    return Promise.all(bits.map(function (bit) { return scopedPosting(info, bit, gram); }))
      .then(function (lists) {
        var seen = new Set();
        lists.forEach(function (list) {
          (list ? list.docs : []).forEach(function (doc) { seen.add(doc); });
        });
        return seen.size ? { docs: Array.from(seen).sort(function (x, y) { return x - y; }) }
          : null;
      });
  }

  // The scope bits of a category as a mask (0: not a category of the index).
  function categoryMask(info, category) {
    var bits = (info.scopes || {})[category] || [];
    return bits.reduce(function (mask, bit) { return mask | (1 << bit); }, 0);
  }

  function decodeScoped(b64, total) {
    var bytes = bytesOf(b64);
    if (bytes[0] === 0) {
      return { docs: new Reader(bytes, 1).gaps() };
    }
    var docs = [];
    var size = Math.ceil(total / 8);
    for (var b = 0; b < size; b++) {
      var byte = bytes[1 + b];
      for (var bit = 0; byte && bit < 8; bit++) {
        if (byte & (1 << bit)) {
          docs.push(b * 8 + bit);
        }
      }
    }
    return { docs: docs };
  }

  function indexOf(docs, doc) {
    var lo = 0;
    var hi = docs.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (docs[mid] === doc) {
        return mid;
      }
      if (docs[mid] < doc) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  function intersect(lists) {
    if (lists.some(function (l) { return l === null; })) {
      return [];
    }
    var sorted = lists.slice().sort(function (a, b) { return a.docs.length - b.docs.length; });
    var result = sorted[0].docs;
    for (var i = 1; i < sorted.length && result.length; i++) {
      var other = sorted[i].docs;
      result = result.filter(function (doc) { return indexOf(other, doc) >= 0; });
    }
    return result;
  }

  function idf(info, p) {
    var df = p.docs.length;
    return Math.log(1 + (info.docs - df + 0.5) / (df + 0.5));
  }

  function weight(info, p, doc) {
    var i = p ? indexOf(p.docs, doc) : -1;
    if (i < 0) {
      return 0;
    }
    var w = idf(info, p) * (p.impact[i] / IMPACT_MAX) * (info.k1 + 1);
    return p.named[i] ? w * (1 + NAME_BOOST) : w;
  }

  // ---- display data and verification ---------------------------------------------------------
  function docKey(info, doc) {
    return "d/" + Math.floor(doc / info.block) + "/" + doc;
  }

  function loadDocs(info, candidates) {
    var out = new Array(candidates.length);
    var next = 0;
    function worker() {
      if (next >= candidates.length) {
        return Promise.resolve();
      }
      var i = next++;
      return load(docKey(info, candidates[i].doc)).then(function (data) {
        out[i] = data;
        return worker();
      });
    }
    var workers = [];
    for (var w = 0; w < Math.min(PARALLEL, candidates.length); w++) {
      workers.push(worker());
    }
    return Promise.all(workers).then(function () { return out; });
  }

  function containsAll(text, terms) {
    return terms.every(function (term) { return text.indexOf(term) >= 0; });
  }

  function matchRanges(text, terms) {
    var ranges = [];
    terms.forEach(function (term) {
      for (var at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length)) {
        ranges.push([at, at + term.length]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.push([r[0], r[1]]);
      }
    });
    return merged;
  }

  // The whole of `text` as segments [{text, match}], the terms marked.
  function highlight(text, terms) {
    var normal = normalize(text);
    var shown = normal.length === text.length ? text : normal;
    var segments = [];
    var at = 0;
    matchRanges(normal, terms).forEach(function (r) {
      if (r[0] > at) {
        segments.push({ text: shown.slice(at, r[0]), match: false });
      }
      segments.push({ text: shown.slice(r[0], r[1]), match: true });
      at = r[1];
    });
    if (at < shown.length) {
      segments.push({ text: shown.slice(at), match: false });
    }
    return segments;
  }

  // The parts of a project that are indicator rows of a category (`mask`: its scope bits).
  function categoryParts(data, mask) {
    return data.parts.filter(function (part, i) { return data.scopes[i] & mask; });
  }

  // The rows holding at least one term, most terms first, then in table order (the CLI's
  // matching_rows).
  function matchingRows(parts, terms) {
    return parts.map(function (part, i) {
      var normal = normalize(part);
      return { part: part, i: i, count: terms.filter(function (t) {
        return normal.indexOf(t) >= 0;
      }).length };
    }).filter(function (row) { return row.count; }).sort(function (a, b) {
      return b.count - a.count || a.i - b.i;
    }).map(function (row) { return row.part; });
  }

  // One part of a project's text as segments [{text, match}] around its first match.
  function excerpt(part, terms, width) {
    var normal = normalize(part);
    var ranges = matchRanges(normal, terms);
    var shown = normal.length === part.length ? part : normal;
    var start = Math.max(0, ranges[0][0] - Math.floor(width / 3));
    var end = Math.min(shown.length, start + width);
    var segments = [];
    var at = start;
    if (start > 0) {
      segments.push({ text: "…", match: false });
    }
    ranges.forEach(function (r) {
      if (r[1] <= at || r[0] >= end) {
        return;
      }
      if (r[0] > at) {
        segments.push({ text: shown.slice(at, r[0]), match: false });
      }
      segments.push({ text: shown.slice(Math.max(r[0], at), Math.min(r[1], end)), match: true });
      at = Math.min(r[1], end);
    });
    if (at < end) {
      segments.push({ text: shown.slice(at, end), match: false });
    }
    if (end < shown.length) {
      segments.push({ text: "…", match: false });
    }
    return segments;
  }

  // Snippet: the parts (goals, indicators, …) that best cover the terms, at most two; the
  // name, unit, year and amount are shown anyway, so they are used only when nothing else matches.
  function snippet(data, terms, width) {
    var shownAnyway = [data.name, data.unit_name, data.year, data.amount + "万元"];
    var parts = data.parts.filter(function (p) { return shownAnyway.indexOf(p) < 0; });
    var missing = terms.slice();
    var chosen = [];
    for (var round = 0; round < 2 && missing.length; round++) {
      var best = null;
      var bestCount = 0;
      parts.forEach(function (part) {
        var normal = normalize(part);
        var count = missing.filter(function (t) { return normal.indexOf(t) >= 0; }).length;
        if (count > bestCount && chosen.indexOf(part) < 0) {
          best = part;
          bestCount = count;
        }
      });
      if (!best) {
        break;
      }
      chosen.push(best);
      missing = missing.filter(function (t) { return normalize(best).indexOf(t) < 0; });
    }
    if (!chosen.length) {
      chosen = data.parts.filter(function (p) { return matchRanges(normalize(p), terms).length; })
        .slice(0, 1);
    }
    var segments = [];
    chosen.forEach(function (part, i) {
      if (i) {
        segments.push({ text: " / ", match: false });
      }
      segments = segments.concat(excerpt(part, terms, chosen.length > 1 ? width / 2 : width));
    });
    return segments;
  }

  function result(info, candidate, data, terms, mask) {
    var siteRoot = new URL("../", base).href;
    var found = {
      id: data.id, url: data.url, href: new URL(data.url, siteRoot).href, name: data.name,
      unit_code: data.unit_code, unit_name: data.unit_name, year: data.year,
      amount: data.amount, tier: candidate.tier, score: Math.round(candidate.score * 1e4) / 1e4,
      title: highlight(data.name, terms), snippet: snippet(data, terms, 80)
    };
    if (mask !== null) {
      found.indicators = matchingRows(categoryParts(data, mask), terms).map(function (row) {
        return highlight(row, terms);
      });
    }
    return found;
  }

  // ---- search -------------------------------------------------------------------------------
  function filterKeys(info, options) {
    var keys = [];
    ["year", "unit", "category", "evaluation"].forEach(function (name) {
      if (options[name]) {
        keys.push(info.filters[name] + String(options[name]));
      }
    });
    return keys;
  }

  function rank(info, docs, terms, grams, words) {
    return docs.map(function (doc) {
      var score = 0;
      grams.forEach(function (g) { score += weight(info, g.posting, doc); });
      words.forEach(function (p) { score += weight(info, p, doc); });
      var named = terms.every(function (term, t) {
        return grams.filter(function (g) { return g.terms.indexOf(t) >= 0; }).every(function (g) {
          var i = indexOf(g.posting.docs, doc);
          return i >= 0 && g.posting.named[i] === 1;
        });
      });
      return { doc: doc, score: score, tier: named ? 1 : 0 };
    });
  }

  function order(a, b) {
    return b.tier - a.tier || b.score - a.score || a.doc - b.doc;
  }

  // Confirm candidates (in rank order) against their text until `need` matches are confirmed.
  function verify(info, candidates, terms, need, mask) {
    var kept = [];
    var checked = 0;
    function batch() {
      if (checked >= candidates.length || kept.length >= need) {
        return Promise.resolve({ kept: kept, checked: checked });
      }
      var slice = candidates.slice(checked, checked + VERIFY_BATCH);
      checked += slice.length;
      return loadDocs(info, slice).then(function (docs) {
        slice.forEach(function (c, i) {
          var parts = mask === null ? docs[i].parts : categoryParts(docs[i], mask);
          if (containsAll(normalize(parts.join(FIELD_SEPARATOR)), terms)) {
            c.tier = containsAll(normalize(docs[i].name), terms) ? 1 : 0;
            kept.push(c);
          }
        });
        return batch();
      });
    }
    return batch();
  }

  /**
   * Find every project containing all space-separated terms of `query`.
   * options: {year, unit (unit code), category, limit (default 10; 0 = all), offset}.
   * Resolves to {total, exact, results}; each result has id, url (relative to the site root),
   * href, name, unit_code, unit_name, year, amount, tier, score and snippet ([{text, match}]).
   * Terms of up to three characters are answered exactly by the index.  Longer terms are
   * confirmed against each candidate's text: all candidates when there are at most 40 or
   * limit is 0, otherwise just enough for the requested page — then `exact` is false and
   * `total` is an upper bound (candidates not yet confirmed are counted).
   */
  function search(query, options) {
    options = options || {};
    var terms = queryTerms(query);
    var limit = options.limit === undefined || options.limit === null ? 10 : +options.limit;
    var offset = Math.max(0, +options.offset || 0);
    if (!terms.length) {
      return Promise.resolve({ total: 0, exact: true, results: [] });
    }
    return manifest().then(function (info) {
      var grams = [];
      terms.forEach(function (term, t) {
        lookupGrams(term).forEach(function (key) {
          var found = grams.filter(function (g) { return g.key === key; })[0];
          if (found) {
            found.terms.push(t);
          } else {
            grams.push({ key: key, terms: [t] });
          }
        });
      });
      var wordKeys = unique(terms.reduce(function (all, term) {
        return all.concat(words(term));
      }, []));
      var filters = filterKeys(info, options);
      var category = options.category ? String(options.category) : null;
      var mask = category === null ? null : categoryMask(info, category);
      var wanted = grams.map(function (g) { return g.key; }).concat(filters, wordKeys);
      return Promise.all(wanted.map(function (key) { return posting(info, key); }))
        .then(function (found) {
          if (mask === null) {
            return found;
          }
          if (!mask) {
            return found.concat([null]);
          }
          // With a category: each gram in the category's rows (its scoped lists) too.
          return Promise.all(grams.map(function (g) {
            return categoryPosting(info, info.scopes[category], g.key);
          })).then(function (scoped) { return found.concat(scoped); });
        })
        .then(function (found) {
          grams.forEach(function (g, i) { g.posting = found[i]; });
          var plain = grams.length + filters.length;
          var required = found.slice(0, plain).concat(found.slice(plain + wordKeys.length));
          var wordPostings = found.slice(plain, plain + wordKeys.length);
          var candidates = rank(info, intersect(required), terms, grams, wordPostings);
          candidates.sort(order);
          var need = Infinity;
          if (limit > 0 && candidates.length > VERIFY_ALL) {
            need = offset + limit;
          }
          var checked = terms.every(isExact) ? Promise.resolve({ kept: candidates,
            checked: candidates.length }) : verify(info, candidates, terms, need, mask);
          return checked.then(function (done) {
            var kept = done.kept.sort(order);
            var page = limit > 0 ? kept.slice(offset, offset + limit) : kept.slice(offset);
            return loadDocs(info, page).then(function (docs) {
              return {
                total: kept.length + candidates.length - done.checked,
                exact: done.checked === candidates.length,
                results: page.map(function (c, i) {
                  return result(info, c, docs[i], terms, mask);
                })
              };
            });
          });
        });
    });
  }

  // ---- suggestions (search/suggest.js, loaded on the first call) ----------------------------
  var internals = {
    search: search, queryTerms: queryTerms, normalize: normalize, runs: runs,
    manifest: manifest, filterKeys: filterKeys, posting: posting, intersect: intersect,
    loadDocs: loadDocs, categoryMask: categoryMask, categoryParts: categoryParts
  };
  var suggester = null;

  /**
   * 是不是要找: near terms of the site for a query that finds nothing (or, with one term, fewer
   * than three projects).  options: {year, unit, category, total (what the query found, if
   * known)}.  Resolves to [{query, total, exact}]: corrected queries finding more projects.
   */
  function suggest(query, options) {
    if (!suggester) {
      suggester = load("suggest");
      suggester.catch(function () { suggester = null; });
    }
    return suggester.then(function (impl) { return impl(query, options || {}, internals); });
  }

  global.SiteBuilderSearch = {
    search: search, suggest: suggest, tokens: tokens, queryTerms: queryTerms,
    normalize: normalize, configure: configure, receive: receive, gramHash: gramHash,
    requiredGrams: requiredGrams
  };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = global.SiteBuilderSearch;
  }
})(typeof globalThis !== "undefined" ? globalThis : self);
