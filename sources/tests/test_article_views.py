import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from claims.tests.factories import make_attribution, make_claim, make_user
from sources.models import Article, Outlet
from sources.tests.factories import make_article, make_outlet

pytestmark = pytest.mark.django_db

PASTED_TEXT = "Intercepted audio, published on Tuesday,\nsuggests a blocking unit fired on retreating soldiers."
PASTED_SHA256 = hashlib.sha256(PASTED_TEXT.encode("utf-8")).hexdigest()


def article_data(**overrides) -> dict:
    data = {
        "url": "https://news.example/story",
        "outlet": "",
        "new_outlet": "Ziare",
        "headline": "Intercept describes a blocking unit",
        "byline": "A. Reporter",
        "published_on": "2024-03-01",
        "language": "en",
        "captured_text": PASTED_TEXT,
        "archive_url": "",
    }
    return {**data, **overrides}


def edit_data(article: Article, **overrides) -> dict:
    data = {
        "url": article.url,
        "outlet": article.outlet_id,
        "new_outlet": "",
        "headline": article.headline,
        "byline": article.byline,
        "published_on": article.published_on.isoformat() if article.published_on else "",
        "language": article.language,
        "captured_text": article.captured_text,
        "archive_url": article.archive_url,
        "version": article.version,
    }
    return {**data, **overrides}


def source_permissions(*codenames: str):
    return Permission.objects.filter(content_type__app_label="sources", codename__in=codenames)


def page_urls(article: Article) -> list[str]:
    return [
        reverse("sources:article_create"),
        reverse("sources:article_edit", args=[article.pk]),
        reverse("sources:article_detail", args=[article.pk]),
    ]


class TestAccess:
    def test_it_sends_anonymous_users_to_sign_in(self, client):
        for url in page_urls(make_article()):
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))

    def test_it_forbids_users_without_a_role(self, client):
        client.force_login(make_user("outsider"))
        for url in page_urls(make_article()):
            assert client.get(url).status_code == 403

    @pytest.mark.parametrize("role", ["reporter", "editor"])
    def test_it_opens_every_page_for_staff(self, client, request, role):
        client.force_login(request.getfixturevalue(role))
        for url in page_urls(make_article()):
            assert client.get(url).status_code == 200

    def test_it_404s_for_a_missing_article(self, client, reporter):
        client.force_login(reporter)
        assert client.get(reverse("sources:article_detail", args=[999])).status_code == 404
        assert client.get(reverse("sources:article_edit", args=[999])).status_code == 404

    def test_it_offers_edit_only_to_those_who_may_change_articles(self, client, reporter):
        article = make_article()
        reader = make_user("viewer")
        reader.user_permissions.add(*source_permissions("view_article"))
        client.force_login(reader)
        content = client.get(reverse("sources:article_detail", args=[article.pk])).content.decode()
        assert reverse("sources:article_edit", args=[article.pk]) not in content
        client.force_login(reporter)
        content = client.get(reverse("sources:article_detail", args=[article.pk])).content.decode()
        assert reverse("sources:article_edit", args=[article.pk]) in content


