"""The guard's lexer: one pass gives the tokens and the comment-blanked text."""

from __future__ import annotations

from dealgraph.sparql_text import blank_comments, tokens

QUERY = (
    "PREFIX ex: <http://x/a\\u0041b> # note\n"
    'SELECT ?s { ?s ex:p-q.r \'it\\\'s\' . ?s ex:b """two "" quotes"""@en }'
)


def test_escapes_quotes_and_dotted_names_stay_inside_their_tokens():
    assert [tuple(t) for t in tokens(QUERY)] == [
        ("word", "PREFIX"), ("word", "ex:"), ("iri", "<http://x/a\\u0041b>"),
        ("word", "SELECT"), ("var", "?s"), ("punct", "{"), ("var", "?s"),
        ("word", "ex:p-q.r"), ("string", "'it\\'s'"), ("punct", "."), ("var", "?s"),
        ("word", "ex:b"), ("string", '"""two "" quotes"""'), ("punct", "@"), ("word", "en"),
        ("punct", "}"),
    ]  # fmt: skip


def test_comments_are_blanked_keeping_lines_and_columns():
    blanked = blank_comments(QUERY)
    assert blanked == QUERY.replace("# note", "      ")
    assert blank_comments("ASK {}") == "ASK {}"


def test_an_unterminated_iri_is_punctuation_then_a_word_not_a_hang():
    text = "<" + "a" * 200_000
    assert [t.kind for t in tokens(text)] == ["punct", "word"]
