// The query page: load examples, run queries against /sparql, show results as a table.
(function () {
  "use strict";
  // The prefix table and the /id/ link mapping come from the server (dealgraph.namespaces).
  const VOCABULARY = JSON.parse(document.getElementById("vocabulary-data").textContent || "{}");
  const PREFIXES = Object.fromEntries(
    Object.entries(VOCABULARY.prefixes || {}).map(([p, ns]) => [p + ":", ns]));
  const LOCAL = Object.entries(VOCABULARY.local || {});
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");
  const runButton = document.getElementById("run");
  const examples = JSON.parse(document.getElementById("examples-data").textContent || "[]");

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function shorten(iri) {
    for (const [p, ns] of Object.entries(PREFIXES)) if (iri.startsWith(ns)) return p + iri.slice(ns.length);
    return iri;
  }

  function link(iri) {
    for (const [path, ns] of LOCAL) {
      if (iri.startsWith(ns) && iri.length > ns.length) return path + iri.slice(ns.length);
    }
    return iri;
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const href = link(term.value);
      const a = el("a", { href: href, title: term.value }, shorten(term.value));
      if (!href.startsWith("/")) { a.className = "external"; a.rel = "noopener"; }
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.appendChild(el("span", { class: "muted" }, "_:" + term.value));
    } else {
      td.className = "literal";
      td.appendChild(el("span", { class: "lit" }, term.value));
      const tag = term["xml:lang"] || (term.datatype ? shorten(term.datatype) : "");
      if (tag) { td.appendChild(document.createTextNode(" ")); td.appendChild(el("span", { class: "tag" }, tag)); }
    }
    return td;
  }

  function table(vars, rows) {
    const t = el("table", { class: "results" });
    const head = el("tr");
    vars.forEach(v => head.appendChild(el("th", {}, v)));
    t.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    rows.forEach(row => { const tr = el("tr"); vars.forEach(v => tr.appendChild(cell(row[v]))); body.appendChild(tr); });
    t.appendChild(body);
    return t;
  }

  // N-Triples, one triple a line, as SPARQL JSON terms: enough to tabulate CONSTRUCT results.
  function ntTerm(text) {
    text = text.trim();
    if (text.startsWith("<")) return { type: "uri", value: text.slice(1, -1) };
    if (text.startsWith("_:")) return { type: "bnode", value: text.slice(2) };
    const m = text.match(/^("(?:[^"\\]|\\.)*")(?:@([\w-]+)|\^\^<([^>]*)>)?$/);
    if (!m) return { type: "literal", value: text };
    let value;
    try { value = JSON.parse(m[1].replace(/\\U([0-9A-Fa-f]{8})/g, (_, h) => String.fromCodePoint(parseInt(h, 16)))); } catch (e) { value = m[1]; }
    const term = { type: "literal", value: value };
    if (m[2]) term["xml:lang"] = m[2];
    if (m[3]) term.datatype = m[3];
    return term;
  }
  function parseNTriples(text) {
    const rows = [];
    const re = /^(<[^>]*>|_:\S+)\s+(<[^>]*>)\s+(.*)\s*\.\s*$/;
    text.split("\n").forEach(line => {
      const m = line.match(re);
      if (m) rows.push({ subject: ntTerm(m[1]), predicate: ntTerm(m[2]), object: ntTerm(m[3]) });
    });
    return rows;
  }

  function setDownloads(query, isGraph) {
    downloads.textContent = "";
    const formats = isGraph ? [["Turtle", "turtle"], ["N-Triples", "ntriples"], ["JSON-LD", "jsonld"]]
      : [["CSV", "csv"], ["JSON", "json"], ["TSV", "tsv"]];
    downloads.appendChild(document.createTextNode("Download: "));
    formats.forEach(([label, fmt]) => {
      const a = el("a", { href: "/sparql?" + new URLSearchParams({ query: query, format: fmt }), download: "results." + fmt }, label);
      a.className = "download";
      downloads.appendChild(a);
    });
  }

  async function run() {
    const query = editor.value;
    errorBox.hidden = true; errorBox.textContent = "";
    results.textContent = ""; downloads.textContent = "";
    status.textContent = "Running…"; runButton.disabled = true;
    history.replaceState(null, "", "/?" + new URLSearchParams({ query: query }));
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json, application/n-triples;q=0.9" },
        body: new URLSearchParams({ query: query }),
      });
      const text = await response.text();
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (!response.ok) {
        status.textContent = "";
        errorBox.textContent = "Error " + response.status + ": " + text;
        errorBox.hidden = false;
        return;
      }
      const type = response.headers.get("Content-Type") || "";
      if (type.startsWith("application/n-triples")) {
        const rows = parseNTriples(text);
        results.appendChild(table(["subject", "predicate", "object"], rows));
        status.textContent = rows.length + " triple" + (rows.length === 1 ? "" : "s") + " in " + seconds + " s";
        setDownloads(query, true);
        return;
      }
      const data = JSON.parse(text);
      if ("boolean" in data) {
        results.appendChild(el("p", { class: "boolean" }, "Answer: " + (data.boolean ? "yes (true)" : "no (false)")));
        status.textContent = "in " + seconds + " s";
      } else {
        const rows = data.results.bindings;
        results.appendChild(table(data.head.vars || [], rows));
        status.textContent = rows.length + " result" + (rows.length === 1 ? "" : "s") + " in " + seconds + " s";
      }
      setDownloads(query, false);
    } catch (err) {
      status.textContent = "";
      errorBox.textContent = "Could not run the query: " + err;
      errorBox.hidden = false;
    } finally {
      runButton.disabled = false;
    }
  }

  form.addEventListener("submit", event => { event.preventDefault(); run(); });
  editor.addEventListener("keydown", event => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") { event.preventDefault(); run(); }
  });
  document.querySelectorAll("button.example").forEach(button => {
    button.addEventListener("click", () => {
      document.querySelectorAll("button.example.active").forEach(b => b.classList.remove("active"));
      button.classList.add("active");
      editor.value = examples[Number(button.dataset.index)].text;
      editor.focus();
      editor.setSelectionRange(0, 0);
      editor.scrollTop = 0;
    });
  });
  document.querySelectorAll("a.class-link").forEach(a => {
    a.addEventListener("click", event => {
      event.preventDefault();
      editor.value = "PREFIX rdfs: <" + PREFIXES["rdfs:"] + ">\n\nSELECT ?resource ?label WHERE {\n  ?resource a <" +
        a.dataset.iri + "> .\n  OPTIONAL { ?resource rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), \"en\")) }\n} ORDER BY ?resource LIMIT 200";
      run();
    });
  });
  const initial = new URLSearchParams(location.search).get("query");
  if (initial) { editor.value = initial; run(); }
})();