class TestCreate:
    def test_it_logs_an_article_with_its_url_normalised(self, client, reporter):
        client.force_login(reporter)
        response = client.post(
            reverse("sources:article_create"),
            article_data(url="HTTPS://News.Example/story?id=7&utm_source=telegram#comments"),
        )
        article = Article.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("sources:article_detail", args=[article.pk])
        assert article.url == "https://news.example/story?id=7"
        assert article.headline == "Intercept describes a blocking unit"
        assert article.published_on.isoformat() == "2024-03-01"

    def test_it_says_the_article_was_logged(self, client, reporter):
        client.force_login(reporter)
        response = client.post(reverse("sources:article_create"), article_data(), follow=True)
        assert "Article logged." in response.content.decode()

    def test_it_hashes_and_timestamps_the_pasted_text(self, client, reporter):
        client.force_login(reporter)
        client.post(reverse("sources:article_create"), article_data())
        article = Article.objects.get()
        assert article.captured_text == PASTED_TEXT
        assert article.captured_sha256 == PASTED_SHA256
        assert article.captured_at is not None

    def test_it_ignores_a_posted_hash_and_capture_time(self, client, reporter):
        client.force_login(reporter)
        client.post(
            reverse("sources:article_create"),
            article_data(captured_sha256="0" * 64, captured_at="2000-01-01T00:00:00Z"),
        )
        article = Article.objects.get()
        assert article.captured_sha256 == PASTED_SHA256
        assert article.captured_at.year > 2000

    def test_it_hashes_the_text_as_pasted_not_as_the_browser_sends_it(self, client, reporter):
        client.force_login(reporter)
        client.post(reverse("sources:article_create"), article_data(captured_text=PASTED_TEXT.replace("\n", "\r\n")))
        assert Article.objects.get().captured_sha256 == PASTED_SHA256

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x"])
    def test_it_refuses_addresses_that_are_not_http(self, client, reporter, url):
        client.force_login(reporter)
        response = client.post(reverse("sources:article_create"), article_data(url=url))
        assert response.status_code == 200
        assert response.context["form"].errors["url"]
        assert 'id="id_url_error"' in response.content.decode()
        assert not Article.objects.exists()
        assert not Outlet.objects.exists()

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x"])
    def test_it_refuses_archive_addresses_that_are_not_http(self, client, reporter, url):
        client.force_login(reporter)
        response = client.post(reverse("sources:article_create"), article_data(archive_url=url))
        assert response.context["form"].errors["archive_url"]
        assert not Article.objects.exists()

    def test_it_names_the_accepted_schemes(self, client, reporter):
        client.force_login(reporter)
        response = client.post(reverse("sources:article_create"), article_data(url="ftp://files.example/x"))
        assert response.context["form"].errors["url"] == ["Only http:// and https:// addresses are accepted."]

    @pytest.mark.parametrize(
        "variant",
        [
            "https://news.example/story?utm_source=x&utm_medium=social",
            "https://news.example/story#comments",
            "https://NEWS.Example/story",
            "https://news.example:443/story?fbclid=abc",
        ],
    )
    def test_it_spots_an_article_already_logged(self, client, reporter, variant):
        existing = make_article(url="https://news.example/story", headline="The first report")
        client.force_login(reporter)
        response = client.post(reverse("sources:article_create"), article_data(url=variant))
        assert response.status_code == 200
        assert response.context["form"].errors["url"] == ["This article is already logged."]
        assert response.context["existing_article"] == existing
        content = response.content.decode()
        assert f'href="{reverse("sources:article_detail", args=[existing.pk])}"' in content
        assert Article.objects.count() == 1
        assert not Outlet.objects.filter(name="Ziare").exists()

    def test_it_uses_a_chosen_outlet(self, client, reporter):
        outlet = make_outlet(name="Kyiv Post")
        client.force_login(reporter)
        client.post(reverse("sources:article_create"), article_data(outlet=outlet.pk, new_outlet=""))
        assert Article.objects.get().outlet == outlet
        assert Outlet.objects.count() == 1

    def test_it_creates_a_typed_outlet(self, client, reporter):
        client.force_login(reporter)
        client.post(reverse("sources:article_create"), article_data(new_outlet="  Ziare  "))
        assert Article.objects.get().outlet.name == "Ziare"

    def test_it_reuses_an_outlet_typed_in_another_case(self, client, reporter):
        outlet = make_outlet(name="Kyiv Post")
        client.force_login(reporter)
        client.post(reverse("sources:article_create"), article_data(new_outlet="kyiv post"))
        assert Article.objects.get().outlet == outlet
        assert Outlet.objects.count() == 1

    def test_it_requires_an_outlet(self, client, reporter):
        client.force_login(reporter)
        response = client.post(reverse("sources:article_create"), article_data(new_outlet=""))
        assert response.context["form"].errors["outlet"] == [
            "Choose the outlet that published the article, or type a new one."
        ]
        assert not Article.objects.exists()

    def test_it_refuses_a_chosen_and_a_typed_outlet_together(self, client, reporter):
        outlet = make_outlet(name="Kyiv Post")
        client.force_login(reporter)
        response = client.post(reverse("sources:article_create"), article_data(outlet=outlet.pk, new_outlet="Ziare"))
        assert response.context["form"].errors["outlet"]
        assert not Article.objects.exists()
        assert not Outlet.objects.filter(name="Ziare").exists()

    def test_it_offers_no_new_outlet_to_those_who_may_not_add_outlets(self, client):
        user = make_user("article-only")
        user.user_permissions.add(*source_permissions("add_article"))
        client.force_login(user)
        response = client.post(reverse("sources:article_create"), article_data(new_outlet="Ziare"))
        assert "new_outlet" not in response.context["form"].fields
        assert response.context["form"].errors["outlet"]
        assert not Outlet.objects.exists()


