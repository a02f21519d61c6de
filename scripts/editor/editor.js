// The query page's SPARQL editor: CodeMirror 6 with SPARQL highlighting, bracket matching,
// completion of prefixes and ontology terms, and the syntax error marked at its line.
// Bundled by scripts/build-editor.sh into src/dealgraph/web/static/editor.js, which exposes
// window.DealgraphEditor.create(textarea, options).
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Prec } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion } from "@codemirror/autocomplete";
import { setDiagnostics, lintGutter } from "@codemirror/lint";

const KEYWORDS = [
  "SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "UNION", "MINUS", "GRAPH", "SERVICE",
  "BIND", "VALUES", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT",
  "DESCRIBE", "PREFIX", "NOT EXISTS", "EXISTS", "COUNT", "LANG", "LANGMATCHES", "STR",
  "CONTAINS", "REGEX", "ASC", "DESC", "AS", "FROM", "FROM NAMED",
];

// Completions for the word before the cursor: `pre:` names, terms of a known prefix, keywords.
function completionSource(prefixes, terms) {
  return context => {
    const word = context.matchBefore(/[A-Za-z_][\w-]*:?[\w-]*|:[\w-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const text = word.text;
    const colon = text.indexOf(":");
    if (colon >= 0) {
      const prefix = text.slice(0, colon);
      const options = terms
        .filter(t => t.prefix === prefix)
        .map(t => ({ label: prefix + ":" + t.name, type: t.kind, detail: t.label || "", info: t.iri }));
      return { from: word.from, options, validFor: /^[\w-]*:?[\w-]*$/ };
    }
    const options = [
      ...Object.entries(prefixes).map(([p, ns]) => ({ label: p + ":", type: "namespace", detail: ns })),
      ...KEYWORDS.map(k => ({ label: k, type: "keyword" })),
    ];
    return { from: word.from, options, validFor: /^[\w-]*$/ };
  };
}

function create(textarea, options) {
  const opts = options || {};
  const run = () => { if (opts.onRun) opts.onRun(); return true; };
  const view = new EditorView({
    parent: textarea.parentNode,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", run }, { key: "Shift-Enter", run }])),
        basicSetup,
        StreamLanguage.define(sparql),
        autocompletion({ override: [completionSource(opts.prefixes || {}, opts.terms || [])] }),
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": "SPARQL query", "aria-multiline": "true" }),
        // Keep the form's textarea current: it is what a submit without JavaScript sends.
        EditorView.updateListener.of(update => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    }),
  });
  textarea.parentNode.insertBefore(view.dom, textarea);
  // The textarea stays in the form (a submit without JavaScript sends it) but out of sight and
  // of the Tab order; text put into it by a script or a test still reaches the editor.
  textarea.classList.add("cm-source");
  textarea.setAttribute("tabindex", "-1");
  textarea.setAttribute("aria-hidden", "true");
  textarea.addEventListener("input", () => {
    if (textarea.value !== view.state.doc.toString()) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: textarea.value } });
    }
  });

  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      textarea.value = text;
    },
    focus: () => view.focus(),
    // Mark the error at 1-based (line, column); the message shows on hover and in the gutter.
    markError(line, column, message) {
      const doc = view.state.doc;
      const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
      let from = Math.min(l.from + Math.max(column - 1, 0), l.to);
      let to = from < l.to ? from + 1 : from;
      // An undeclared prefix is reported just after its name: mark the name itself.
      if (/undeclared prefix/.test(message)) {
        let start = from - l.from;
        while (start > 0 && /[\w:.-]/.test(l.text[start - 1])) start--;
        if (l.from + start < from) { to = from; from = l.from + start; }
      }
      view.dispatch(setDiagnostics(view.state, [{ from, to, severity: "error", message }]));
      view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    },
    clearError: () => view.dispatch(setDiagnostics(view.state, [])),
  };
}

window.DealgraphEditor = { create };
