"""Entity pages list what reaches an entity through one intermediate node, as researchers
look for it (e.g. a permission whose subject matter concerns a company)."""

from __future__ import annotations


def test_entity_page_lists_resources_reached_through_a_subject_matter(client):
    page = client.get("/id/company/openai", headers={"Accept": "text/html"}).text
    related = page.split('<section id="related">', 1)[1].split("</section>", 1)[0]
    assert '<a href="/id/right/ip-access-permission"' in related
    assert "Access to OpenAI&#39;s research IP" in related
    assert '<a href="/id/subject/openai-research-ip"' in related


def test_directly_linked_resources_are_not_repeated_as_related(client):
    page = client.get("/id/company/openai", headers={"Accept": "text/html"}).text
    related = page.split('<section id="related">', 1)[1].split("</section>", 1)[0]
    assert "/id/right/microsoft-openai-ip-2032" not in related  # already a direct fact