class TestEdit:
    def test_it_saves_changes_and_bumps_the_version(self, client, reporter):
        article = make_article(headline="Old headline")
        client.force_login(reporter)
        response = client.post(
            reverse("sources:article_edit", args=[article.pk]), edit_data(article, headline="New headline")
        )
        assert response.status_code == 302
        assert response.url == reverse("sources:article_detail", args=[article.pk])
        article.refresh_from_db()
        assert (article.headline, article.version) == ("New headline", 2)

    def test_it_keeps_the_capture_when_the_text_comes_back_unchanged(self, client, reporter):
        article = make_article(captured_text="First line.\nSecond line.")
        captured = (article.captured_sha256, article.captured_at)
        client.force_login(reporter)
        client.post(
            reverse("sources:article_edit", args=[article.pk]),
            edit_data(article, headline="New headline", captured_text="First line.\r\nSecond line."),
        )
        article.refresh_from_db()
        assert article.headline == "New headline"
        assert (article.captured_sha256, article.captured_at) == captured

    def test_it_keeps_its_own_url_without_calling_it_a_duplicate(self, client, reporter):
        article = make_article(url="https://news.example/story")
        client.force_login(reporter)
        response = client.post(
            reverse("sources:article_edit", args=[article.pk]),
            edit_data(article, url="https://news.example/story?utm_campaign=x"),
        )
        assert response.status_code == 302

    def test_it_refuses_the_url_of_another_article(self, client, reporter):
        other = make_article(url="https://news.example/other")
        article = make_article(url="https://news.example/story")
        client.force_login(reporter)
        response = client.post(
            reverse("sources:article_edit", args=[article.pk]), edit_data(article, url="https://news.example/other#x")
        )
        assert response.context["form"].errors["url"] == ["This article is already logged."]
        assert response.context["existing_article"] == other
        article.refresh_from_db()
        assert article.url == "https://news.example/story"

    def test_it_shows_the_second_of_two_concurrent_writers_a_conflict(self, client, reporter, other_reporter):
        article = make_article(headline="Original headline")
        edit_url = reverse("sources:article_edit", args=[article.pk])
        client.force_login(reporter)
        second = Client()
        second.force_login(other_reporter)
        first_version = client.get(edit_url).context["form"]["version"].value()
        second_version = second.get(edit_url).context["form"]["version"].value()
        assert first_version == second_version == 1

        first = client.post(edit_url, edit_data(article, headline="First writer's headline", version=first_version))
        conflict = second.post(edit_url, edit_data(article, headline="Second writer's take", version=second_version))

        assert first.status_code == 302
        assert conflict.status_code == 409
        content = conflict.content.decode()
        assert "Second writer&#x27;s take" in content
        assert "First writer&#x27;s headline" in content
        assert f'href="{edit_url}"' in content
        article.refresh_from_db()
        assert article.headline == "First writer's headline"
        assert article.version == 2

    def test_it_treats_a_missing_version_as_an_error(self, client, reporter):
        article = make_article()
        client.force_login(reporter)
        data = edit_data(article, headline="Changed")
        del data["version"]
        response = client.post(reverse("sources:article_edit", args=[article.pk]), data)
        assert response.status_code == 200
        assert response.context["form"].errors["version"]
        article.refresh_from_db()
        assert article.headline == "A report"

    def test_it_records_who_changed_what(self, client, reporter):
        article = make_article(headline="Old headline")
        client.force_login(reporter)
        client.post(reverse("sources:article_edit", args=[article.pk]), edit_data(article, headline="New headline"))
        history = client.get(reverse("sources:article_detail", args=[article.pk])).context["history"]
        assert [row.record.history_type for row in history] == ["~", "+"]
        assert history[0].record.history_user == reporter
        assert history[0].changed == ["headline"]


