"""Language prefixes people type or other sites use lead to the portal's own, not to a 404."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/zh/", "/zh-hans/"),
        ("/zh", "/zh-hans/"),
        ("/zh-cn/", "/zh-hans/"),
        ("/zh-CN/events/", "/zh-hans/events/"),
        ("/zh-sg/privacy/", "/zh-hans/privacy/"),
        ("/zh_Hans/", "/zh-hans/"),
        ("/zh-Hans/questions/", "/zh-hans/questions/"),
        ("/zh-hans-CN/", "/zh-hans/"),
        ("/en-US/events/", "/en/events/"),
        ("/FR/", "/fr/"),
        ("/pt-BR/", None),  # not a language of the portal
    ],
)
def test_aliases_of_a_language_redirect_permanently_to_its_prefix(client, path, location):
    response = client.get(path)
    if location is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 301
        assert response["Location"] == location


def test_the_rest_of_the_path_and_the_query_are_kept(client):
    response = client.get("/zh-CN/events/%E5%8C%97%E4%BA%AC/?page=2&sort=recent")
    assert response.status_code == 301
    assert response["Location"] == "/zh-hans/events/%E5%8C%97%E4%BA%AC/?page=2&sort=recent"


def test_the_chinese_pages_answer_at_the_redirected_address(client):
    response = client.get("/zh/", follow=True)
    assert response.redirect_chain == [("/zh-hans/", 301)]
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "zh-hans"


def test_unknown_pages_under_a_real_prefix_are_still_404(client):
    assert client.get("/fr/nothing-here/").status_code == 404
