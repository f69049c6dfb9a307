"""Build a demo newsroom: accounts, outlets, actors, articles and claims in every state.

The content is modelled on the kind of reporting the desk ingests (intercepts
relayed from outlet to outlet, a denial, a drone video, a ministry's "likely",
a wire agency's identity checks) but written in the desk's own words; the
URLs and dates are made up. Every record is looked up by a natural key before
it is created (names, URLs, claim statements), so a second run adds nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import two_factor
from claims.models import Attribution, Claim, Corroboration, EvidenceItem, Region, ReviewEvent, Topic
from sources.models import Actor, Article, IndependenceGroup, Outlet
from sources.urlnorm import normalize_url

# Everyone who reads the README knows it, which is why the command refuses to
# run unless DEBUG is on.
DEMO_PASSWORD = "claimdesk-demo-only"  # noqa: S105

# username, group, superuser
ACCOUNTS = [
    ("reporter", "Reporters", False),
    ("editor", "Editors", False),
    ("admin", None, True),
]

Action = ReviewEvent.Action
State = Claim.State
Status = Claim.Status
Stance = Attribution.Stance
Method = Corroboration.Method
Finding = Corroboration.Finding
d = datetime.date


# ---------------------------------------------------------------------------
# Sources: independence groups, outlets, actors, articles, evidence
# ---------------------------------------------------------------------------

UKRAINIAN_STATE = "Ukrainian state"
RUSSIAN_STATE = "Russian state"
UK_GOVERNMENT = "UK government"

INDEPENDENCE_GROUPS = {
    UKRAINIAN_STATE: "Ukraine's intelligence services, armed forces and their staff: one origin between them.",
    RUSSIAN_STATE: "The Kremlin, Russia's ministries and its armed forces.",
    UK_GOVERNMENT: "UK ministries and Defence Intelligence.",
}

ZIARE = "Ziare"
FRONTLINE_DIGEST = "Frontline Digest"
KYIV_POST = "Kyiv Post"
AP_OUTLET = "Associated Press"
GOV_UK = "GOV.UK"
GUR_SITE = "GUR website (gur.gov.ua)"
TASS = "TASS"
WAR_NOTES = "War Notes"

OUTLETS = {
    ZIARE: {"kind": Outlet.Kind.NEWS, "website": "https://ziare.com", "country": "RO"},
    FRONTLINE_DIGEST: {"kind": Outlet.Kind.AGGREGATOR, "website": "https://frontlinedigest.example"},
    KYIV_POST: {"kind": Outlet.Kind.NEWS, "website": "https://www.kyivpost.com", "country": "UA"},
    AP_OUTLET: {"kind": Outlet.Kind.WIRE, "website": "https://apnews.com", "country": "US"},
    GOV_UK: {"kind": Outlet.Kind.GOVERNMENT, "website": "https://www.gov.uk", "country": "GB"},
    GUR_SITE: {"kind": Outlet.Kind.GOVERNMENT, "website": "https://gur.gov.ua", "country": "UA"},
    TASS: {"kind": Outlet.Kind.NEWS, "website": "https://tass.com", "country": "RU"},
    WAR_NOTES: {"kind": Outlet.Kind.BLOG, "website": "https://warnotes.example"},
}

GUR = "GUR (Defence Intelligence of Ukraine)"
GENERAL_STAFF = "General Staff of the Armed Forces of Ukraine"
DRONE_UNIT = "Ukrainian drone reconnaissance unit (unnamed)"
MARIA = "Iryna Vyhadana"  # a made-up name: the demo's protected source
UK_MOD = "UK Ministry of Defence"
AP = "Associated Press"
KREMLIN = "Kremlin"
RUSSIAN_MOD = "Russian Ministry of Defence"
RUSSIAN_SOLDIER = "Russian soldier on a GUR intercept (unnamed)"
ANALYSTS = "Military analysts cited by Frontline Digest"
TELEGRAM_CHANNEL = "Anonymous Telegram channel (deserter video)"

ACTORS = {
    GUR: {
        "kind": Actor.Kind.GOVERNMENT,
        "side": Actor.Side.UKRAINE,
        "country": "UA",
        "is_party_to_conflict": True,
        "independence_group": UKRAINIAN_STATE,
        "reliability": Actor.Reliability.C,
        "description": "Ukraine's military intelligence directorate. Publishes intercepted Russian calls.",
    },
    GENERAL_STAFF: {
        "kind": Actor.Kind.GOVERNMENT,
        "side": Actor.Side.UKRAINE,
        "country": "UA",
        "is_party_to_conflict": True,
        "independence_group": UKRAINIAN_STATE,
        "reliability": Actor.Reliability.C,
    },
    DRONE_UNIT: {
        "kind": Actor.Kind.MILITARY_UNIT,
        "side": Actor.Side.UKRAINE,
        "country": "UA",
        "is_party_to_conflict": True,
        "independence_group": UKRAINIAN_STATE,
        "reliability": Actor.Reliability.F,
        "description": "The unit whose drone filmed the footage; the blog that shared it does not name it.",
    },
    MARIA: {
        "kind": Actor.Kind.INDIVIDUAL,
        "side": Actor.Side.UKRAINE,
        "country": "UA",
        "is_party_to_conflict": True,
        # She listens to intercepts for the Ukrainian state: not an independent check on GUR.
        "independence_group": UKRAINIAN_STATE,
        "reliability": Actor.Reliability.F,
        "is_protected": True,
        "pseudonym": "Maria",
        "description": "Ukrainian specialist who monitors intercepted Russian phone calls. Interviewed by Kyiv Post.",
    },
    UK_MOD: {
        "kind": Actor.Kind.GOVERNMENT,
        "side": Actor.Side.THIRD_PARTY,
        "country": "GB",
        "independence_group": UK_GOVERNMENT,
        "reliability": Actor.Reliability.B,
        "description": "Publishes regular Defence Intelligence updates on the war.",
    },
    AP: {
        "kind": Actor.Kind.MEDIA,
        "side": Actor.Side.THIRD_PARTY,
        "country": "US",
        "reliability": Actor.Reliability.B,
        "description": "US wire agency.",
    },
    KREMLIN: {
        "kind": Actor.Kind.GOVERNMENT,
        "side": Actor.Side.RUSSIA,
        "country": "RU",
        "is_party_to_conflict": True,
        "independence_group": RUSSIAN_STATE,
        "reliability": Actor.Reliability.D,
        "description": "The Russian presidential administration and its spokesman.",
    },
    RUSSIAN_MOD: {
        "kind": Actor.Kind.GOVERNMENT,
        "side": Actor.Side.RUSSIA,
        "country": "RU",
        "is_party_to_conflict": True,
        "independence_group": RUSSIAN_STATE,
        "reliability": Actor.Reliability.D,
    },
    RUSSIAN_SOLDIER: {
        "kind": Actor.Kind.INDIVIDUAL,
        "side": Actor.Side.RUSSIA,
        "country": "RU",
        "is_party_to_conflict": True,
        "reliability": Actor.Reliability.F,
        "description": "A serviceman heard on a call GUR published; neither GUR nor the desk has identified him.",
    },
    ANALYSTS: {
        "kind": Actor.Kind.ANALYST,
        "side": Actor.Side.THIRD_PARTY,
        "reliability": Actor.Reliability.F,
        "description": "Unnamed analysts; the aggregator gives no names or affiliations.",
    },
    TELEGRAM_CHANNEL: {
        "kind": Actor.Kind.MEDIA,
        "reliability": Actor.Reliability.E,
        "description": "Channel with no known owner that first posted the deserter video in 2024.",
    },
}

ARTICLES = {
    "gur-intercept": {
        "url": "https://gur.gov.ua/content/perekhoplennia-zahorodzhuvalni-zahony.html",
        "headline": "Перехоплення: окупанти розповідають про загороджувальні загони",
        "outlet": GUR_SITE,
        "published_on": d(2025, 5, 20),
        "language": Article.Language.UKRAINIAN,
        "captured_text": (
            "ГУР оприлюднило запис розмови російських військових. Один із них каже, що його підрозділу "
            "пропонували стати загоном, який не дає своїм відступати, і що вони відмовились. Розвідка "
            "вважає, що такі загони діють на кількох ділянках фронту через великі втрати та розвал дисципліни."
        ),
    },
    "ziare-relay": {
        "url": "https://ziare.com/razboi-ucraina/interceptari-gur-detasamente-de-baraj-armata-rusa-1923456",
        "headline": "Interceptări publicate de Kiev: armata rusă ar folosi din nou detașamente de baraj",
        "outlet": ZIARE,
        "published_on": d(2025, 5, 22),
        "language": Article.Language.ROMANIAN,
        "captured_text": (
            "Serviciul ucrainean de informații militare (GUR) a făcut publice noi convorbiri ale unor "
            "soldați ruși. Potrivit GUR, comandanții ruși folosesc unități care își opresc proprii "
            "soldați să se retragă. Kremlinul spune că înregistrările sunt falsuri. O specialistă "
            "ucraineană în interceptări, citată de Kyiv Post sub pseudonimul Maria, spune că sunt autentice."
        ),
    },
    "digest-relay": {
        "url": "https://frontlinedigest.example/world/russia-blocking-detachments-ukraine-intelligence",
        "headline": "Ukraine says new recordings show Russia posting troops behind its own lines",
        "outlet": FRONTLINE_DIGEST,
        "published_on": d(2025, 5, 23),
        "captured_text": (
            "A short item, credited to the Romanian site Ziare, on recordings released by Ukraine's "
            "military intelligence in which Russian soldiers discuss detachments posted behind the line "
            "to stop withdrawals. It recalls Stalin's 1942 no-retreat order, gives Moscow's position that "
            "the recordings are forged, and quotes unnamed analysts who tie the practice to losses and morale."
        ),
    },
    "kyivpost-maria": {
        "url": "https://www.kyivpost.com/post/49210",
        "headline": "Listening in on the enemy: a shift with a Ukrainian intercept specialist",
        "outlet": KYIV_POST,
        "byline": "Kyiv Post staff",
        "published_on": d(2025, 4, 15),
        "captured_text": (
            "Profile of a Ukrainian specialist who monitors Russian soldiers' phone calls, identified only "
            "as Maria. She describes hearing talk of units that keep soldiers from pulling back, says the "
            "calls are genuine, and admits that what she hears still shocks her."
        ),
    },
    "tass-denial": {
        "url": "https://tass.com/politics/1960412",
        "headline": "Kremlin dismisses Ukrainian 'intercepts' as fabrications",
        "outlet": TASS,
        "published_on": d(2025, 5, 26),
        "captured_text": (
            "The Kremlin spokesman told reporters that recordings put out by Ukrainian intelligence were "
            "fabricated as part of an information campaign, and said no Russian unit has the task of "
            "stopping its own soldiers from withdrawing."
        ),
    },
    "tass-conscripts": {
        "url": "https://tass.com/defense/1681033",
        "headline": "Defence ministry: autumn draftees will serve on Russian territory",
        "outlet": TASS,
        "published_on": d(2023, 10, 2),
        "captured_text": (
            "Russia's defence ministry said the men called up in the autumn draft would do their service "
            "inside Russia and would not take part in the special military operation."
        ),
    },
    "govuk-mod": {
        "url": "https://www.gov.uk/government/publications/defence-intelligence-update-ukraine-4-march-2023",
        "headline": "Defence Intelligence update on Ukraine, 4 March 2023",
        "outlet": GOV_UK,
        "byline": "Ministry of Defence",
        "published_on": d(2023, 3, 4),
        "captured_text": (
            "Defence Intelligence judges that Russian commanders are probably stationing units behind the "
            "front with orders to shoot soldiers who withdraw without permission, and reads this as a sign "
            "of poor morale and an army struggling to advance."
        ),
    },
    "warnotes-drone": {
        "url": "https://warnotes.example/2023/03/barrier-troops-drone-footage",
        "headline": "Drone footage appears to show Russian troops shooting at their own",
        "outlet": WAR_NOTES,
        "published_on": d(2023, 3, 10),
        "captured_text": (
            "The post shares a clip from a Ukrainian surveillance drone: a handful of Russian soldiers leave "
            "a position and move back, then a second group in Russian uniform shoots at them. The author "
            "cites the UK Defence Intelligence update on barrier troops and says Ukrainian units often pick "
            "up similar orders on Russian radio."
        ),
    },
    "ap-500s": {
        "url": "https://apnews.com/article/russia-ukraine-war-intercepted-calls-soldiers-500s-4f2a9c",
        "headline": "In intercepted calls, Russian soldiers talk of '500s': men who won't fight",
        "outlet": AP_OUTLET,
        "byline": "Associated Press",
        "published_on": d(2023, 11, 27),
        "captured_text": (
            "The AP obtained recordings of Russian soldiers calling home from the front. They call the dead "
            "200s, the wounded 300s and men who will not fight 500s. The calls come from units around Kharkiv, "
            "Luhansk and Donetsk. Reporters checked who the speakers were by talking to relatives and fellow "
            "soldiers and by tracing their phone numbers in open sources. The story also mentions official "
            "promises that draftees will stay in Russia, the transfer of draftees to the reserve after a year, "
            "and a growing number of prosecutions of soldiers who will not fight."
        ),
    },
    "kyivpost-ap-relay": {
        "url": "https://www.kyivpost.com/post/25118",
        "headline": "AP: Russian troops' calls home reveal growing ranks of '500s'",
        "outlet": KYIV_POST,
        "published_on": d(2023, 11, 28),
        "captured_text": (
            "Kyiv Post summarises the Associated Press investigation into intercepted calls, including the "
            "'500' code for soldiers who refuse combat."
        ),
    },
    "digest-execution": {
        "url": "https://frontlinedigest.example/world/video-deserter-shot-zaporizhzhia",
        "headline": "Video said to show Russian deserter shot by his own side",
        "outlet": FRONTLINE_DIGEST,
        "published_on": d(2024, 2, 14),
        "captured_text": (
            "The item shares a video from a Telegram channel that it says shows Russian soldiers shooting a "
            "comrade who tried to desert near Zaporizhzhia. It names no source for the footage."
        ),
    },
}

EVIDENCE = {
    "gur-call": {
        "title": "GUR intercept: Russian soldiers talk about a blocking detachment",
        "kind": EvidenceItem.Kind.AUDIO_INTERCEPT,
        "published_by": GUR,
        "published_on": d(2025, 5, 20),
        "url": "https://gur.gov.ua/content/perekhoplennia-zahorodzhuvalni-zahony.html",
        "speakers": "Two Russian servicemen; GUR does not name them.",
        "description": "Audio clip of a few minutes, published with Ukrainian subtitles. No recording date given.",
        "translation": (
            "Desk summary, not a transcript: one man says his unit refused an offer to serve as a blocking "
            "detachment; the other curses the officers who recruit for such units."
        ),
    },
    "drone-video": {
        "title": "Drone video: men in Russian uniform fire on retreating soldiers",
        "kind": EvidenceItem.Kind.VIDEO,
        "published_by": DRONE_UNIT,
        "published_on": d(2023, 3, 8),
        "url": "https://warnotes.example/media/barrier-troops-drone.mp4",
        "speakers": "No sound. Around a dozen figures, none identifiable.",
        "description": "Overhead drone footage, under a minute long. Not yet geolocated.",
    },
    "ap-calls": {
        "title": "Intercepted calls of Russian soldiers obtained by the AP",
        "kind": EvidenceItem.Kind.AUDIO_INTERCEPT,
        "published_by": AP,
        "published_on": d(2023, 11, 27),
        "speakers": "Russian soldiers serving in eastern Ukraine; the AP confirmed several identities.",
        "speakers_identified": True,
        "authenticity": EvidenceItem.Authenticity.ORIGINAL,
        "description": "Excerpts published with the AP story; the agency holds the full recordings.",
    },
    "execution-video": {
        "title": "Video said to show a deserter being shot near Zaporizhzhia",
        "kind": EvidenceItem.Kind.VIDEO,
        "published_by": TELEGRAM_CHANNEL,
        "published_on": d(2024, 2, 12),
        "authenticity": EvidenceItem.Authenticity.DECONTEXTUALISED,
        "description": "Posted by an anonymous Telegram channel. The same clip was online years earlier.",
    },
}

TOPICS = {
    "barrier-units": ("Barrier units", "Units said to stop their own side's soldiers retreating, by threat or fire."),
    "audio-intercepts": ("Audio intercepts", "Phone and radio calls recorded and published by the other side."),
    "refusals-to-fight": ('Refusals to fight ("500s")', "Soldiers who refuse orders to go into combat."),
    "casualty-code-words": ("Casualty code words (200/300)", "The army slang for the dead (200) and wounded (300)."),
    "conscription": ("Conscription and mobilisation", "Call-ups, draft promises and the reserve."),
    "prosecutions": ("Prosecutions of refusers", "Criminal cases against soldiers who refuse to fight."),
    "desertion-executions": ("Desertion and executions", "Soldiers who flee, and what is said to happen to them."),
}


# ---------------------------------------------------------------------------
# Claims: what is said, by whom, how it was tested and how editors judged it
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One attribution. ``key`` names it within its claim so later reports can relay it."""

    actor: str
    article: str
    stance: str
    quote: str
    key: str = ""
    via: str = ""
    estimative_term: str = ""
    credibility: int | None = None


