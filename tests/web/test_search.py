"""``/search``: alternative names and translated quotes, accents and case aside (fixture)."""

from __future__ import annotations

from dealgraph.web.search import normalize


def test_normalize_drops_accents_case_and_curly_apostrophes():
    assert normalize("Capacité  supplémentaire auprès d’ORACLE") == (
        "capacite supplementaire aupres d'oracle"
    )


def test_alternative_name_finds_its_resource(client):
    body = client.get("/search", params={"q": "group pbc"}).json()
    assert body["count"] == 1
    hit = body["results"][0]
    assert (hit["href"], hit["label"]) == ("/id/company/openai", "OpenAI")
    assert hit["matches"] == [
        {"field": "alternative name", "text": "OpenAI Group PBC", "lang": "en"}
    ]


def test_english_translation_finds_the_french_quote(client):
    hits = client.get("/search", params={"q": "will keep its intellectual"}).json()["results"]
    assert [h["href"] for h in hits] == ["/id/right/microsoft-openai-ip-2032"]
    quote = hits[0]["matches"][0]
    assert quote["text"] == (
        "Microsoft conservera ses droits de propriété intellectuelle jusqu'en 2032"
    )
    assert quote["translation"] == (
        "Microsoft will keep its intellectual property rights until 2032"
    )


def test_empty_query_lists_nothing(client):
    assert client.get("/search", params={"q": "  "}).json() == {
        "query": "",
        "count": 0,
        "results": [],
    }