class TestDetail:
    def test_it_shows_the_capture_and_its_hash(self, client, reporter):
        article = make_article(captured_text="Captured copy.", archive_url="https://archive.example/abc")
        client.force_login(reporter)
        content = client.get(reverse("sources:article_detail", args=[article.pk])).content.decode()
        assert hashlib.sha256(b"Captured copy.").hexdigest() in content
        assert "Captured copy." in content
        assert 'href="https://archive.example/abc"' in content

    def test_it_escapes_the_headline(self, client, reporter):
        article = make_article(headline="<script>alert(1)</script>")
        client.force_login(reporter)
        content = client.get(reverse("sources:article_detail", args=[article.pk])).content.decode()
        assert "<script>alert(1)" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content

    def test_it_links_to_logging_a_claim_from_the_article(self, client, reporter):
        article = make_article()
        client.force_login(reporter)
        content = client.get(reverse("sources:article_detail", args=[article.pk])).content.decode()
        assert f'href="{reverse("claims:claim_create")}?article={article.pk}"' in content

    def test_it_lists_the_claims_citing_it_once_each(self, client, reporter):
        article = make_article()
        claim = make_claim(statement="Blocking units fired on retreating soldiers.", state=Claim.State.PUBLISHED)
        make_attribution(claim=claim, article=article)
        make_attribution(claim=claim, article=article)
        client.force_login(reporter)
        response = client.get(reverse("sources:article_detail", args=[article.pk]))
        assert list(response.context["claims"]) == [claim]
        assert f'href="{reverse("claims:claim_detail", args=[claim.pk])}"' in response.content.decode()

    def test_it_hides_a_colleagues_draft_from_a_reporter(self, client, reporter, other_reporter, editor):
        article = make_article()
        draft = make_claim(statement="A colleague's unfinished claim.", created_by=other_reporter)
        make_attribution(claim=draft, article=article)
        detail_url = reverse("sources:article_detail", args=[article.pk])
        client.force_login(reporter)
        assert "unfinished claim" not in client.get(detail_url).content.decode()
        client.force_login(editor)
        assert "unfinished claim" in client.get(detail_url).content.decode()

    @pytest.mark.parametrize("citing", [1, 10])
    def test_its_query_count_does_not_grow_with_the_claims(self, client, reporter, django_assert_num_queries, citing):
        article = make_article()
        for n in range(citing):
            make_attribution(claim=make_claim(statement=f"Claim {n}", state=Claim.State.PUBLISHED), article=article)
        client.force_login(reporter)
        # 1. session; 2. user; 3. the user's own permissions; 4. their groups' permissions;
        # 5. whether they have an authenticator (two-factor sign-in);
        # 6. the article with its outlet; 7. its history with the users; 8. the citing claims (in the template)
        with django_assert_num_queries(8):
            response = client.get(reverse("sources:article_detail", args=[article.pk]))
        assert len(response.context["claims"]) == citing