@dataclass(frozen=True)
class Check:
    """One corroboration. ``performed_by`` empty: the desk did the work."""

    method: str
    finding: str
    performed_on: datetime.date
    notes: str
    performed_by: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Step:
    """One editorial act; the claim's final state and status follow from replaying them."""

    action: str
    note: str = ""
    status: str = ""
    is_public: bool = False


def submit() -> Step:
    return Step(Action.SUBMIT)


def send_back(note: str) -> Step:
    return Step(Action.SEND_BACK, note=note)


def set_status(status: str, note: str, *, public: bool = True) -> Step:
    return Step(Action.SET_STATUS, note=note, status=status, is_public=public)


def publish() -> Step:
    # Publication is public, as Claim.publish() records it.
    return Step(Action.PUBLISH, is_public=True)


def correct(note: str) -> Step:
    return Step(Action.CORRECT, note=note, is_public=True)


def withdraw(note: str) -> Step:
    return Step(Action.WITHDRAW, note=note, is_public=True)


@dataclass(frozen=True)
class ClaimSpec:
    statement: str
    topics: tuple[str, ...]
    regions: tuple[str, ...]
    event_start: datetime.date
    logged_days_ago: int
    event_end: datetime.date | None = None
    notes: str = ""
    evidence: tuple[str, ...] = ()
    reports: tuple[Report, ...] = ()
    checks: tuple[Check, ...] = ()
    trail: tuple[Step, ...] = field(default_factory=tuple)


