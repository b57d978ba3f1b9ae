// Reads [{text, tokens, terms, grams, hashes}] as JSON on stdin; prints the cases engine.js
// analyses differently (as JSON) — an empty list means Python and JavaScript agree.
"use strict";
const path = require("path");
const engine = require(path.resolve(process.argv[2]));
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const mismatches = [];
  for (const expected of JSON.parse(input)) {
    const terms = engine.queryTerms(expected.text);
    const actual = {
      text: expected.text, tokens: engine.tokens(expected.text), terms: terms,
      grams: terms.map(engine.requiredGrams), hashes: terms.map(engine.gramHash),
    };
    for (const key of Object.keys(expected)) {
      if (JSON.stringify(actual[key]) !== JSON.stringify(expected[key])) {
        mismatches.push({ text: expected.text, key: key, python: expected[key], js: actual[key] });
      }
    }
  }
  process.stdout.write(JSON.stringify(mismatches));
});
