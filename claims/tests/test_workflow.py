"""The newsroom workflow on the model: who may do which editorial act, when, and what each writes."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from claims.models import Claim, ReviewEvent
from claims.tests.factories import make_claim, make_user
from core.locking import EditConflict

pytestmark = pytest.mark.django_db

State = Claim.State
Status = Claim.Status
Action = ReviewEvent.Action

ALL_STATES = list(State)


def perform(claim: Claim, act: str, user, *, version: int | None = None, note: str | None = None) -> ReviewEvent:
    """Do ``act`` with everything it needs filled in properly (or with the given note)."""
    version = claim.version if version is None else version
    if act == "submit":
        return claim.submit(by=user, version=version, note="Ready." if note is None else note)
    if act == "send_back":
        return claim.send_back(by=user, version=version, note="Find the intercept." if note is None else note)
    if act == "set_status":
        reason = "Two independent origins." if note is None else note
        return claim.set_status(by=user, version=version, status=Status.CORROBORATED, reason=reason, public=True)
    if act == "publish":
        return claim.publish(by=user, version=version, note="" if note is None else note)
    if act == "withdraw":
        return claim.withdraw(by=user, version=version, note="The video was staged." if note is None else note)
    if act == "record_correction":
        return claim.record_correction(by=user, note="The date was wrong." if note is None else note)
    raise AssertionError(act)


# Where each act is allowed, and for whom. Everything not listed is refused.
ALLOWED = {
    "submit": ({State.DRAFT, State.SENT_BACK}, {"owner", "editor"}),
    "send_back": ({State.IN_REVIEW}, {"editor"}),
    "set_status": ({State.DRAFT, State.IN_REVIEW, State.SENT_BACK, State.PUBLISHED}, {"editor"}),
    "publish": ({State.IN_REVIEW}, {"editor"}),
    "withdraw": ({State.PUBLISHED}, {"editor"}),
    "record_correction": ({State.PUBLISHED}, {"editor"}),
}

RESULTING_STATE = {
    "submit": State.IN_REVIEW,
    "send_back": State.SENT_BACK,
    "publish": State.PUBLISHED,
    "withdraw": State.WITHDRAWN,
}


@pytest.fixture
def users(reporter, other_reporter, editor):
    return {"owner": reporter, "other": other_reporter, "editor": editor}


CASES = [
    pytest.param(act, state, role, id=f"{act}-{state}-{role}")
    for act in ALLOWED
    for state in ALL_STATES
    for role in ("owner", "other", "editor")
]


@pytest.mark.parametrize(("act", "state", "role"), CASES)
def test_it_allows_each_act_only_in_its_states_and_to_its_roles(users, act, state, role):
    claim = make_claim(created_by=users["owner"], state=state)
    states, roles = ALLOWED[act]
    allowed = state in states and role in roles

    if allowed:
        event = perform(claim, act, users[role])
        claim.refresh_from_db()
        assert event.user == users[role]
        assert claim.state == RESULTING_STATE.get(act, state)
    else:
        with pytest.raises(PermissionDenied):
            perform(claim, act, users[role])
        claim.refresh_from_db()
        assert claim.state == state
        assert claim.version == 1
        assert not claim.review_events.exists()


@pytest.mark.parametrize(("act", "state", "role"), CASES)
def test_its_can_rules_agree_with_the_acts(users, act, state, role):
    # The templates hide buttons with can_*; the acts refuse with the same rules.
    claim = make_claim(created_by=users["owner"], state=state)
    rule = {"record_correction": "can_correct"}.get(act, f"can_{act}")
    states, roles = ALLOWED[act]
    assert getattr(claim, rule)(users[role]) is (state in states and role in roles)


@pytest.mark.parametrize("act", list(ALLOWED))
def test_it_refuses_every_act_to_anonymous_users_and_users_without_a_role(act):
    state = next(iter(ALLOWED[act][0]))
    claim = make_claim(state=state)
    for user in (AnonymousUser(), make_user("nobody")):
        with pytest.raises(PermissionDenied):
            perform(claim, act, user)
    assert not claim.review_events.exists()


@pytest.mark.parametrize(
    ("act", "state"),
    [
        ("send_back", State.IN_REVIEW),
        ("set_status", State.IN_REVIEW),
        ("withdraw", State.PUBLISHED),
        ("record_correction", State.PUBLISHED),
    ],
)
@pytest.mark.parametrize("note", ["", "   \n\t "])
def test_it_requires_a_note_where_readers_or_reporters_need_a_reason(editor, act, state, note):
    claim = make_claim(state=state)

    with pytest.raises(ValidationError) as caught:
        perform(claim, act, editor, note=note)

    assert "note" in caught.value.message_dict
    claim.refresh_from_db()
    assert (claim.state, claim.status, claim.version) == (state, Status.UNVERIFIED, 1)
    assert not claim.review_events.exists()


def test_it_accepts_submit_and_publish_without_a_note(reporter, editor):
    claim = make_claim(created_by=reporter)
    claim.submit(by=reporter, version=1)
    claim.publish(by=editor, version=2)
    claim.refresh_from_db()
    assert claim.state == State.PUBLISHED
    assert list(claim.review_events.values_list("note", flat=True)) == ["", ""]


def test_it_refuses_a_status_that_is_not_one_of_the_choices(editor):
    claim = make_claim(state=State.IN_REVIEW)
    with pytest.raises(ValidationError) as caught:
        claim.set_status(by=editor, version=1, status="probably", reason="Gut feeling.", public=True)
    assert "status" in caught.value.message_dict
    assert not claim.review_events.exists()


def test_it_refuses_to_set_the_status_the_claim_already_has(editor):
    claim = make_claim(state=State.IN_REVIEW, status=Status.DISPUTED)
    with pytest.raises(ValidationError) as caught:
        claim.set_status(by=editor, version=1, status=Status.DISPUTED, reason="Still disputed.", public=True)
    assert "status" in caught.value.message_dict
    claim.refresh_from_db()
    assert claim.version == 1
    assert not claim.review_events.exists()


def test_it_checks_the_role_before_the_note(reporter):
    # A reporter learns they may not send back, not that a note is missing.
    claim = make_claim(state=State.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        claim.send_back(by=reporter, version=1, note="")


@pytest.mark.parametrize(
    ("state", "act", "expected"),
    [
        pytest.param(State.DRAFT, "submit", ("draft", "in_review", "", "", False), id="submit"),
        pytest.param(State.SENT_BACK, "submit", ("sent_back", "in_review", "", "", False), id="resubmit"),
        pytest.param(State.IN_REVIEW, "send_back", ("in_review", "sent_back", "", "", False), id="send_back"),
        pytest.param(State.IN_REVIEW, "publish", ("in_review", "published", "", "", True), id="publish"),
        pytest.param(State.PUBLISHED, "withdraw", ("published", "withdrawn", "", "", True), id="withdraw"),
        pytest.param(State.IN_REVIEW, "set_status", ("", "", "unverified", "corroborated", True), id="set_status"),
        pytest.param(State.PUBLISHED, "record_correction", ("", "", "", "", True), id="correction"),
    ],
)
def test_it_writes_one_review_event_recording_the_change(reporter, editor, state, act, expected):
    claim = make_claim(created_by=reporter, state=state)
    user = reporter if act == "submit" else editor

    event = perform(claim, act, user)

    assert list(claim.review_events.all()) == [event]
    event.refresh_from_db()
    assert event.action == {"record_correction": Action.CORRECT}.get(act, act)
    assert event.user == user
    assert (event.from_state, event.to_state, event.from_status, event.to_status, event.is_public) == expected


def test_it_keeps_a_status_reason_internal_when_asked(editor):
    claim = make_claim(state=State.IN_REVIEW)
    event = claim.set_status(by=editor, version=1, status=Status.SINGLE_ORIGIN, reason="Only GUR.", public=False)
    claim.refresh_from_db()
    assert claim.status == Status.SINGLE_ORIGIN
    assert claim.state == State.IN_REVIEW
    assert event.is_public is False


def test_it_stores_the_note_without_surrounding_whitespace(editor):
    claim = make_claim(state=State.IN_REVIEW)
    event = claim.send_back(by=editor, version=1, note="  Name the outlet.\n")
    assert event.note == "Name the outlet."


def test_it_sets_published_at_on_first_publication(reporter, editor):
    claim = make_claim(created_by=reporter, state=State.IN_REVIEW)
    before = timezone.now()

    claim.publish(by=editor, version=1)

    claim.refresh_from_db()
    assert before <= claim.published_at <= timezone.now()


def test_it_keeps_published_at_through_later_changes(editor):
    claim = make_claim(state=State.IN_REVIEW)
    claim.publish(by=editor, version=1)
    claim.refresh_from_db()
    first = claim.published_at

    claim.set_status(by=editor, version=2, status=Status.CONFIRMED, reason="Court record.", public=True)
    claim.record_correction(by=editor, note="Fixed the date.")
    claim.withdraw(by=editor, version=3, note="The court record was forged.")

    claim.refresh_from_db()
    assert claim.published_at == first


def test_it_does_not_move_the_first_publication_date_on_publishing_again(editor):
    first = timezone.now() - timedelta(days=30)
    claim = make_claim(state=State.IN_REVIEW, published_at=first)

    claim.publish(by=editor, version=1)

    claim.refresh_from_db()
    assert claim.published_at == first


def test_it_bumps_the_version_once_per_act(reporter, editor):
    claim = make_claim(created_by=reporter)

    claim.submit(by=reporter, version=1)
    claim.send_back(by=editor, version=2, note="Which unit?")
    claim.submit(by=reporter, version=3)
    claim.set_status(by=editor, version=4, status=Status.CORROBORATED, reason="Two origins.", public=True)
    claim.publish(by=editor, version=5)
    claim.withdraw(by=editor, version=6, note="Retracted by both outlets.")

    claim.refresh_from_db()
    assert claim.version == 7
    assert claim.state == State.WITHDRAWN
    assert list(claim.review_events.values_list("action", flat=True)) == [
        "submit",
        "send_back",
        "submit",
        "set_status",
        "publish",
        "withdraw",
    ]


@pytest.mark.parametrize(
    ("state", "act"),
    [
        (State.DRAFT, "submit"),
        (State.IN_REVIEW, "send_back"),
        (State.IN_REVIEW, "set_status"),
        (State.IN_REVIEW, "publish"),
        (State.PUBLISHED, "withdraw"),
    ],
)
def test_it_refuses_an_act_on_a_stale_version_and_writes_nothing(reporter, editor, state, act):
    claim = make_claim(created_by=reporter, state=state, version=4)
    user = reporter if act == "submit" else editor
    published_at = claim.published_at

    with pytest.raises(EditConflict) as caught:
        perform(claim, act, user, version=3)

    assert (caught.value.expected, caught.value.current) == (3, 4)
    claim.refresh_from_db()
    assert (claim.state, claim.status, claim.version, claim.published_at) == (
        state,
        Status.UNVERIFIED,
        4,
        published_at,
    )
    assert not ReviewEvent.objects.exists()


def test_it_refuses_an_act_from_a_copy_loaded_before_someone_elses_act(editor):
    claim = make_claim(state=State.IN_REVIEW)
    mine = Claim.objects.get(pk=claim.pk)
    theirs = Claim.objects.get(pk=claim.pk)
    theirs.publish(by=make_user("editor2", role="Editors"), version=theirs.version)

    with pytest.raises(EditConflict):
        mine.send_back(by=editor, version=mine.version, note="Not ready.")

    claim.refresh_from_db()
    assert claim.state == State.PUBLISHED
    assert list(claim.review_events.values_list("action", flat=True)) == ["publish"]


def test_it_keeps_a_withdrawn_claim_public_marked_as_withdrawn(editor):
    claim = make_claim(state=State.PUBLISHED)

    claim.withdraw(by=editor, version=1, note="Staged video.")

    assert claim.is_public
    assert claim.state == State.WITHDRAWN
    assert list(Claim.objects.public()) == [claim]
    assert not Claim.objects.published().exists()


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.SENT_BACK])
def test_it_keeps_unpublished_claims_from_the_public(state):
    make_claim(state=state)
    assert not Claim.objects.public().exists()


def test_it_leaves_state_status_and_version_alone_when_logging_a_correction(editor):
    # The edit view bumps the version when it saves the corrected fields.
    claim = make_claim(state=State.PUBLISHED, status=Status.CORROBORATED)
    claim.record_correction(by=editor, note="Spelling of the village.")
    claim.refresh_from_db()
    assert (claim.state, claim.status, claim.version) == (State.PUBLISHED, Status.CORROBORATED, 1)
