/*
 * The search page (search.html?q=…&year=…&unit=…&category=…&evaluation=…&page=…).
 * Classic script loaded after engine.js; builds every element with textContent (no innerHTML).
 * #search-status is the page's only live region: it is emptied when a search starts and gets
 * one message when it ends (the count, nothing found, or an error), so that screen readers
 * announce each result count once.  #search-busy shows "正在搜索…" meanwhile, silently.
 */
(function () {
  "use strict";
  var api = window.SiteBuilderSearch;
  var form = document.getElementById("search-form");
  if (!api || !form) {
    return;
  }
  var PAGE_SIZE = 20;
  var ROWS_SHOWN = 5;
  // The filters the page offers (the self-evaluation one only on a site that has some).
  var FILTERS = ["year", "unit", "category", "evaluation"].filter(function (name) {
    return form.elements[name];
  });
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var busy = document.getElementById("search-busy");
  var list = document.getElementById("search-results");
  var suggest = document.getElementById("search-suggest");
  var advice = document.getElementById("search-advice");
  var pager = document.getElementById("search-pager");
  var baseTitle = document.title;
  var current = 0;
  var announced = "";
  form.hidden = false;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function marked(node, segments) {
    segments.forEach(function (segment) {
      node.appendChild(segment.match ? el("mark", segment.text)
        : document.createTextNode(segment.text));
    });
    return node;
  }

  // The live region gets one message per search; the same message twice is re-announced
  // after a pause (assistive technology ignores a text that did not change).
  function announce(text, ticket) {
    busy.hidden = true;
    if (text === announced) {
      setTimeout(function () {
        if (ticket === current) {
          status.textContent = text;
        }
      }, 150);
    } else {
      status.textContent = text;
    }
    announced = text;
  }

  function stateFromUrl() {
    var params = new URLSearchParams(location.search);
    var state = { q: params.get("q") || "", page: Math.max(1, parseInt(params.get("page"), 10) || 1) };
    FILTERS.forEach(function (name) { state[name] = params.get(name) || ""; });
    return state;
  }

  function stateFromForm() {
    var state = { q: input.value, page: 1 };
    FILTERS.forEach(function (name) { state[name] = form.elements[name].value; });
    return state;
  }

  function query(state, page) {
    var params = new URLSearchParams();
    if (state.q) {
      params.set("q", state.q);
    }
    FILTERS.forEach(function (name) {
      if (state[name]) {
        params.set(name, state[name]);
      }
    });
    if (page > 1) {
      params.set("page", String(page));
    }
    var text = params.toString();
    return location.pathname.split("/").pop() + (text ? "?" + text : "");
  }

  function go(state) {
    try {
      history.pushState(null, "", query(state, state.page));
    } catch (error) {
      // Some file:// setups refuse history changes; the search still runs.
    }
    show(state);
  }

  function setOptions(state) {
    input.value = state.q;
    FILTERS.forEach(function (name) {
      var select = form.elements[name];
      select.value = state[name];
      if (select.value !== state[name]) {
        select.value = "";
      }
    });
  }

  function clear() {
    [list, suggest, advice, pager].forEach(function (node) {
      node.replaceChildren();
      node.hidden = true;
    });
  }

  function optionLabel(name, value) {
    var option = Array.prototype.filter.call(form.elements[name].options, function (o) {
      return o.value === value;
    })[0];
    return option ? option.textContent : value;
  }

  // "（2023年，某某乡，自评总分低于 80 分）": the year, unit and self-evaluation filters; the
  // category is named in the sentence.
  function filterText(state) {
    var parts = FILTERS.filter(function (n) {
      return n !== "category" && state[n];
    }).map(function (n) {
      return optionLabel(n, state[n]);
    });
    return parts.length ? "（" + parts.join("，") + "）" : "";
  }

  function what(state) {
    return state.category ? "在" + state.category + "中含有“" + state.q + "”的项目"
      : "包含“" + state.q + "”的项目";
  }

  function renderRows(result, category) {
    var box = el("div", null, "search-result-rows");
    box.appendChild(el("p", "含搜索词的" + category + "：", "search-result-rows-title"));
    var rows = el("ul");
    result.indicators.slice(0, ROWS_SHOWN).forEach(function (segments) {
      rows.appendChild(marked(el("li"), segments));
    });
    box.appendChild(rows);
    if (result.indicators.length > ROWS_SHOWN) {
      box.appendChild(el("p", "另有 " + (result.indicators.length - ROWS_SHOWN) +
        " 条，见项目页。", "search-result-more"));
    }
    return box;
  }

  function renderResult(result, state) {
    var item = el("li", null, "search-result");
    var heading = el("h2", null, "search-result-title");
    var link = marked(el("a"), result.title || [{ text: result.name, match: false }]);
    link.href = result.href;
    heading.appendChild(link);
    item.appendChild(heading);
    var meta = [result.unit_name, result.year + "年", result.amount && result.amount + "万元",
      result.url.indexOf("evaluations/") === 0 && "绩效自评（本站无其绩效目标表）"]
      .filter(Boolean);
    item.appendChild(el("p", meta.join(" · "), "search-result-meta"));
    if (result.indicators) {
      item.appendChild(renderRows(result, state.category));
    } else if (result.snippet.length) {
      item.appendChild(marked(el("p", null, "search-result-snippet"), result.snippet));
    }
    return item;
  }

  function pageLink(state, page, label, options) {
    options = options || {};
    var link = el("a", label, "search-page" + (options.wide ? " search-page-step" : ""));
    link.href = query(state, page);
    if (options.current) {
      link.setAttribute("aria-current", "page");
    }
    if (options.label) {
      link.setAttribute("aria-label", options.label);
    }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var next = Object.assign({}, state, { page: page });
      go(next);
      input.focus();
    });
    return link;
  }

  function renderPager(state, total) {
    var pages = Math.ceil(total / PAGE_SIZE);
    if (pages <= 1) {
      return;
    }
    var items = el("ul", null, "search-pager-list");
    function add(node) {
      var item = el("li");
      item.appendChild(node);
      items.appendChild(item);
    }
    if (state.page > 1) {
      add(pageLink(state, state.page - 1, "上一页", { wide: true }));
    }
    for (var page = 1; page <= pages; page++) {
      if (page === 1 || page === pages || Math.abs(page - state.page) <= 2) {
        add(pageLink(state, page, String(page), { current: page === state.page,
          label: "第 " + page + " 页" }));
      } else if (Math.abs(page - state.page) === 3) {
        add(el("span", "…", "search-page-gap"));
      }
    }
    if (state.page < pages) {
      add(pageLink(state, state.page + 1, "下一页", { wide: true }));
    }
    pager.appendChild(items);
    pager.hidden = false;
  }

  // "是不是要找：…" — near terms that find more (api.suggest loads its data only now).
  function renderSuggestions(state, total, ticket) {
    if (!api.suggest) {
      return;
    }
    var options = {};
    FILTERS.forEach(function (name) { options[name] = state[name]; });
    api.suggest(state.q, options).then(function (found) {
      found = found.filter(function (s) { return s.total > total; });
      if (ticket !== current || !found.length) {
        return;
      }
      suggest.appendChild(el("span", total ? "还可以试试：" : "是不是要找：",
        "search-suggest-label"));
      var items = el("ul", null, "search-suggest-list");
      found.forEach(function (s) {
        var item = el("li");
        var next = Object.assign({}, state, { q: s.query, page: 1 });
        var link = pageLink(next, 1, s.query);
        link.className = "search-suggest-link";
        item.appendChild(link);
        item.appendChild(el("span", "（" + (s.exact ? "" : "约 ") + s.total + " 个项目）",
          "search-suggest-count"));
        items.appendChild(item);
      });
      suggest.appendChild(items);
      suggest.hidden = false;
    }).catch(function () {
      // Suggestions are a help only: without them the page still says what it found.
    });
  }

  function renderNothing(state) {
    var tips = el("ul");
    tips.appendChild(el("li", "检查是否有错别字，或换用项目表里出现过的说法。"));
    tips.appendChild(el("li", "减少字数或词数：例如只输入地名的一部分（“石嘴”）。"));
    if (state.category) {
      tips.appendChild(el("li", "选了指标类别时，搜索词须出现在该类别的指标里；" +
        "项目名称、单位里的词请用“单位”“年度”筛选。"));
    }
    if (FILTERS.some(function (n) { return state[n]; })) {
      var item = el("li");
      var all = { q: state.q, page: 1 };
      FILTERS.forEach(function (name) { all[name] = ""; });
      var link = pageLink(all, 1, "取消筛选，在全部项目中搜索“" + state.q + "”");
      link.className = "search-advice-link";
      link.addEventListener("click", function () { setOptions(all); });
      item.appendChild(link);
      tips.appendChild(item);
    }
    var browse = el("li");
    var home = el("a", "从首页按年度和单位浏览全部项目", "search-advice-link");
    home.href = form.getAttribute("action").replace(/search\.html$/, "index.html");
    browse.appendChild(home);
    tips.appendChild(browse);
    advice.appendChild(tips);
    advice.hidden = false;
  }

  function show(state) {
    var ticket = ++current;
    setOptions(state);
    clear();
    status.textContent = "";
    document.title = state.q ? "“" + state.q + "”的搜索结果 - " + baseTitle : baseTitle;
    if (!api.queryTerms(state.q).length) {
      announce("请输入要搜索的文字。", ticket);
      return;
    }
    busy.hidden = false;
    var options = { limit: PAGE_SIZE, offset: (state.page - 1) * PAGE_SIZE };
    FILTERS.forEach(function (name) { options[name] = state[name]; });
    api.search(state.q, options).then(function (found) {
      if (ticket !== current) {
        return;
      }
      if (!found.total) {
        announce("没有找到" + what(state) + filterText(state) + "。", ticket);
        renderSuggestions(state, 0, ticket);
        renderNothing(state);
        return;
      }
      var first = options.offset + 1;
      var last = options.offset + found.results.length;
      announce("找到" + (found.exact ? " " : "约 ") + found.total + " 个" + what(state) +
        filterText(state) + (found.total > PAGE_SIZE ? "，这是第 " + first + "–" + last + " 个" : "") +
        "。", ticket);
      found.results.forEach(function (result) { list.appendChild(renderResult(result, state)); });
      list.start = first;
      list.hidden = !found.results.length;
      renderPager(state, found.total);
      if (found.total < 3 && state.page === 1) {
        renderSuggestions(state, found.total, ticket);
      }
    }).catch(function (error) {
      if (ticket === current) {
        announce("搜索数据未能加载，请稍后刷新页面重试。（" + error.message + "）", ticket);
      }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    go(stateFromForm());
  });
  FILTERS.forEach(function (name) {
    form.elements[name].addEventListener("change", function () {
      if (input.value.trim()) {
        go(stateFromForm());
      }
    });
  });
  window.addEventListener("popstate", function () { show(stateFromUrl()); });
  show(stateFromUrl());
})();
