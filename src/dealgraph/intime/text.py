"""Plain-text tables of an :class:`AsOf` and a :class:`Diff`, as ``dealgraph`` prints them."""

from __future__ import annotations

from ..namespaces import INSTANCE_BASE
from ..text_table import table
from .asof import AsOf, Ref
from .diff import Diff


def asof_table(answer: AsOf) -> str:
    """The rights in force as an aligned table, a heading line above and the note below."""
    whose = f" held by {', '.join(h.label for h in answer.holders)}" if answer.holders else ""
    lines = [f"Rights in force on {answer.day}{whose}: {len(answer.rights)}", ""]
    rows = []
    for right in answer.rights:
        agreement = right.agreement_on(answer.day)
        rows.append(
            [
                short(right.iri),
                right.label,
                right.holder.label if right.holder else "",
                right.start.isoformat(),
                right.until.isoformat() if right.until else "",
                right.expiry.label if right.expiry else "",
                agreement.label if agreement else "",
            ]
        )
    headers = ["right", "label", "holder", "from", "until", "expiry", "agreement"]
    text = "\n".join(lines) + "\n" + (table(headers, rows) if rows else "(none)\n")
    if answer.note:
        text += f"\nnote: {answer.note}\n"
    return text


def diff_table(result: Diff) -> str:
    """Kept, ended, new and revised rights, one section each."""
    lines = [f"From {result.start.describe()} to {result.end.describe()}"]
    for name, refs in (("kept", result.kept), ("ended", result.ended), ("new", result.new)):
        lines += ["", f"{name} ({len(refs)}):"]
        lines += [f"  {_item(ref)}" for ref in refs] or ["  (none)"]
    lines += ["", f"revised ({len(result.revised)}):"]
    lines += [f"  {_item(r.before)}\n    -> {_item(r.after)}" for r in result.revised] or [
        "  (none)"
    ]
    return "\n".join(lines) + "\n"


def short(iri: str) -> str:
    """``right/…`` for an IRI of the dealgraph instance namespace, else the IRI."""
    return iri.removeprefix(INSTANCE_BASE)


def _item(ref: Ref) -> str:
    return f"{short(ref.iri)}  {ref.label}"
