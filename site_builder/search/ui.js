/*
 * The search page (search.html?q=…&year=…&unit=…&category=…&page=…).
 * Classic script loaded after engine.js; builds every element with textContent (no innerHTML).
 */
(function () {
  "use strict";
  var api = window.SiteBuilderSearch;
  var form = document.getElementById("search-form");
  if (!api || !form) {
    return;
  }
  var PAGE_SIZE = 20;
  var FILTERS = ["year", "unit", "category"];
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var advice = document.getElementById("search-advice");
  var pager = document.getElementById("search-pager");
  var baseTitle = document.title;
  var current = 0;
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
    list.replaceChildren();
    list.hidden = true;
    advice.replaceChildren();
    advice.hidden = true;
    pager.replaceChildren();
    pager.hidden = true;
  }

  function optionLabel(name, value) {
    var option = Array.prototype.filter.call(form.elements[name].options, function (o) {
      return o.value === value;
    })[0];
    return option ? option.textContent : value;
  }

  function filterText(state) {
    var parts = FILTERS.filter(function (n) { return state[n]; }).map(function (n) {
      return optionLabel(n, state[n]);
    });
    return parts.length ? "（" + parts.join("，") + "）" : "";
  }

  function renderResult(result) {
    var item = el("li", null, "search-result");
    var heading = el("h2", null, "search-result-title");
    var link = el("a", result.name);
    link.href = result.href;
    heading.appendChild(link);
    item.appendChild(heading);
    var meta = [result.unit_name, result.year + "年", result.amount + "万元"].filter(Boolean);
    item.appendChild(el("p", meta.join(" · "), "search-result-meta"));
    if (result.snippet.length) {
      var snippet = el("p", null, "search-result-snippet");
      result.snippet.forEach(function (segment) {
        snippet.appendChild(segment.match ? el("mark", segment.text)
          : document.createTextNode(segment.text));
      });
      item.appendChild(snippet);
    }
    return item;
  }

  function pageLink(state, page, label, isCurrent) {
    var link = el("a", label);
    link.href = query(state, page);
    if (isCurrent) {
      link.setAttribute("aria-current", "page");
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
    var items = el("ul");
    function add(node) {
      var item = el("li");
      item.appendChild(node);
      items.appendChild(item);
    }
    if (state.page > 1) {
      add(pageLink(state, state.page - 1, "上一页"));
    }
    for (var page = 1; page <= pages; page++) {
      if (page === 1 || page === pages || Math.abs(page - state.page) <= 2) {
        add(pageLink(state, page, String(page), page === state.page));
      } else if (Math.abs(page - state.page) === 3) {
        add(el("span", "…"));
      }
    }
    if (state.page < pages) {
      add(pageLink(state, state.page + 1, "下一页"));
    }
    pager.appendChild(items);
    pager.hidden = false;
  }

  function renderNothing(state) {
    var tips = el("ul");
    tips.appendChild(el("li", "检查是否有错别字，或换用项目表里出现过的说法。"));
    tips.appendChild(el("li", "减少字数或词数：例如只输入地名的一部分（“石嘴”）。"));
    if (FILTERS.some(function (n) { return state[n]; })) {
      var item = el("li");
      var all = { q: state.q, page: 1, year: "", unit: "", category: "" };
      var link = pageLink(all, 1, "取消筛选，在全部项目中搜索“" + state.q + "”");
      link.addEventListener("click", function () { setOptions(all); });
      item.appendChild(link);
      tips.appendChild(item);
    }
    var browse = el("li");
    var home = el("a", "从首页按年度和单位浏览全部项目");
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
    document.title = state.q ? "“" + state.q + "”的搜索结果 - " + baseTitle : baseTitle;
    if (!api.queryTerms(state.q).length) {
      status.textContent = "请输入要搜索的文字。";
      return;
    }
    status.textContent = "正在搜索…";
    var options = { limit: PAGE_SIZE, offset: (state.page - 1) * PAGE_SIZE };
    FILTERS.forEach(function (name) { options[name] = state[name]; });
    api.search(state.q, options).then(function (found) {
      if (ticket !== current) {
        return;
      }
      if (!found.total) {
        status.textContent = "没有找到包含“" + state.q + "”的项目" + filterText(state) + "。";
        renderNothing(state);
        return;
      }
      var first = options.offset + 1;
      var last = options.offset + found.results.length;
      status.textContent = "找到" + (found.exact ? " " : "约 ") + found.total + " 个包含“" + state.q + "”的项目" +
        filterText(state) + (found.total > PAGE_SIZE ? "，这是第 " + first + "–" + last + " 个" : "") +
        "。";
      found.results.forEach(function (result) { list.appendChild(renderResult(result)); });
      list.start = first;
      list.hidden = !found.results.length;
      renderPager(state, found.total);
    }).catch(function (error) {
      if (ticket === current) {
        status.textContent = "搜索数据未能加载，请稍后刷新页面重试。（" + error.message + "）";
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