CLAIMS = [
    ClaimSpec(
        statement=(
            "Intercepted calls released by GUR in May 2025 capture Russian soldiers describing blocking "
            "detachments that keep their comrades from retreating."
        ),
        topics=("barrier-units", "audio-intercepts"),
        regions=("zaporizhzhia",),
        event_start=d(2025, 5, 1),
        event_end=d(2025, 5, 20),
        logged_days_ago=30,
        evidence=("gur-call",),
        reports=(
            Report(
                GUR,
                "gur-intercept",
                Stance.ASSERTS,
                "Intelligence publishes a call in which occupiers discuss detachments that stop retreats.",
                key="gur",
                credibility=3,
            ),
            Report(
                GUR,
                "ziare-relay",
                Stance.ASSERTS,
                "[translated] GUR says Russian commanders use units that stop their own soldiers pulling back.",
                key="ziare",
                via="gur",
            ),
            Report(
                GUR,
                "digest-relay",
                Stance.ASSERTS,
                "New recordings show detachments posted behind the line to stop withdrawals, Ukraine says.",
                via="ziare",
            ),
            Report(
                MARIA,
                "kyivpost-maria",
                Stance.ASSERTS,
                "The calls are genuine, Maria says, including talk of units that keep soldiers from pulling back.",
                key="maria",
                credibility=3,
            ),
            Report(
                MARIA,
                "ziare-relay",
                Stance.ASSERTS,
                "[translated] A specialist quoted by Kyiv Post as Maria says the recordings are authentic.",
                via="maria",
            ),
            Report(KREMLIN, "ziare-relay", Stance.DENIES, "[translated] The Kremlin says the recordings are fakes."),
            Report(
                KREMLIN,
                "tass-denial",
                Stance.DENIES,
                "Recordings put out by Ukrainian intelligence were fabricated, the spokesman said.",
                credibility=5,
            ),
        ),
        checks=(
            Check(
                Method.AUDIO_FORENSICS,
                Finding.INCONCLUSIVE,
                d(2025, 5, 28),
                "Only the compressed clip GUR posted is available; no sign of splicing, but too little to rule it out.",
                evidence="gur-call",
            ),
        ),
        trail=(
            submit(),
            set_status(
                Status.SINGLE_ORIGIN,
                "Five reports, one origin: Ziare and Frontline Digest relay GUR, and Maria works for the same "
                "state. Moscow's denial offers no evidence either way.",
            ),
            publish(),
        ),
    ),
    ClaimSpec(
        statement=(
            "A Russian soldier on a GUR intercept says his unit was asked to act as a blocking detachment and refused."
        ),
        topics=("barrier-units", "audio-intercepts"),
        regions=("zaporizhzhia",),
        event_start=d(2025, 5, 1),
        event_end=d(2025, 5, 20),
        logged_days_ago=6,
        evidence=("gur-call",),
        reports=(
            Report(
                RUSSIAN_SOLDIER,
                "gur-intercept",
                Stance.ASSERTS,
                "We were offered it and we told them where to go.",
                key="soldier",
                credibility=6,
            ),
            Report(
                RUSSIAN_SOLDIER,
                "ziare-relay",
                Stance.ASSERTS,
                "[translated] One soldier says his unit rejected the offer.",
                via="soldier",
            ),
        ),
        trail=(submit(),),
    ),
    ClaimSpec(
        statement=(
            "Drone video shows a group in Russian uniform opening fire on Russian soldiers who had just "
            "abandoned their position."
        ),
        topics=("barrier-units",),
        regions=("donetsk",),
        event_start=d(2023, 3, 8),
        logged_days_ago=60,
        evidence=("drone-video",),
        notes="The footage has not been geolocated; the region is the one given when it was first shared.",
        reports=(
            Report(
                DRONE_UNIT,
                "warnotes-drone",
                Stance.ASSERTS,
                "A second group in Russian uniform shoots at the soldiers moving back, the clip shows.",
                credibility=3,
            ),
        ),
        checks=(
            Check(
                Method.GEOLOCATION,
                Finding.INCONCLUSIVE,
                d(2023, 3, 15),
                "Tree lines and a field track visible, but no landmark distinctive enough to place the video.",
                evidence="drone-video",
            ),
        ),
        trail=(
            submit(),
            set_status(Status.SINGLE_ORIGIN, "One video from one Ukrainian source; not yet geolocated."),
            publish(),
        ),
    ),
    ClaimSpec(
        statement=(
            "Russian forces in Ukraine were using barrier troops in early 2023 to deter their own soldiers "
            "from withdrawing."
        ),
        topics=("barrier-units",),
        regions=("donetsk", "luhansk"),
        event_start=d(2023, 2, 1),
        event_end=d(2023, 3, 4),
        logged_days_ago=58,
        evidence=("drone-video",),
        reports=(
            Report(
                UK_MOD,
                "govuk-mod",
                Stance.ASSESSES,
                "Russia is likely using barrier troops to discourage retreat.",
                key="mod",
                estimative_term=Attribution.Estimative.LIKELY,
                credibility=2,
            ),
            Report(
                UK_MOD,
                "warnotes-drone",
                Stance.ASSESSES,
                "British intelligence thinks Russia is probably positioning units to shoot deserters.",
                via="mod",
                estimative_term=Attribution.Estimative.LIKELY,
            ),
            Report(
                DRONE_UNIT,
                "warnotes-drone",
                Stance.ASSERTS,
                "Drone footage of men in Russian uniform firing on soldiers moving back from the front.",
                credibility=3,
            ),
        ),
        trail=(
            submit(),
            set_status(
                Status.CORROBORATED,
                "Two independent origins agree: UK Defence Intelligence's assessment and Ukrainian drone footage.",
            ),
            publish(),
            correct("Corrected the period: the MoD update is dated 4 March 2023, not 4 February."),
        ),
    ),
    ClaimSpec(
        statement=(
            "Russian soldiers on intercepted calls from the front use the code '500' for comrades who refuse "
            "to fight; the calls come from the Kharkiv, Luhansk and Donetsk regions."
        ),
        topics=("refusals-to-fight", "audio-intercepts"),
        regions=("kharkiv", "luhansk", "donetsk"),
        event_start=d(2023, 9, 1),
        event_end=d(2023, 11, 20),
        logged_days_ago=45,
        evidence=("ap-calls",),
        reports=(
            Report(
                AP,
                "ap-500s",
                Stance.ASSERTS,
                "Soldiers in the recordings refer to men who will not fight as 500s.",
                key="ap",
                credibility=2,
            ),
            Report(
                AP,
                "kyivpost-ap-relay",
                Stance.ASSERTS,
                "The AP's recordings include the '500' code for soldiers who refuse combat.",
                via="ap",
            ),
        ),
        checks=(
            Check(
                Method.IDENTITY_RELATIVES,
                Finding.SUPPORTS,
                d(2023, 11, 27),
                "The AP confirmed several speakers' identities by talking to their relatives and to serving soldiers.",
                performed_by=AP,
                evidence="ap-calls",
            ),
            Check(
                Method.OPEN_SOURCE,
                Finding.SUPPORTS,
                d(2023, 11, 27),
                "The AP traced the speakers' phone numbers to social-media accounts and other public records.",
                performed_by=AP,
                evidence="ap-calls",
            ),
        ),
        trail=(
            submit(),
            set_status(
                Status.CONFIRMED,
                "The AP verified the speakers' identities two ways; the code word is heard in the recordings.",
            ),
            publish(),
        ),
    ),
    ClaimSpec(
        statement="Russian soldiers say '200' for killed and '300' for wounded when reporting losses.",
        topics=("casualty-code-words", "audio-intercepts"),
        regions=("kharkiv", "luhansk", "donetsk"),
        event_start=d(2023, 9, 1),
        event_end=d(2023, 11, 20),
        logged_days_ago=44,
        evidence=("ap-calls", "gur-call"),
        reports=(
            Report(AP, "ap-500s", Stance.ASSERTS, "The dead are 200s and the wounded 300s in the soldiers' calls."),
            Report(
                GUR,
                "gur-intercept",
                Stance.ASSERTS,
                "The soldiers in the published call count their losses as 200s and 300s.",
            ),
        ),
        trail=(
            submit(),
            set_status(Status.CORROBORATED, "An independent wire agency and GUR's recordings agree."),
            publish(),
        ),
    ),
    ClaimSpec(
        statement="Men drafted in Russia's autumn 2023 call-up will not be sent to fight in Ukraine.",
        topics=("conscription",),
        regions=(),
        event_start=d(2023, 10, 1),
        event_end=d(2023, 12, 31),
        logged_days_ago=12,
        reports=(
            Report(
                RUSSIAN_MOD,
                "tass-conscripts",
                Stance.ASSERTS,
                "Autumn draftees will serve inside Russia and take no part in the special military operation.",
                key="mod",
            ),
            Report(
                RUSSIAN_MOD,
                "ap-500s",
                Stance.ASSERTS,
                "Officials promise the new draftees will stay in Russia.",
                via="mod",
            ),
        ),
        trail=(
            submit(),
            send_back(
                "Two claims in one: keep the promise here and log the move to the reserve after a year as its "
                "own claim."
            ),
        ),
    ),
    ClaimSpec(
        statement="Criminal cases against Russian soldiers who refuse to fight rose markedly during 2023.",
        topics=("prosecutions", "refusals-to-fight"),
        regions=(),
        event_start=d(2023, 1, 1),
        event_end=d(2023, 11, 27),
        logged_days_ago=9,
        reports=(
            Report(
                AP,
                "ap-500s",
                Stance.ASSERTS,
                "Prosecutions of soldiers who will not fight are on the rise, the story says.",
                credibility=3,
            ),
        ),
        checks=(
            Check(
                Method.COURT_RECORDS,
                Finding.INCONCLUSIVE,
                d(2024, 1, 10),
                "Garrison court listings show cases under the article on refusing orders, but recent months "
                "are incomplete, so the trend cannot be measured yet.",
            ),
        ),
        trail=(
            submit(),
            set_status(Status.SINGLE_ORIGIN, "Only the AP so far; our court search was inconclusive.", public=False),
        ),
    ),
    ClaimSpec(
        statement="Russia is using blocking units on several sectors of the front, not in isolated cases.",
        topics=("barrier-units",),
        regions=("donetsk", "zaporizhzhia", "kharkiv"),
        event_start=d(2025, 4, 1),
        event_end=d(2025, 5, 20),
        logged_days_ago=25,
        reports=(
            Report(
                GUR,
                "gur-intercept",
                Stance.ASSERTS,
                "Such detachments operate on several parts of the front, intelligence says.",
                key="gur",
                credibility=4,
            ),
            Report(
                GUR,
                "ziare-relay",
                Stance.ASSERTS,
                "[translated] GUR says the practice is widespread.",
                via="gur",
            ),
            Report(
                KREMLIN,
                "tass-denial",
                Stance.DENIES,
                "No Russian unit has the task of stopping its own soldiers withdrawing.",
                credibility=5,
            ),
        ),
        trail=(
            submit(),
            set_status(Status.DISPUTED, "Kyiv and Moscow contradict each other and neither offers checkable detail."),
            publish(),
        ),
    ),
    ClaimSpec(
        statement="Russia's return to blocking units is a response to heavy losses and collapsing morale.",
        topics=("barrier-units",),
        regions=(),
        event_start=d(2025, 5, 20),
        logged_days_ago=4,
        reports=(
            Report(
                GUR,
                "gur-intercept",
                Stance.ASSERTS,
                "The detachments appear because of big losses and a breakdown of discipline.",
            ),
            Report(
                ANALYSTS,
                "digest-relay",
                Stance.ASSERTS,
                "Analysts tie the practice to poorly trained recruits, losses and morale.",
                credibility=6,
            ),
        ),
    ),
    ClaimSpec(
        statement="A video shared in February 2024 shows Russian soldiers shooting a comrade who tried to desert.",
        topics=("desertion-executions",),
        regions=("zaporizhzhia",),
        event_start=d(2024, 2, 10),
        logged_days_ago=50,
        evidence=("execution-video",),
        notes="Withdrawn: the footage predates the events it was said to show.",
        reports=(
            Report(
                TELEGRAM_CHANNEL,
                "digest-execution",
                Stance.ASSERTS,
                "A Telegram clip said to show a would-be deserter shot by his own side near Zaporizhzhia.",
                credibility=5,
            ),
        ),
        checks=(
            Check(
                Method.OPEN_SOURCE,
                Finding.CONTRADICTS,
                d(2024, 2, 20),
                "A reverse image search found the same clip posted years before, with a different caption.",
                evidence="execution-video",
            ),
        ),
        trail=(
            submit(),
            set_status(Status.SINGLE_ORIGIN, "One anonymous channel; the aggregator gives no source."),
            publish(),
            set_status(Status.FALSE, "The clip was online years earlier, so it cannot show events in 2024."),
            withdraw("Withdrawn: the video was filmed long before the events it was said to show."),
        ),
    ),
    ClaimSpec(
        statement="Ukrainian forces regularly pick up Russian radio orders to fire on their own men if they pull back.",
        topics=("barrier-units", "audio-intercepts"),
        regions=("donetsk",),
        event_start=d(2023, 3, 1),
        event_end=d(2023, 3, 10),
        logged_days_ago=3,
        reports=(
            Report(
                GENERAL_STAFF,
                "warnotes-drone",
                Stance.ASSERTS,
                "Ukrainian units often hear orders like this on Russian radio, the post says.",
            ),
        ),
    ),
    ClaimSpec(
        statement="Russian conscripts pass automatically into the reserve after a year, where they can be mobilised.",
        topics=("conscription",),
        regions=(),
        event_start=d(2023, 10, 1),
        logged_days_ago=2,
        reports=(
            Report(
                AP,
                "ap-500s",
                Stance.ASSERTS,
                "After a year draftees become reservists, which leaves them open to a later call-up.",
            ),
        ),
    ),
]


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

