/*
 * site-builder search widget: this site's search inside another site's page (a county portal),
 * from another origin.  Classic script; see docs/search.md ("搜索框嵌入县级门户" / "A search
 * widget for a portal") for the snippet:
 *
 *   <div data-site-builder-search>
 *     <form action="https://example.gov.cn/zwgk/jxmb/search.html" method="get">…</form>
 *   </div>
 *   <script src="https://example.gov.cn/zwgk/jxmb/search/widget.js" defer></script>
 *
 * Every element with data-site-builder-search becomes a search box with results.  A form
 * already inside it (the no-JavaScript fallback: it opens this site's search page) is kept and
 * enhanced; otherwise one is made.  Options, as data- attributes of that element:
 *   data-limit="5"          results shown (1–20, default 5)
 *   data-year, data-unit, data-category, data-evaluation   fixed filters (as on the search
 *                                         page)
 *   data-label="搜索绩效目标"  the search box's label (when the widget makes the form)
 *   data-style="none"       no default look: style the sbw-* classes yourself
 * Index files load as classic scripts from this script's own folder, so the host needs no
 * CORS and only `script-src <this site>` in its Content-Security-Policy; links point into
 * this site with absolute URLs made from this script's address.  No inline script or style
 * attribute is used; the default look is a constructed style sheet with :where() selectors
 * (zero specificity: the host's own rules win).  Every text is set with textContent.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var base = new URL("./", script.src).href;
  var siteRoot = new URL("../", base).href;
  var STYLE = [
    ":where(.sbw) { font-size: 1rem; line-height: 1.6; }",
    ":where(.sbw-label) { display: block; font-weight: 600; margin-bottom: 0.25rem; }",
    ":where(.sbw-row) { display: flex; flex-wrap: wrap; gap: 0.5rem; }",
    ":where(.sbw-input) { flex: 1 1 12rem; min-width: 0; min-height: 2.75rem; font: inherit;" +
      " font-size: 1rem; padding: 0.4rem 0.6rem; border: 1px solid #4a5360; border-radius: 4px; }",
    ":where(.sbw-button) { min-height: 2.75rem; min-width: 5rem; font: inherit; font-size: 1rem;" +
      " padding: 0.4rem 1rem; border: 1px solid #143a6b; border-radius: 4px; background: #143a6b;" +
      " color: #fff; cursor: pointer; }",
    ":where(.sbw-status) { font-weight: 600; margin: 0.75rem 0 0.25rem; }",
    ":where(.sbw-status:empty) { display: none; }",
    ":where(.sbw-results) { margin: 0.25rem 0; padding-left: 1.6rem; }",
    ":where(.sbw-result) { margin: 0 0 0.5rem; }",
    ":where(.sbw-result a, .sbw-more a, .sbw-suggest a) { display: inline-block;" +
      " min-height: 2.75rem; padding: 0.55rem 0; color: #1d4f91; }",
    ":where(.sbw-meta) { display: block; color: #4a5360; font-size: 0.95rem; }",
    ":where(.sbw mark) { background: #ffe27a; color: inherit; }",
    ":where(.sbw-more, .sbw-suggest) { margin: 0.25rem 0; }"
  ].join("\n");
  var counter = 0;

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

  function addStyle() {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
    } catch (error) {
      // An old browser: the widget works unstyled (the host's own styles apply).
    }
  }

  var enginePromise = null;
  function engine() {
    if (window.SiteBuilderSearch && window.SiteBuilderSearch.search) {
      window.SiteBuilderSearch.configure({ base: base });
      return Promise.resolve(window.SiteBuilderSearch);
    }
    if (!enginePromise) {
      enginePromise = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = base + "engine.js";
        tag.onload = function () { resolve(window.SiteBuilderSearch); };
        tag.onerror = function () {
          enginePromise = null;
          reject(new Error("engine.js could not be loaded"));
        };
        document.head.appendChild(tag);
      });
    }
    return enginePromise;
  }

  function searchPage(query, filters) {
    var params = new URLSearchParams();
    params.set("q", query);
    ["year", "unit", "category", "evaluation"].forEach(function (name) {
      if (filters[name]) {
        params.set(name, filters[name]);
      }
    });
    return siteRoot + "search.html?" + params.toString();
  }

  function formOf(box) {
    var form = box.querySelector("form");
    var input = form && form.querySelector("input[name=q]");
    if (form && input) {
      // The host's own form: the default look applies through these classes (its own rules,
      // if any, win over the :where() ones).
      input.classList.add("sbw-input");
      Array.prototype.forEach.call(form.querySelectorAll("button, input[type=submit]"),
        function (button) { button.classList.add("sbw-button"); });
      Array.prototype.forEach.call(form.querySelectorAll("label"),
        function (label) { label.classList.add("sbw-label"); });
      return { form: form, input: input };
    }
    counter += 1;
    var id = "sbw-q-" + counter;
    form = el("form", null, "sbw-form");
    form.action = siteRoot + "search.html";
    form.method = "get";
    form.setAttribute("role", "search");
    var label = box.getAttribute("data-label") || "搜索项目支出绩效目标";
    form.setAttribute("aria-label", label);
    var labelNode = el("label", label, "sbw-label");
    labelNode.htmlFor = id;
    input = el("input", null, "sbw-input");
    input.type = "search";
    input.name = "q";
    input.id = id;
    input.autocomplete = "off";
    var row = el("div", null, "sbw-row");
    var button = el("button", "搜索", "sbw-button");
    button.type = "submit";
    row.appendChild(input);
    row.appendChild(button);
    form.appendChild(labelNode);
    form.appendChild(row);
    box.appendChild(form);
    return { form: form, input: input };
  }

  function setUp(box) {
    if (box.getAttribute("data-site-builder-ready")) {
      return;
    }
    box.setAttribute("data-site-builder-ready", "1");
    box.classList.add("sbw");
    var parts = formOf(box);
    var limit = Math.max(1, Math.min(20, parseInt(box.getAttribute("data-limit"), 10) || 5));
    var filters = {};
    ["year", "unit", "category", "evaluation"].forEach(function (name) {
      var value = box.getAttribute("data-" + name);
      if (value) {
        filters[name] = value;
      }
    });
    var status = el("p", null, "sbw-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");
    var suggest = el("p", null, "sbw-suggest");
    suggest.hidden = true;
    var results = el("ol", null, "sbw-results");
    results.hidden = true;
    var more = el("p", null, "sbw-more");
    more.hidden = true;
    [status, suggest, results, more].forEach(function (node) { box.appendChild(node); });
    var ticket = 0;
    var broken = false;

    function run(query) {
      var mine = ++ticket;
      status.textContent = "";
      [suggest, results, more].forEach(function (node) {
        node.replaceChildren();
        node.hidden = true;
      });
      if (!query.trim()) {
        status.textContent = "请输入要搜索的文字。";
        return;
      }
      engine().then(function (api) {
        return api.search(query, Object.assign({ limit: limit }, filters)).then(function (found) {
          if (mine !== ticket) {
            return;
          }
          if (!found.total) {
            status.textContent = "没有找到包含“" + query + "”的项目。";
            api.suggest(query, Object.assign({ total: 0 }, filters)).then(function (near) {
              if (mine !== ticket || !near.length) {
                return;
              }
              suggest.appendChild(document.createTextNode("是不是要找："));
              near.forEach(function (s, i) {
                if (i) {
                  suggest.appendChild(document.createTextNode("、"));
                }
                var link = el("a", s.query);
                link.href = searchPage(s.query, filters);
                link.addEventListener("click", function (event) {
                  event.preventDefault();
                  parts.input.value = s.query;
                  run(s.query);
                });
                suggest.appendChild(link);
              });
              suggest.hidden = false;
            }).catch(function () {});
            return;
          }
          status.textContent = "找到" + (found.exact ? " " : "约 ") + found.total +
            " 个包含“" + query + "”的项目。";
          found.results.forEach(function (result) {
            var item = el("li", null, "sbw-result");
            var link = marked(el("a"), result.title);
            link.href = result.href;
            item.appendChild(link);
            item.appendChild(el("span", [result.unit_name, result.year + "年",
              result.amount && result.amount + "万元"].filter(Boolean).join(" · "),
              "sbw-meta"));
            results.appendChild(item);
          });
          results.hidden = false;
          if (found.total > found.results.length) {
            var all = el("a", "查看全部 " + found.total + " 个结果");
            all.href = searchPage(query, filters);
            more.appendChild(all);
            more.hidden = false;
          }
        });
      }).catch(function () {
        broken = true;  // from now on the form opens the site's search page
        if (mine === ticket) {
          status.textContent = "搜索暂时无法使用，请再点“搜索”，到网站上查找。";
        }
      });
    }

    parts.form.addEventListener("submit", function (event) {
      if (!broken) {
        event.preventDefault();
        run(parts.input.value);
      }
    });
  }

  var boxes = document.querySelectorAll("[data-site-builder-search]");
  if (Array.prototype.some.call(boxes, function (box) {
    return box.getAttribute("data-style") !== "none";
  })) {
    addStyle();
  }
  Array.prototype.forEach.call(boxes, setUp);
})();
