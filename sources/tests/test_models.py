import hashlib

import pytest
from django.core.exceptions import ValidationError

from sources.models import Actor, Article
from sources.tests.factories import make_actor, make_article, make_outlet

pytestmark = pytest.mark.django_db


class TestArticle:
    def test_it_stores_the_normalised_url(self):
        article = make_article(url="HTTPS://Ziare.example/story?utm_source=fb#x")
        article.refresh_from_db()
        assert article.url == "https://ziare.example/story"

    def test_it_hashes_and_timestamps_the_captured_text(self):
        article = make_article(captured_text="Captured copy of the report.")
        article.refresh_from_db()
        assert article.captured_sha256 == hashlib.sha256(b"Captured copy of the report.").hexdigest()
        assert article.captured_at is not None

    def test_it_recomputes_a_hash_typed_by_someone(self):
        article = make_article(captured_text="Captured copy.")
        article.captured_sha256 = "0" * 64
        article.save()
        article.refresh_from_db()
        assert article.captured_sha256 == hashlib.sha256(b"Captured copy.").hexdigest()

    def test_it_keeps_the_capture_time_when_the_text_is_unchanged(self):
        article = make_article(captured_text="Captured copy.")
        first_capture = article.captured_at
        article.headline = "A corrected headline"
        article.save()
        article.refresh_from_db()
        assert article.captured_at == first_capture

    def test_it_recaptures_when_the_text_changes(self):
        article = make_article(captured_text="First capture.")
        first = (article.captured_sha256, article.captured_at)
        article.captured_text = "Second capture, after the page changed."
        article.save()
        assert article.captured_sha256 != first[0]
        assert article.captured_at >= first[1]

    def test_it_clears_the_hash_with_the_text(self):
        article = make_article(captured_text="Something.")
        article.captured_text = ""
        article.save()
        article.refresh_from_db()
        assert (article.captured_sha256, article.captured_at) == ("", None)

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.example/"])
    def test_its_validation_rejects_non_http_urls(self, url):
        article = Article(url=url, headline="x", outlet=make_outlet())
        with pytest.raises(ValidationError) as excinfo:
            article.full_clean()
        assert "url" in excinfo.value.message_dict

    def test_its_validation_rejects_a_non_http_archive_url(self):
        article = Article(url="https://ok.example/", archive_url="javascript:x", headline="x", outlet=make_outlet())
        with pytest.raises(ValidationError) as excinfo:
            article.full_clean()
        assert "archive_url" in excinfo.value.message_dict

    def test_its_validation_reports_an_already_logged_url(self):
        make_article(url="https://ap.example/story?id=1")
        duplicate = Article(url="https://AP.example/story?id=1&utm_source=x", headline="x", outlet=make_outlet())
        with pytest.raises(ValidationError) as excinfo:
            duplicate.full_clean()
        assert "url" in excinfo.value.message_dict


class TestActor:
    def test_it_shows_protected_actors_under_their_pseudonym(self):
        maria = make_actor(name="Real Name", kind=Actor.Kind.INDIVIDUAL, is_protected=True, pseudonym="Maria")
        gur = make_actor(name="GUR")
        assert maria.public_name == "Maria"
        assert gur.public_name == "GUR"

    def test_public_excludes_protected_actors(self):
        make_actor(name="Real Name", is_protected=True, pseudonym="Maria")
        gur = make_actor(name="GUR")
        assert list(Actor.objects.public()) == [gur]

    def test_its_validation_requires_a_pseudonym_when_protected(self):
        actor = Actor(name="Real Name", kind=Actor.Kind.INDIVIDUAL, is_protected=True, pseudonym="  ")
        with pytest.raises(ValidationError) as excinfo:
            actor.full_clean()
        assert "pseudonym" in excinfo.value.message_dict


def test_a_captured_article_passes_full_validation():
    article = Article(url="https://ap.example/x", headline="x", outlet=make_outlet(), captured_text="Copy.")
    article.full_clean()
    assert len(article.captured_sha256) == 64
