// The query page: the editor, runs against /sparql, results as a readable, sortable table
// (labels shown, IRIs one hover away), the query history in Back/Forward.
(function () {
  "use strict";
  // The prefix table, the /id/ link mapping and the ontology's terms come from the server.
  const VOCABULARY = JSON.parse(document.getElementById("vocabulary-data").textContent || "{}");
  const PREFIXES = Object.fromEntries(
    Object.entries(VOCABULARY.prefixes || {}).map(([p, ns]) => [p + ":", ns]));
  const LOCAL = Object.entries(VOCABULARY.local || {});
  const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const meta = document.getElementById("result-meta");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");
  const runButton = document.getElementById("run");
  const examples = JSON.parse(document.getElementById("examples-data").textContent || "[]");

  // The CodeMirror editor when its bundle loaded, else the plain textarea.
  const editor = window.DealgraphEditor
    ? window.DealgraphEditor.create(textarea, {
      prefixes: VOCABULARY.prefixes || {}, terms: VOCABULARY.terms || [], onRun: () => run(true),
    })
    : {
      getValue: () => textarea.value,
      setValue: text => { textarea.value = text; },
      focus: () => textarea.focus(),
      markError: () => {},
      clearError: () => {},
    };
  window.dealgraphEditor = editor;  // for tests and for people scripting the page
  document.getElementById("query-label").addEventListener("click", event => {
    event.preventDefault();
    editor.focus();
  });

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function shorten(iri) {
    for (const [p, ns] of Object.entries(PREFIXES)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return p + iri.slice(ns.length);
    }
    return iri;
  }

  function link(iri) {
    for (const [path, ns] of LOCAL) {
      if (iri.startsWith(ns) && iri.length > ns.length) return path + iri.slice(ns.length);
    }
    return iri;
  }

  // Only the server's own pages and http(s) addresses become links: an IRI such as
  // javascript:… or data:… in an answer is shown as text, never followed.
  function safeHref(iri) {
    const href = link(iri);
    return href.startsWith("/") || /^https?:\/\//i.test(href) ? href : null;
  }

  // --- results ------------------------------------------------------------------------------
  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const href = safeHref(term.value);
      const a = href
        ? el("a", { href: href, title: term.value, "data-iri": term.value }, shorten(term.value))
        : el("span", { class: "iri", title: term.value, "data-iri": term.value }, shorten(term.value));
      if (href && !href.startsWith("/")) { a.className = "external"; a.rel = "noopener"; }
      td.appendChild(a);
      td.dataset.sort = shorten(term.value).toLowerCase();
    } else if (term.type === "bnode") {
      td.appendChild(el("span", { class: "muted" }, "_:" + term.value));
      td.dataset.sort = term.value;
    } else {
      td.className = "literal";
      td.appendChild(el("span", { class: "lit" }, term.value));
      const tag = term["xml:lang"] || (term.datatype ? shorten(term.datatype) : "");
      if (tag) { td.appendChild(document.createTextNode(" ")); td.appendChild(el("span", { class: "tag" }, tag)); }
      const number = Number(term.value);
      td.dataset.sort = term.value.toLowerCase();
      if (term.value.trim() !== "" && !Number.isNaN(number)) td.dataset.number = String(number);
    }
    return td;
  }

  function sortBy(tableNode, column, button) {
    const th = button.parentNode;
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    tableNode.querySelectorAll("thead th").forEach(h => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = tableNode.tBodies[0];
    const rows = Array.from(body.rows);
    const key = row => row.cells[column];
    const numeric = rows.every(r => !key(r).dataset.sort || key(r).dataset.number !== undefined);
    rows.sort((a, b) => {
      const x = key(a), y = key(b);
      let order;
      if (numeric) order = Number(x.dataset.number || 0) - Number(y.dataset.number || 0);
      else order = (x.dataset.sort || "").localeCompare(y.dataset.sort || "", undefined, { numeric: true });
      return ascending ? order : -order;
    });
    rows.forEach(r => body.appendChild(r));
  }

  function table(vars, rows) {
    const t = el("table", { class: "results" });
    const head = el("tr");
    vars.forEach((v, index) => {
      const th = el("th", { scope: "col" });
      const button = el("button", { type: "button", class: "sort", title: "Sort by " + v }, v);
      button.addEventListener("click", () => sortBy(t, index, button));
      th.appendChild(button);
      head.appendChild(th);
    });
    t.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    rows.forEach(row => { const tr = el("tr"); vars.forEach(v => tr.appendChild(cell(row[v]))); body.appendChild(tr); });
    t.appendChild(body);
    return t;
  }

  // Replace prefixed names by labels (rdfs:label, English first), the IRI staying in the tooltip.
  async function addLabels(container) {
    const links = Array.from(container.querySelectorAll("[data-iri]"));
    const iris = Array.from(new Set(links.map(a => a.dataset.iri))).filter(i => !/[<>"{}|^`\\\s]/.test(i));
    const labels = {};
    for (let i = 0; i < iris.length; i += 200) {
      const values = iris.slice(i, i + 200).map(iri => "<" + iri + ">").join(" ");
      const query = "SELECT ?s ?l WHERE { VALUES ?s { " + values + " } ?s <" + RDFS_LABEL + "> ?l }";
      try {
        const response = await fetch("/sparql", {
          method: "POST",
          headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" },
          body: query,
        });
        if (!response.ok) return;
        const data = await response.json();
        for (const b of data.results.bindings) {
          const lang = b.l["xml:lang"] || "";
          const rank = lang === "en" ? 3 : lang === "fr" ? 2 : 1;
          if (!labels[b.s.value] || labels[b.s.value].rank < rank) labels[b.s.value] = { text: b.l.value, rank: rank };
        }
      } catch (err) {
        return;  // labels are a comfort: the prefixed names stay
      }
    }
    links.forEach(a => {
      const label = labels[a.dataset.iri];
      if (!label) return;
      a.textContent = label.text;
      a.title = shorten(a.dataset.iri) + "\n" + a.dataset.iri;
      a.classList.add("labelled");
      a.parentNode.dataset.sort = label.text.toLowerCase();
    });
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

  // The LIMIT of the outermost query (the last one in the text, comments and strings aside).
  function queryLimit(query) {
    const bare = query.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>\s]*>|#[^\n]*/g, " ");
    const matches = Array.from(bare.matchAll(/\bLIMIT\s+(\d+)/gi));
    return matches.length ? Number(matches[matches.length - 1][1]) : null;
  }

  function showCount(count, noun, seconds, query) {
    meta.textContent = "";
    const line = el("p", { class: "count", id: "row-count" },
      count + " " + noun + (count === 1 ? "" : "s") + " in " + seconds + " s");
    meta.appendChild(line);
    const limit = queryLimit(query);
    if (limit !== null && count >= limit) {
      meta.appendChild(el("p", { class: "warning", id: "limit-warning", role: "note" },
        "LIMIT " + limit + " cut the answer: there may be more " + noun + "s. Raise or remove the LIMIT to see them all."));
    }
  }

  function setDownloads(query, isGraph) {
    downloads.textContent = "";
    const formats = isGraph ? [["Turtle", "turtle", "ttl"], ["N-Triples", "ntriples", "nt"], ["JSON-LD", "jsonld", "jsonld"], ["RDF/XML", "rdfxml", "rdf"]]
      : [["CSV", "csv", "csv"], ["TSV", "tsv", "tsv"], ["JSON", "json", "srj.json"], ["XML", "xml", "srx.xml"]];
    downloads.appendChild(document.createTextNode("Download: "));
    formats.forEach(([label, fmt, ext]) => {
      const a = el("a", { href: "/sparql?" + new URLSearchParams({ query: query, format: fmt }), download: "dealgraph-results." + ext }, label);
      a.className = "download";
      downloads.appendChild(a);
    });
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    const box = errorBox.getBoundingClientRect();
    if (box.bottom > window.innerHeight || box.top < 0) errorBox.scrollIntoView({ block: "center" });
    // "query:3:12: SPARQL syntax error: …" marks line 3, column 12 in the editor.
    const m = message.match(/query:(\d+):(\d+): (.*)/);
    if (m) editor.markError(Number(m[1]), Number(m[2]), m[3]);
  }

  // --- running ------------------------------------------------------------------------------
  async function run(record) {
    const query = editor.getValue();
    errorBox.hidden = true; errorBox.textContent = "";
    editor.clearError();
    results.textContent = ""; downloads.textContent = ""; meta.textContent = "";
    status.textContent = "Running…"; runButton.disabled = true;
    const url = "/?" + new URLSearchParams({ query: query });
    if (record && location.pathname + location.search !== url) history.pushState({ query: query }, "", url);
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json, application/n-triples;q=0.9" },
        body: new URLSearchParams({ query: query }),
      });
      const text = await response.text();
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      status.textContent = "";
      if (!response.ok) {
        showError("Error " + response.status + ": " + text.trim());
        return;
      }
      const type = response.headers.get("Content-Type") || "";
      if (type.startsWith("application/n-triples")) {
        const rows = parseNTriples(text);
        results.appendChild(table(["subject", "predicate", "object"], rows));
        showCount(rows.length, "triple", seconds, query);
        setDownloads(query, true);
        addLabels(results);
        return;
      }
      const data = JSON.parse(text);
      if ("boolean" in data) {
        results.appendChild(el("p", { class: "boolean" }, "Answer: " + (data.boolean ? "yes (true)" : "no (false)")));
        meta.appendChild(el("p", { class: "count", id: "row-count" }, "in " + seconds + " s"));
      } else {
        const rows = data.results.bindings;
        results.appendChild(table(data.head.vars || [], rows));
        showCount(rows.length, "row", seconds, query);
        addLabels(results);
      }
      setDownloads(query, false);
    } catch (err) {
      status.textContent = "";
      showError("Could not run the query: " + err);
    } finally {
      runButton.disabled = false;
    }
  }

  form.addEventListener("submit", event => { event.preventDefault(); run(true); });
  textarea.addEventListener("keydown", event => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") { event.preventDefault(); run(true); }
  });
  document.querySelectorAll("button.example").forEach(button => {
    button.addEventListener("click", () => {
      document.querySelectorAll("button.example.active").forEach(b => b.classList.remove("active"));
      button.classList.add("active");
      editor.setValue(examples[Number(button.dataset.index)].text);
      editor.focus();
    });
  });
  document.querySelectorAll("a.class-link").forEach(a => {
    a.addEventListener("click", event => {
      event.preventDefault();
      editor.setValue(new URL(a.href).searchParams.get("query"));
      window.scrollTo(0, 0);
      run(true);
    });
  });
  // Back and Forward go through the queries run, as they go through pages.
  window.addEventListener("popstate", () => {
    const query = new URLSearchParams(location.search).get("query");
    if (query) { editor.setValue(query); run(false); }
  });
  const initial = new URLSearchParams(location.search).get("query");
  if (initial) { editor.setValue(initial); history.replaceState({ query: initial }, "", location.href); run(false); }

  // --- the timeline picture -----------------------------------------------------------------
  // Its links stay clickable but leave the Tab order (dozens of stops in a row otherwise);
  // keyboard users get them as one collapsible list instead.
  const picture = document.getElementById("timeline-picture");
  const linkList = document.getElementById("timeline-links");
  function tameTimeline() {
    const doc = picture && picture.contentDocument;
    if (!doc) return;
    const seen = new Map();
    doc.querySelectorAll("a").forEach(a => {
      a.setAttribute("tabindex", "-1");
      const href = a.getAttribute("href") || a.getAttributeNS("http://www.w3.org/1999/xlink", "href");
      if (!href || seen.has(href)) return;
      const title = a.querySelector("title");
      const text = (title ? title.textContent : a.textContent || href).trim().split("\n")[0];
      seen.set(href, text || href);
    });
    if (!seen.size || !linkList) return;
    const ul = linkList.querySelector("ul");
    ul.textContent = "";
    seen.forEach((text, href) => { const li = el("li"); li.appendChild(el("a", { href: href }, text)); ul.appendChild(li); });
    linkList.hidden = false;
  }
  if (picture) {
    picture.addEventListener("load", tameTimeline);
    if (picture.contentDocument && picture.contentDocument.readyState === "complete") tameTimeline();
  }
})();