NEXT_STATE = {
    Action.SUBMIT: State.IN_REVIEW,
    Action.SEND_BACK: State.SENT_BACK,
    Action.PUBLISH: State.PUBLISHED,
    Action.WITHDRAW: State.WITHDRAWN,
}

# Editorial acts are spread out so the demo reads as a desk's history.
STEP_INTERVAL = datetime.timedelta(hours=5)


def replay(trail: tuple[Step, ...]) -> tuple[str, str, list[dict]]:
    """The final state and status after ``trail``, and the before/after fields of each act."""
    state, status = State.DRAFT, Status.UNVERIFIED
    changes = []
    for step in trail:
        if step.action == Action.SET_STATUS:
            changes.append({"from_status": status, "to_status": step.status})
            status = step.status
        elif step.action in NEXT_STATE:
            changes.append({"from_state": state, "to_state": NEXT_STATE[step.action]})
            state = NEXT_STATE[step.action]
        else:
            changes.append({})
    return state, status, changes


class Command(BaseCommand):
    help = "Load a demo newsroom (accounts with a known password, sources and claims). Refuses unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo creates accounts with a published password, so it only runs with DEBUG on "
                "(DJANGO_DEBUG=1). Never load it into a production database."
            )
        self.created: Counter[str] = Counter()
        with transaction.atomic():
            accounts = [self.ensure_account(*account) for account in ACCOUNTS]
            # Editors and administrators sign in with a second factor: give them one to use.
            self.second_factors = {
                user.username: two_factor.demo_second_factor(user)
                for user, _ in accounts
                if two_factor.is_required(user)
            }
            reporter, editor = accounts[0][0], accounts[1][0]
            self.load_sources()
            topics = {
                slug: self.ensure(Topic, {"name": name}, slug=slug, description=text)
                for slug, (name, text) in TOPICS.items()
            }
            regions = self.regions()
            for spec in CLAIMS:
                self.load_claim(spec, topics=topics, regions=regions, reporter=reporter, editor=editor)

        self.report(accounts)

    # Accounts -------------------------------------------------------------

    def ensure_account(self, username: str, group_name: str | None, superuser: bool):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user, False
        email = f"{username}@claimdesk.example"
        if superuser:
            user = User.objects.create_superuser(username, email=email, password=DEMO_PASSWORD)
        else:
            user = User.objects.create_user(username, email=email, password=DEMO_PASSWORD)
            try:
                user.groups.add(Group.objects.get(name=group_name))
            except Group.DoesNotExist:
                raise CommandError(f"The {group_name!r} group is missing: run `manage.py migrate` first.") from None
        self.created["accounts"] += 1
        return user, True

    # Sources --------------------------------------------------------------

    def ensure(self, model, lookup: dict, **defaults):
        obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
        if created:
            self.created[str(model._meta.verbose_name_plural)] += 1
        return obj

    def load_sources(self) -> None:
        groups = {
            name: self.ensure(IndependenceGroup, {"name": name}, description=text)
            for name, text in INDEPENDENCE_GROUPS.items()
        }
        self.outlets = {name: self.ensure(Outlet, {"name": name}, **fields) for name, fields in OUTLETS.items()}
        self.actors = {}
        for name, fields in ACTORS.items():
            fields = dict(fields)
            if "independence_group" in fields:
                fields["independence_group"] = groups[fields["independence_group"]]
            self.actors[name] = self.ensure(Actor, {"name": name}, **fields)
        self.articles = {}
        for key, fields in ARTICLES.items():
            fields = dict(fields)
            url = normalize_url(fields.pop("url"))
            fields["outlet"] = self.outlets[fields["outlet"]]
            self.articles[key] = self.ensure(Article, {"url": url}, **fields)
        self.evidence = {}
        for key, fields in EVIDENCE.items():
            fields = dict(fields)
            if "published_by" in fields:
                fields["published_by"] = self.actors[fields["published_by"]]
            self.evidence[key] = self.ensure(EvidenceItem, {"title": fields.pop("title")}, **fields)

    def regions(self) -> dict[str, Region]:
        wanted = {slug for spec in CLAIMS for slug in spec.regions}
        regions = {region.slug: region for region in Region.objects.filter(slug__in=wanted)}
        missing = wanted - regions.keys()
        if missing:
            raise CommandError(f"Regions missing ({', '.join(sorted(missing))}): run `manage.py migrate` first.")
        return regions

    # Claims ---------------------------------------------------------------

    def load_claim(self, spec: ClaimSpec, *, topics, regions, reporter, editor) -> None:
        if Claim.objects.filter(statement=spec.statement).exists():
            return  # logged before: leave it, its reports and its review trail alone
        state, status, changes = replay(spec.trail)
        logged_at = timezone.now() - datetime.timedelta(days=spec.logged_days_ago)
        times = [logged_at + STEP_INTERVAL * (i + 1) for i in range(len(spec.trail))]
        published_at = next((t for t, s in zip(times, spec.trail, strict=True) if s.action == Action.PUBLISH), None)

        claim = Claim(
            statement=spec.statement,
            event_start=spec.event_start,
            event_end=spec.event_end,
            state=state,
            status=status,
            notes=spec.notes,
            created_by=reporter,
            published_at=published_at,
        )
        claim.full_clean()
        claim.save()
        # created_at is auto_now_add; backdate it so the claim is older than its review trail.
        Claim.objects.filter(pk=claim.pk).update(created_at=logged_at)
        claim.topics.set([topics[slug] for slug in spec.topics])
        claim.regions.set([regions[slug] for slug in spec.regions])
        claim.evidence.set([self.evidence[key] for key in spec.evidence])
        self.created["claims"] += 1

        reports: dict[str, Attribution] = {}
        for report in spec.reports:
            attribution = Attribution(
                claim=claim,
                article=self.articles[report.article],
                actor=self.actors[report.actor],
                stance=report.stance,
                quote=report.quote,
                estimative_term=report.estimative_term,
                credibility=report.credibility,
                via=reports[report.via] if report.via else None,
            )
            attribution.full_clean()
            attribution.save()
            if report.key:
                reports[report.key] = attribution
            self.created["attributions"] += 1

        for check in spec.checks:
            corroboration = Corroboration(
                claim=claim,
                method=check.method,
                finding=check.finding,
                performed_on=check.performed_on,
                performed_by=self.actors[check.performed_by] if check.performed_by else None,
                notes=check.notes,
                evidence=self.evidence[check.evidence] if check.evidence else None,
                created_by=reporter,
            )
            corroboration.full_clean()
            corroboration.save()
            self.created["corroborations"] += 1

        for step, at, change in zip(spec.trail, times, changes, strict=True):
            event = ReviewEvent(
                claim=claim,
                action=step.action,
                user=reporter if step.action == Action.SUBMIT else editor,
                created_at=at,
                note=step.note,
                is_public=step.is_public,
                **change,
            )
            event.full_clean()
            event.save()
            self.created["review events"] += 1

    # Output ---------------------------------------------------------------

    def report(self, accounts) -> None:
        if self.created:
            summary = ", ".join(f"{count} {what}" for what, count in self.created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo newsroom loaded: {summary}."))
        else:
            self.stdout.write("Demo newsroom already loaded; nothing to add.")
        self.stdout.write(f"Demo accounts (password for new ones: {DEMO_PASSWORD}):")
        for (username, group_name, superuser), (_user, created) in zip(ACCOUNTS, accounts, strict=True):
            role = "superuser" if superuser else group_name
            suffix = "" if created else ", already existed and left unchanged"
            self.stdout.write(f"  {username} ({role}{suffix})")
            if username in self.second_factors:
                secret, codes = self.second_factors[username]
                self.stdout.write(f"    two-factor: authenticator secret {secret}; backup codes {' '.join(codes)}")
