/*
 * site-builder search as an ES module, for pages that embed the search (see docs/search.md).
 *
 *   import { search } from "https://example.gov.cn/jxmb/search/search.js";
 *   const { total, results } = await search("医保", { year: "2023", limit: 10, offset: 0 });
 *
 * search(query, {year, unit, category, limit, offset}) -> Promise<{total, results}>
 *   query     text; space-separated terms must all occur (substring match, any length)
 *   year      budget year ("2023"), unit: unit code ("002001"), category: indicator category
 *   limit     results to return (default 10; 0 = all), offset: results to skip (paging)
 *   total     number of matching projects
 *   results   [{id, url, href, name, unit_code, unit_name, year, amount, tier, score,
 *               title, snippet: [{text, match}], indicators (with a category: the matching
 *               rows, each [{text, match}])}] — url is relative to the site root, href absolute.
 *
 * suggest(query, {year, unit, category, total}) -> Promise<[{query, total, exact}]>
 *   是不是要找: corrected queries (one or two character edits) that find more projects.
 * All values are plain text: insert them with textContent, never innerHTML.
 */
// A build replaces the next line by the engine itself and the index manifest (one request).
import "./engine.js";

const api = globalThis.SiteBuilderSearch;
api.configure({ base: new URL("./", import.meta.url).href });

export function search(query, options) {
  return api.search(query, options);
}

export function suggest(query, options) {
  return api.suggest(query, options);
}

export const tokens = api.tokens;
export const queryTerms = api.queryTerms;
export default api;
