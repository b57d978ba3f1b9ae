/*
 * 是不是要找: near terms for a query that finds nothing or very little (classic script).
 * Loaded by engine.js only when a page asks for suggestions (SiteBuilderSearch.suggest), so a
 * query that finds something downloads none of it.  The same steps, order and limits as
 * site_builder/search/suggest.py (see its docstring); tests compare the two.
 */
(function (global) {
  "use strict";
  // A build replaces the next line by site_builder/search/confusables.py's GROUPS.
  var GROUPS = [];
  var FEW = 3;
  var CANDIDATES = 12;
  var SHOWN = 3;
  var LONGEST = 16;
  var CONFUSED_COST = 0.5;

  var confusable = new Set();
  GROUPS.forEach(function (group) {
    var chars = Array.from(group);
    chars.forEach(function (a) {
      chars.forEach(function (b) {
        if (a !== b) {
          confusable.add(a + "\u0000" + b);
        }
      });
    });
  });

  function chars(text) {
    return Array.from(text);
  }

  function hasDigit(text) {
    return /[0-9]/.test(text);
  }

  function maxEdits(term) {
    return chars(term).length <= 3 ? 1 : 2;
  }

  function wantsSuggestions(term) {
    var length = chars(term).length;
    return length >= 2 && length <= LONGEST && !hasDigit(term);
  }

  // Code point order (Python's str order), not UTF-16 order.
  function compareText(a, b) {
    var x = chars(a);
    var y = chars(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) {
        return d;
      }
    }
    return x.length - y.length;
  }

  // Optimal string alignment distance (arrays of characters), limit + 1 above the limit.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) {
      return limit + 1;
    }
    var previous2 = [];
    var previous = [];
    for (var j = 0; j <= b.length; j++) {
      previous.push(j);
    }
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      for (var k = 1; k <= b.length; k++) {
        var replace = a[i - 1] === b[k - 1] ? 0
          : confusable.has(a[i - 1] + "\u0000" + b[k - 1]) ? CONFUSED_COST : 1;
        var best = Math.min(previous[k] + 1, row[k - 1] + 1, previous[k - 1] + replace);
        if (i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) {
          best = Math.min(best, previous2[k - 2] + 1);
        }
        row.push(best);
      }
      if (Math.min.apply(null, row) > limit) {
        return limit + 1;
      }
      previous2 = previous;
      previous = row;
    }
    var last = previous[previous.length - 1];
    return last <= limit ? last : limit + 1;
  }

  function missingCount(wanted, piece) {
    var left = new Map(wanted);
    piece.forEach(function (c) {
      if (left.get(c)) {
        left.set(c, left.get(c) - 1);
      }
    });
    var missing = 0;
    left.forEach(function (n) { missing += n; });
    return missing;
  }

  function nearTexts(term, texts) {
    var t = chars(term);
    var k = maxEdits(term);
    var wanted = new Map();
    t.forEach(function (c) { wanted.set(c, (wanted.get(c) || 0) + 1); });
    var found = new Map();
    var holders = new Map();
    texts.forEach(function (candidate) {
      var held = new Set();
      Array.from(new Set(candidate)).forEach(function (run) {
        var r = chars(run);
        for (var size = Math.max(2, t.length - k); size <= t.length + k; size++) {
          for (var start = 0; start + size <= r.length; start++) {
            var piece = r.slice(start, start + size);
            var text = piece.join("");
            if (text === term || hasDigit(text)) {
              continue;
            }
            var missing = missingCount(wanted, piece);
            if (missing > k) {
              continue;
            }
            if (!found.has(text)) {
              var cost = distance(t, piece, k);
              if (cost > k) {
                continue;
              }
              found.set(text, { cost: cost, missing: missing, gap: Math.abs(size - t.length) });
            }
            held.add(text);
          }
        }
      });
      held.forEach(function (text) { holders.set(text, (holders.get(text) || 0) + 1); });
    });
    var near = [];
    found.forEach(function (rank, text) {
      near.push({ cost: rank.cost, missing: rank.missing, gap: rank.gap,
        rarity: -(holders.get(text) || 0), text: text });
    });
    near.sort(function (a, b) {
      return a.cost - b.cost || a.missing - b.missing || a.gap - b.gap ||
        a.rarity - b.rarity || compareText(a.text, b.text);
    });
    return near;
  }

  function commonRun(a, b) {
    var x = chars(a);
    var y = chars(b);
    var best = 0;
    for (var i = 0; i < x.length; i++) {
      for (var j = 0; j < y.length; j++) {
        var size = 0;
        while (i + size < x.length && j + size < y.length && x[i + size] === y[j + size]) {
          size++;
        }
        best = Math.max(best, size);
      }
    }
    return best;
  }

  function distinct(term, near) {
    var overlap = chars(term).length <= 3 ? 2 : 3;
    var kept = [];
    near.forEach(function (item) {
      if (kept.every(function (k) { return commonRun(item.text, k.text) < overlap; })) {
        kept.push(item);
      }
    });
    return kept;
  }

  function gramsOf(term) {
    var t = chars(term);
    var grams = t.slice();
    for (var i = 0; i + 1 < t.length; i++) {
      grams.push(t[i] + t[i + 1]);
    }
    return grams.filter(function (g, i) { return grams.indexOf(g) === i; });
  }

  function choose(term, holders, allowed) {
    var need = Math.max(1, new Set(chars(term)).size - maxEdits(term));
    var score = new Map();
    var singles = new Map();
    gramsOf(term).forEach(function (gram) {
      (holders[gram] || []).forEach(function (doc) {
        if (allowed === null || allowed.has(doc)) {
          score.set(doc, (score.get(doc) || 0) + 1);
          if (chars(gram).length === 1) {
            singles.set(doc, (singles.get(doc) || 0) + 1);
          }
        }
      });
    });
    var ranked = [];
    score.forEach(function (s, doc) {
      if ((singles.get(doc) || 0) >= need) {
        ranked.push(doc);
      }
    });
    ranked.sort(function (a, b) { return score.get(b) - score.get(a) || a - b; });
    return ranked.slice(0, CANDIDATES);
  }

  function candidateTexts(engine, data, category, mask) {
    var parts = category ? engine.categoryParts(data, mask)
      : [data.name, data.unit_name].concat(data.parts.filter(function (p, i) {
      return data.scopes[i];
    }));
    var out = [];
    parts.forEach(function (part) {
      out = out.concat(engine.runs(engine.normalize(part)));
    });
    return out;
  }

  function corrections(terms, totals, total) {
    if (total === 0) {
      return terms.map(function (t, i) { return i; }).filter(function (i) {
        return totals[i] === 0 && wantsSuggestions(terms[i]);
      });
    }
    if (terms.length === 1 && total < FEW && wantsSuggestions(terms[0])) {
      return [0];
    }
    return [];
  }

  function combine(terms, fixes, count, total) {
    var indexes = Object.keys(fixes).map(Number).sort(function (a, b) { return a - b; });
    if (!indexes.length || indexes.some(function (i) { return !fixes[i].length; })) {
      return Promise.resolve([]);
    }
    var options;
    if (indexes.length === 1) {
      var at = indexes[0];
      options = fixes[at].map(function (n) {
        return terms.slice(0, at).concat([n.text], terms.slice(at + 1));
      });
    } else {
      options = [terms.map(function (t, i) { return fixes[i] ? fixes[i][0].text : t; })];
    }
    var found = [];
    function next(i) {
      if (i >= options.length || found.length === SHOWN) {
        return Promise.resolve(found);
      }
      var query = options[i].join(" ");
      return count(query).then(function (counted) {
        if (counted.total > total) {
          found.push({ query: query, total: counted.total, exact: counted.exact });
        }
        return next(i + 1);
      });
    }
    return next(0);
  }

  // suggest(query, {year, unit, category, evaluation, total}) -> Promise<[{query, total, exact}]>;
  // `total`: what the query found, if the caller knows it.
  function suggest(query, options, engine) {
    var terms = engine.queryTerms(query);
    var filters = { year: options.year, unit: options.unit, category: options.category,
                    evaluation: options.evaluation };
    function count(text) {
      return engine.search(text, Object.assign({ limit: 1 }, filters));
    }
    if (!terms.length) {
      return Promise.resolve([]);
    }
    var known = options.total === undefined || options.total === null ? count(query)
      : Promise.resolve({ total: +options.total });
    return known.then(function (found) {
      var total = found.total;
      var totals = total === 0 ? Promise.all(terms.map(function (t) {
        return count(t).then(function (f) { return f.total; });
      })) : Promise.resolve([total]);
      return totals.then(function (counted) {
        var fix = corrections(terms, counted, total);
        if (!fix.length) {
          return [];
        }
        return engine.manifest().then(function (info) {
          var mask = filters.category ? engine.categoryMask(info, String(filters.category)) : 0;
          var keys = engine.filterKeys(info, filters);
          return Promise.all(keys.map(function (key) { return engine.posting(info, key); }))
            .then(function (lists) {
              var allowed = keys.length ? new Set(engine.intersect(lists)) : null;
              var fixes = {};
              return fix.reduce(function (done, index) {
                return done.then(function () {
                  var term = terms[index];
                  var grams = gramsOf(term);
                  return Promise.all(grams.map(function (g) { return engine.posting(info, g); }))
                    .then(function (postings) {
                      var holders = {};
                      grams.forEach(function (g, i) {
                        holders[g] = postings[i] ? postings[i].docs : [];
                      });
                      var picked = choose(term, holders, allowed);
                      return engine.loadDocs(info, picked.map(function (d) { return { doc: d }; }));
                    }).then(function (docs) {
                      var texts = docs.map(function (data) {
                        return candidateTexts(engine, data, filters.category, mask);
                      });
                      fixes[index] = distinct(term, nearTexts(term, texts)).slice(0, 2 * SHOWN);
                    });
                });
              }, Promise.resolve()).then(function () {
                return combine(terms, fixes, count, total);
              });
            });
        });
      });
    });
  }

  global.SiteBuilderSearch.receive("suggest", suggest);
})(typeof globalThis !== "undefined" ? globalThis : self);
