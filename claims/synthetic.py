"""A synthetic archive for benchmarks: years of claims, drawn reproducibly from a seed.

``generate_claims`` writes what this module draws. Claims come from one
``random.Random(seed)`` in a fixed order, so a seed always gives the same rows
(on the same starting database); the outlets and actors come from a fixed seed
of their own, so archives built with different seeds share their sources.

The vocabulary is Zipf-like on purpose: a few words ("soldiers",
"commanders") are in most claims and a long tail of village names is in a
handful, which is what makes ranking and search hard at scale. Every name and
sentence here is made up for this module.

Rows are plain tuples in the column order of ``COLUMNS``; the stored evidence
summary of each claim is computed with ``claims.provenance.summarise`` on
lightweight report objects, then filled exactly as
``Claim._fill_stored_summary`` fills it (a test compares the two).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import random
from collections import deque
from dataclasses import dataclass

from django.utils.html import strip_tags

from claims import provenance
from claims.models import Attribution, Claim, Corroboration, EvidenceItem, ReviewEvent
from sources.models import Actor, Article, IndependenceGroup, Outlet

# The archive covers the full-scale war up to a fixed date: never "today", so a seed means the same rows forever.
START = dt.date(2022, 2, 24)
END = dt.date(2026, 6, 30)
SPAN_DAYS = (END - START).days
SOURCES_SEED = 20220224

State = Claim.State
Status = Claim.Status
Stance = Attribution.Stance
Action = ReviewEvent.Action

# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------


class Zipf:
    """Pick from ``items`` with weight 1/(rank+1)**s: the first very often, the last rarely."""

    __slots__ = ("cum", "items", "last", "total")

    def __init__(self, items, s: float = 1.0):
        self.items = list(items)
        self.cum = list(itertools.accumulate(1 / (rank + 1) ** s for rank in range(len(self.items))))
        self.total = self.cum[-1]
        self.last = len(self.items) - 1

    def pick(self, rng: random.Random):
        return self.items[min(bisect.bisect(self.cum, rng.random() * self.total), self.last)]


def _fixed_rng(salt: str) -> random.Random:
    # Names of things must not depend on the claims' seed (nor on PYTHONHASHSEED).
    return random.Random(f"{SOURCES_SEED}:{salt}")  # noqa: S311 - test data, not secrets


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------
# Vocabulary (most frequent first in every list)
# ---------------------------------------------------------------------------

FRONTLINE_TOWNS = [
    "Pokrovsk", "Bakhmut", "Avdiivka", "Kupiansk", "Vuhledar", "Toretsk", "Chasiv Yar", "Robotyne",
    "Kurakhove", "Lyman", "Kreminna", "Marinka", "Siversk", "Vovchansk", "Krynky", "Orikhiv",
]  # fmt: skip
_VILLAGE_HEADS = [
    "Novo", "Staro", "Krasno", "Velyko", "Malo", "Verkhnyo", "Nyzhnyo", "Bilo", "Chorno", "Zeleno",
    "Pivnichno", "Sukho", "Yasno", "Kamiano", "Pishchano", "Lozo", "Vyshne", "Dobro", "Tykho", "Ivano",
]  # fmt: skip
_VILLAGE_ROOTS = [
    "petr", "mykhail", "hor", "dol", "yar", "lyman", "pol", "brid", "sel", "kut", "hrad", "dub", "ber",
    "lyp", "vod", "myr", "stav", "bahat", "rozd", "kalyn", "mar", "oleks", "hryhor", "pavl", "semen",
    "andri", "vasyl", "kost", "dmytr", "bohdan",
]  # fmt: skip
_VILLAGE_TAILS = ["ivka", "ove", "yne", "ske", "ivske", "anka", "ynka", "opil", "ohrad", "hirske"]


def villages() -> list[str]:
    """Frontline towns first, then six thousand made-up village names in a fixed shuffled order."""
    made_up = [h + r + t for h in _VILLAGE_HEADS for r in _VILLAGE_ROOTS for t in _VILLAGE_TAILS]
    _fixed_rng("villages").shuffle(made_up)
    return FRONTLINE_TOWNS + made_up


# Search cases for the benchmark: a word most claims contain, and the least likely village.
COMMON_WORD = "soldiers"


def rare_word() -> str:
    return villages()[-1]


CALLSIGNS = [
    "Grom", "Veter", "Lis", "Borsuk", "Sokil", "Taiga", "Kedr", "Berkut", "Shaman", "Tundra", "Yastreb",
    "Medved", "Kobra", "Pantera", "Sever", "Baikal", "Granit", "Orel", "Tigr", "Ural", "Volga", "Lazur",
    "Kaban", "Filin", "Zubr", "Dikiy", "Karat", "Almaz", "Kvarts", "Rubin",
]  # fmt: skip
FIRST_NAMES = [
    "Oleh", "Andrii", "Serhii", "Dmytro", "Ivan", "Mykola", "Yurii", "Taras", "Olena", "Iryna", "Natalia",
    "Kateryna", "Aleksei", "Sergei", "Dmitri", "Nikolai", "Pavel", "Anna", "Tomasz", "Ion", "James",
    "Sarah", "Peter", "Laura", "Hanna", "Marta", "Viktor", "Roman", "Bohdan", "Zoriana",
]  # fmt: skip
LAST_NAMES = [
    "Kovalenko", "Bondar", "Tkachenko", "Kravets", "Melnyk", "Shevchuk", "Lysenko", "Moroz", "Petrov",
    "Sokolov", "Volkov", "Fedorov", "Orlov", "Nowak", "Popescu", "Ionescu", "Walker", "Fischer", "Bauer",
    "Hughes", "Savchenko", "Rudenko", "Hnatiuk", "Marchenko", "Zaitsev", "Belov", "Kowalski", "Dumitru",
    "Brooks", "Lang",
]  # fmt: skip
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
# Regions where most reported events are, first; the others follow in name order.
FRONTLINE_REGIONS = [
    "donetsk", "zaporizhzhia", "kharkiv", "luhansk", "kherson", "kursk", "belgorod", "sumy", "dnipropetrovsk",
]  # fmt: skip

RU, UA = "ru", "ua"

# Who the claim says did it, by the side accused.
SUBJECTS = {
    RU: [
        "Russian commanders",
        "a blocking detachment",
        "barrier troops",
        "officers of the {unit}",
        "military police",
        "the battalion command of the {unit}",
        "Storm-Z company handlers",
        "Akhmat fighters",
        "Rosgvardia troops",
        "a commander with the call sign {callsign}",
        "staff officers of the {unit}",
        "an assault group leader known as {callsign}",
        "counter-intelligence officers of the {unit}",
        "contract soldiers guarding the rear",
        "a drone crew of the {unit}",
    ],
    UA: [
        "recruitment officers",
        "a territorial recruitment centre",
        "the command of the {unit}",
        "military police",
        "officers of the {unit}",
    ],
}

# What they are said to have done, with the topics that makes the claim about.
ACTIONS = {
    RU: [
        ("opened fire on soldiers retreating from positions near {village}", ("barrier-units",)),
        ("threatened to shoot soldiers who refused to advance on {village}", ("barrier-units", "refusals-to-fight")),
        ("held dozens of refusers, the so-called 500s, in a pit outside {village}", ("refusals-to-fight", "detention")),
        ("sent wounded soldiers back into assaults near {village}", ("wounded-sent-back",)),
        ("shot two soldiers who tried to desert near {village}", ("desertion-executions",)),
        ("drove mobilised men into frontal assaults on {village}", ("conscription", "attritional-assaults")),
        ("locked soldiers who refused orders in a basement in {village}", ("refusals-to-fight", "detention")),
        ("dropped grenades from drones on their own soldiers pulling back from {village}", ("barrier-units",)),
        ("took the phones and papers of conscripts before an assault on {village}", ("conscription",)),
        ("beat soldiers who asked to be rotated out of {village}", ("abuse-by-commanders",)),
        ("posted armed men behind assault groups near {village} to stop any withdrawal", ("barrier-units",)),
        ("told soldiers that anyone turning back from {village} would be shot", ("barrier-units",)),
        ("opened criminal cases against soldiers who refused to return to {village}", ("prosecutions",)),
        ("offered soldiers the choice of an assault on {village} or a prison term", ("prosecutions", "penal-units")),
        ("demanded money from soldiers to spare them assaults on {village}", ("abuse-by-commanders",)),
        ("listed soldiers killed near {village} as missing, keeping the 200s off the books", ("casualty-code-words",)),
        ("left wounded soldiers, the 300s, without evacuation near {village}", ("casualty-code-words",)),
        ("sent conscripts to the border near {village} despite promises they would stay home", ("conscription",)),
        ("tied a soldier who refused to fight to a tree near {village}", ("refusals-to-fight", "abuse-by-commanders")),
        ("used penal company recruits as the first wave near {village}", ("penal-units", "attritional-assaults")),
    ],
    UA: [
        ("detained men on the street and took them to a recruitment office in {village}", ("conscription",)),
        ("sent soldiers who had gone absent without leave back to positions near {village}", ("desertion-executions",)),
        ("kept men who refused mobilisation at a training ground near {village}", ("conscription",)),
        ("charged soldiers who left positions near {village} with desertion", ("prosecutions",)),
    ],
}

TIMES = [
    " in {month} {year}",
    " in early {month} {year}",
    "",
    " during the fighting of {month} {year}",
    " over several weeks in {year}",
    " in late {month} {year}",
]

# How the claim is known, with the topic that adds.
SOURCING = [
    ("", ()),
    (", according to an intercepted phone call", ("audio-intercepts",)),
    (", drone footage appears to show", ("drone-footage",)),
    (", relatives of the soldiers say", ()),
    (", a radio intercept suggests", ("audio-intercepts",)),
    (", soldiers say in a video appeal", ("video-appeals",)),
    (", court records show", ("prosecutions",)),
]

TOPICS = {
    "barrier-units": ("Barrier units", "Units said to stop their own side's soldiers retreating, by threat or fire."),
    "refusals-to-fight": ('Refusals to fight ("500s")', "Soldiers who refuse orders to go into combat."),
    "audio-intercepts": ("Audio intercepts", "Phone and radio calls recorded and published by the other side."),
    "conscription": ("Conscription and mobilisation", "Call-ups, draft promises and the reserve."),
    "detention": ("Detention of refusers", "Pits, basements and cages where refusers are said to be held."),
    "prosecutions": ("Prosecutions of refusers", "Criminal cases against soldiers who refuse to fight."),
    "desertion-executions": ("Desertion and executions", "Soldiers who flee, and what is said to happen to them."),
    "attritional-assaults": ("Attritional assaults", "Waves of infantry sent forward with little support."),
    "wounded-sent-back": ("Wounded sent back", "Soldiers returned to the front before their wounds heal."),
    "abuse-by-commanders": ("Abuse by commanders", "Beatings, extortion and humiliation inside units."),
    "penal-units": ("Penal units", "Units of convicts and disciplined soldiers, such as Storm-Z."),
    "casualty-code-words": ("Casualty code words (200/300)", "The army slang for the dead (200) and wounded (300)."),
    "drone-footage": ("Drone footage", "Video filmed from drones over the front."),
    "video-appeals": ("Video appeals", "Soldiers or their families appealing to the public on camera."),
}

# What an intercepted soldier is heard saying.
SPEECH = [
    "the commander said anyone who runs back will be shot",
    "they keep us in a pit until we agree to go forward",
    "our own drones watch us from behind",
    "ten of us refused and were taken away in a truck",
    "they call us 500s and lock us up",
    "nobody is allowed to carry the wounded out",
    "the ones behind us have orders to fire",
    "the prosecutor is waiting for anyone who stays behind",
    "there is no way back from {village}",
    "they took our phones so nobody can call home",
    "the wounded are sent back in after two days",
    "the new ones go first and nobody comes back",
    "the officers sit in the rear and count the 200s",
    "whoever argues is sent to the basement",
]
INTERCEPT_QUOTES = [
    "In an intercepted call a soldier of the {unit} says {speech}.",
    "A recording released today has a soldier telling his {relative} that {speech}.",
    "Soldiers near {village} say on intercepted calls that {speech}.",
    "On the radio intercept a voice says {speech}.",
]
SOLDIER_QUOTES = [
    '"{speech_cap}," a soldier says on the recording.',
    '"{speech_cap}," the man tells his {relative}.',
    '"{speech_cap}," says a soldier who reached {village}.',
]
MEDIA_QUOTES = [
    "Relatives of {count} soldiers heard on the calls confirmed their identities to reporters.",
    "Phone numbers on the recording belong to soldiers of the {unit}, a check of public records found.",
    "The footage was geolocated to the edge of {village}.",
    "Two soldiers who served near {village} described the same orders in separate interviews.",
]
PROTECTED_QUOTES = [
    "I have listened to thousands of these calls; {speech} is something I hear every week.",
    "The voices and the slang are genuine, and the units match what I know of {village}.",
]
ASSESSMENTS = [
    "It is {term} that {subject} {action}.",
    "We judge it {term} that commanders near {village} are using such measures.",
]
ESTIMATIVE_WORDS = {
    "likely": "likely",
    "highly_likely": "highly likely",
    "realistic_possibility": "a realistic possibility",
    "almost_certain": "almost certain",
    "unlikely": "unlikely",
}
DENIALS = [
    "The recordings are a fake put together by enemy special services.",
    "No units of this kind exist in our armed forces.",
    "The video was staged with actors wearing our uniform.",
    "These claims are part of an information operation and deserve no comment.",
    "There is no soldier of that name in the {unit}.",
    "Nothing of the kind happened near {village}.",
]
DISPUTES = [
    "The numbers given are impossible to check and look inflated.",
    "The footage does not show who fired, only that someone did.",
    "Those held near {village} were deserters, not refusers.",
]
RELAY_PREFIXES = ["", "[translated] ", "As first reported elsewhere: ", "Reposted: "]
HEADLINE_PREFIXES = ["", "Report: ", "Intercept: ", "Video: ", "War live: ", "Analysis: ", "Exclusive: "]
RELATIVES = ["wife", "mother", "brother", "father", "sister", "friend"]
NOTES = [
    "<p>Both sides publish intercepts; every relay of one recording counts as one origin here.</p>",
    "<p>The place names come from the soldiers themselves and could not be checked on a map.</p>",
    "<p>Dates are those given on the recording, <em>not</em> when it was published.</p>",
    "<p>Soldiers use <strong>500</strong> for a refuser; see the glossary.</p>",
]
CHECK_NOTES = {
    "identity_relatives": "<p>Relatives of the named soldiers confirmed where they serve.</p>",
    "open_source": "<p>The phone numbers match profiles of serving soldiers.</p>",
    "geolocation": "<p>Tree lines and a water tower match satellite images of the village.</p>",
    "audio_forensics": "<p>No sign of splicing; the clip is too compressed to rule it out.</p>",
    "court_records": "<p>Court registers list cases against soldiers of the unit for refusing orders.</p>",
    "expert_interview": "<p>A former officer says the orders described match current practice.</p>",
    "official_confirmation": "<p>The ministry confirmed the incident when asked.</p>",
    "other": "<p>Checked against the desk's earlier reporting.</p>",
}
EDITOR_NOTES = {
    Action.SEND_BACK: "Add the original publication of the intercept before this goes out.",
    Action.SET_STATUS: "Status follows the independent origins listed on the page.",
    Action.CORRECT: "Corrected the place name given in the statement.",
    Action.WITHDRAW: "Withdrawn: the only origin turned out to be a recording from an earlier year.",
}

# ---------------------------------------------------------------------------
# Sources: groups, outlets, actors (fixed names, shared by every seed)
# ---------------------------------------------------------------------------

GROUPS = {
    "Ukrainian state": "Ukraine's intelligence services, armed forces and ministries.",
    "Russian state": "The Kremlin, Russia's ministries, armed forces and state media.",
    "UK government": "UK ministries and Defence Intelligence.",
    "US government": "US departments and agencies.",
    "Polish state": "Poland's government and armed forces.",
    "United Nations": "UN bodies and missions.",
    "Northern Media Holding": "A made-up publisher owning several outlets.",
    "Black Sea Media Group": "A made-up publisher owning several outlets.",
    "Danube Press": "A made-up publisher owning several outlets.",
}
MEDIA_GROUPS = ["Northern Media Holding", "Black Sea Media Group", "Danube Press"]

# name, kind, side, country, group, reliability
STATE_BODIES = [
    ("Defence Intelligence of Ukraine", "government", "ukraine", "UA", "Ukrainian state", "C"),
    ("General Staff of Ukraine", "government", "ukraine", "UA", "Ukrainian state", "C"),
    ("Russian Ministry of Defence", "government", "russia", "RU", "Russian state", "E"),
    ("Kremlin press office", "government", "russia", "RU", "Russian state", "E"),
    ("Security Service of Ukraine", "government", "ukraine", "UA", "Ukrainian state", "C"),
    ("UK Ministry of Defence", "government", "third_party", "GB", "UK government", "B"),
    ("Ukrainian Prosecutor General's Office", "government", "ukraine", "UA", "Ukrainian state", "C"),
    ("Russian Investigative Committee", "government", "russia", "RU", "Russian state", "E"),
    ("Coordination Headquarters for POWs", "government", "ukraine", "UA", "Ukrainian state", "C"),
    ("US State Department", "government", "third_party", "US", "US government", "B"),
    ("Russian military prosecutors", "government", "russia", "RU", "Russian state", "E"),
    ("UN human rights monitoring mission", "other", "third_party", "", "United Nations", "B"),
    ("Ukrainian Parliament Commissioner for Human Rights", "government", "ukraine", "UA", "Ukrainian state", "C"),
    ("Polish Operational Command", "government", "third_party", "PL", "Polish state", "B"),
    ("Russian Ministry of Foreign Affairs", "government", "russia", "RU", "Russian state", "E"),
]
RU_UNIT_KINDS = [
    "Motor Rifle Regiment", "Motor Rifle Brigade", "Guards Tank Regiment", "Airborne Regiment",
    "Naval Infantry Brigade", "Separate Assault Battalion",
]  # fmt: skip
UA_UNIT_KINDS = ["Separate Mechanised Brigade", "Assault Brigade", "Territorial Defence Brigade", "Rifle Battalion"]
OUTLET_PLACES = [
    "Kyiv", "Kharkiv", "Odesa", "Lviv", "Dnipro", "Bucharest", "Warsaw", "Vilnius", "Riga", "Tallinn",
    "Berlin", "London", "Baltic", "Eastern", "Northern", "Black Sea", "Frontline", "Steppe", "Danube",
    "Carpathian", "Independent", "Free", "Open", "Evening", "Morning", "Daily", "Weekly", "Global",
    "Moscow", "Rostov",
]  # fmt: skip
OUTLET_NOUNS = [
    ("Courier", "news"), ("Herald", "news"), ("Post", "news"), ("Times", "news"), ("Gazette", "news"),
    ("Observer", "news"), ("Monitor", "news"), ("Digest", "aggregator"), ("Wire", "wire"), ("Review", "news"),
    ("Journal", "news"), ("Bulletin", "news"), ("Dispatch", "news"), ("Chronicle", "news"), ("Report", "news"),
    ("Telegram channel", "blog"), ("Radio", "news"), ("TV", "news"), ("Tribune", "news"),
    ("News Roundup", "aggregator"),
]  # fmt: skip
PLACE_COUNTRY = {
    "Kyiv": "UA", "Kharkiv": "UA", "Odesa": "UA", "Lviv": "UA", "Dnipro": "UA", "Bucharest": "RO",
    "Warsaw": "PL", "Vilnius": "LT", "Riga": "LV", "Tallinn": "EE", "Berlin": "DE", "London": "GB",
    "Moscow": "RU", "Rostov": "RU",
}  # fmt: skip
COUNTRY_LANGUAGE = {"UA": "uk", "RO": "ro", "PL": "pl", "DE": "de", "RU": "ru", "GB": "en"}
GOVERNMENT_SITES = [
    ("Ukrainian intelligence website", "UA"),
    ("Russian defence ministry website", "RU"),
    ("UK government website", "GB"),
    ("Ukrainian General Staff channel", "UA"),
    ("Kremlin website", "RU"),
]

STATE_ROLES = {"ukraine": "state_ua", "russia": "state_ru", "third_party": "state_third"}
MAX_OUTLETS = 800
MAX_ACTORS = 3000


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-").replace("--", "-")


def outlet_specs() -> list[dict]:
    """Every outlet the archive can use, government sites first, then a fixed shuffle."""
    rng = _fixed_rng("outlets")
    papers = []
    for place in OUTLET_PLACES:
        for noun, kind in OUTLET_NOUNS:
            country = PLACE_COUNTRY.get(place, "")
            papers.append({"name": f"{place} {noun}", "kind": kind, "country": country})
    rng.shuffle(papers)
    sites = [{"name": name, "kind": "government", "country": country} for name, country in GOVERNMENT_SITES]
    specs = (sites + papers)[:MAX_OUTLETS]
    for spec in specs:
        spec["website"] = f"https://{_slug(spec['name'])}.example"
    return specs


def _actor(name: str, kind: str, side: str, role: str, **extra) -> dict:
    country = {"russia": "RU", "ukraine": "UA"}.get(side, "")
    spec = {"name": name, "kind": kind, "side": side, "country": country, "role": role, "group": None}
    spec |= {"is_protected": False, "pseudonym": "", "is_party_to_conflict": False, "reliability": ""}
    return spec | extra


def actor_specs() -> list[dict]:
    """Every actor the archive can use: state bodies first, then a fixed mix of the rest."""
    rng = _fixed_rng("actors")
    state = [
        _actor(name, kind, side, STATE_ROLES[side], country=country, group=group, reliability=grade,
               is_party_to_conflict=side in ("ukraine", "russia"))
        for name, kind, side, country, group, grade in STATE_BODIES
    ]  # fmt: skip
    party = {"is_party_to_conflict": True}
    rest = [
        _actor(f"{ordinal(n)} {RU_UNIT_KINDS[i % 6]} (Russia)", "military_unit", "russia", "ru_unit",
               group="Russian state", **party)
        for i, n in enumerate(rng.sample(range(2, 1500), 420))
    ] + [
        _actor(f"{ordinal(n)} {UA_UNIT_KINDS[i % 4]} (Ukraine)", "military_unit", "ukraine", "ua_unit",
               group="Ukrainian state", **party)
        for i, n in enumerate(rng.sample(range(3, 160), 120))
    ] + [
        _actor(f"Soldier '{CALLSIGNS[i % 30]}-{i + 1}' on an intercept", "individual", side, role, reliability="F")
        for i in range(900)
        for side, role in [("russia", "soldier_ru") if i % 4 else ("ukraine", "soldier_ua")]
    ] + [
        # Witnesses; every ninth is protected, known to readers only by a pseudonym.
        _actor(f"{FIRST_NAMES[i % 30]} {LAST_NAMES[(i * 7 + i // 30) % 30]} ({i + 1})", "individual", "ukraine",
               "witness", is_protected=i % 9 == 0, pseudonym=f"Source {CALLSIGNS[i % 30]}" if i % 9 == 0 else "",
               group="Ukrainian state" if i % 9 == 0 else None)
        for i in range(600)
    ] + [
        _actor(f"{outlet['name']} newsroom", "media", "third_party", "media", country=outlet["country"],
               reliability="B" if i % 3 else "C",
               group="Russian state" if outlet["country"] == "RU" else MEDIA_GROUPS[i % 3] if i % 4 == 0 else None)
        for i, outlet in enumerate(outlet_specs()[len(GOVERNMENT_SITES) :][:400])
    ] + [
        _actor(f"{LAST_NAMES[i % 30]} Institute analyst {i + 1}", "analyst", "third_party", "analyst", reliability="B")
        for i in range(300)
    ] + [
        _actor(f"Z-blogger '{CALLSIGNS[(i * 11) % 30]}{i + 1}'", "other", "russia", "blogger", reliability="E")
        for i in range(300)
    ]  # fmt: skip
    # Shuffle within each role, then interleave the roles evenly, so every prefix of the list
    # (a small archive uses a prefix) has each kind of actor in proportion.
    by_role: dict[str, list[dict]] = {}
    for spec in rest:
        by_role.setdefault(spec["role"], []).append(spec)
    ordered = []
    for specs in by_role.values():
        rng.shuffle(specs)
        ordered += [((i + 0.5) / len(specs), spec["name"], spec) for i, spec in enumerate(specs)]
    ordered.sort(key=lambda item: item[:2])
    return (state + [spec for *_, spec in ordered])[:MAX_ACTORS]


def source_counts(claims: int) -> tuple[int, int]:
    """Outlets and actors for an archive of ``claims`` claims: a desk's sources grow slower than its claims."""
    return max(40, min(MAX_OUTLETS, claims // 150)), max(120, min(MAX_ACTORS, claims // 40))


# ---------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------

# Column order of every row tuple; generate_claims checks these against the models.
COLUMNS = {
    "evidence": [
        "id", "title", "kind", "description", "published_by_id", "published_on", "recorded_on", "url", "speakers",
        "speakers_identified", "transcript", "translation", "file_sha256", "authenticity", "created_at",
    ],
    "article": [
        "id", "url", "headline", "outlet_id", "byline", "published_on", "language", "captured_text", "captured_at",
        "captured_sha256", "archive_url", "version", "created_at", "updated_at",
    ],
    "claim": [
        "id", "statement", "event_start", "event_end", "status", "state", "notes", "created_by_id", "created_at",
        "updated_at", "published_at", "version", "report_count", "independent_origin_count", "has_denial",
        "first_reported_on", "search_document",
    ],
    "claim_topics": ["id", "claim_id", "topic_id"],
    "claim_regions": ["id", "claim_id", "region_id"],
    "claim_evidence": ["id", "claim_id", "evidenceitem_id"],
    "attribution": [
        "id", "claim_id", "article_id", "actor_id", "stance", "quote", "estimative_term", "credibility", "via_id",
        "created_at", "updated_at",
    ],
    "corroboration": [
        "id", "claim_id", "method", "performed_by_id", "finding", "performed_on", "notes", "evidence_id",
        "evidence_url", "created_by_id", "created_at",
    ],
    "review_event": [
        "id", "claim_id", "action", "user_id", "created_at", "from_state", "to_state", "from_status", "to_status",
        "note", "is_public",
    ],
}  # fmt: skip
# Written in this order, so every foreign key points at a row already there.
TABLE_ORDER = list(COLUMNS)
# Fields the generator leaves to the database: the search vector is computed from search_document as it is loaded.
COMPUTED = {"claim": ["search_vector"]}


def table_models() -> dict:
    return {
        "evidence": EvidenceItem,
        "article": Article,
        "claim": Claim,
        "claim_topics": Claim.topics.through,
        "claim_regions": Claim.regions.through,
        "claim_evidence": Claim.evidence.through,
        "attribution": Attribution,
        "corroboration": Corroboration,
        "review_event": ReviewEvent,
    }


@dataclass(slots=True)
class _Article:
    pk: int
    published_on: dt.date
    outlet: int


@dataclass(slots=True)
class _Report:
    """What provenance.summarise and the stored summary read from an attribution."""

    pk: int
    via_id: int | None
    actor: Actor
    actor_id: int
    article: _Article
    article_id: int
    quote: str
    stance: str
    supports: bool
    depth: int


@dataclass
class SourcePools:
    """The rows claims draw on, already in the database."""

    reporters: list[int]
    editors: list[int]
    topics: dict[str, int]
    regions: list  # Region rows, frontline first
    outlets: list  # Outlet rows
    actors: list  # Actor rows, in actor_specs() order
    roles: dict[str, list]  # role -> Actor rows


class ArchiveGenerator:
    """Draws claims in order; ``draw(count)`` returns the next rows for every table."""

    def __init__(self, pools: SourcePools, *, seed: int, total: int, next_ids: dict[str, int]):
        self.rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        self.pools = pools
        self.total = total
        self.drawn = 0
        self.ids = dict(next_ids)
        self.recent_articles: deque[_Article] = deque(maxlen=400)
        self.recent_evidence: deque[int] = deque(maxlen=50)
        self.midnights: dict[dt.date, dt.datetime] = {}
        roles = pools.roles
        # Who asserts, denies or checks, by the side accused; most popular first.
        self.accusers = {
            RU: Zipf(
                roles["state_ua"] + roles["state_third"] + roles["soldier_ru"] + roles["media"]
                + roles["witness"] + roles["analyst"] + roles["ua_unit"],
                1.05,
            ),
            UA: Zipf(
                roles["state_ru"] + roles["soldier_ua"] + roles["media"] + roles["blogger"] + roles["analyst"], 1.05
            ),
        }  # fmt: skip
        self.deniers = {
            RU: Zipf(roles["state_ru"] + roles["ru_unit"] + roles["blogger"], 1.2),
            UA: Zipf(roles["state_ua"] + roles["ua_unit"], 1.2),
        }
        self.disputers = Zipf(roles["analyst"] + roles["media"], 1.1)
        self.relayers = Zipf(roles["media"] + roles["blogger"], 1.0)
        self.checkers = Zipf(roles["media"] + roles["analyst"], 1.0)
        self.units = {RU: Zipf(roles["ru_unit"], 0.9), UA: Zipf(roles["ua_unit"], 0.9)}
        self.outlets = Zipf(pools.outlets, 0.9)
        self.home_outlet = {"ukraine": pools.outlets[0], "russia": pools.outlets[1], "third_party": pools.outlets[2]}
        self.regions = Zipf(pools.regions, 1.1)
        self.villages = Zipf(villages(), 1.0)
        self.callsigns = Zipf(CALLSIGNS, 1.0)
        self.zipf = {
            name: Zipf(items, 1.1)
            for name, items in {
                "time": TIMES,
                "sourcing": SOURCING,
                "speech": SPEECH,
                "intercept": INTERCEPT_QUOTES,
                "soldier": SOLDIER_QUOTES,
                "media": MEDIA_QUOTES,
                "protected": PROTECTED_QUOTES,
                "assessment": ASSESSMENTS,
                "denial": DENIALS,
                "dispute": DISPUTES,
                "relay": RELAY_PREFIXES,
                "headline": HEADLINE_PREFIXES,
                "relative": RELATIVES,
                "notes": NOTES,
                "estimative": list(ESTIMATIVE_WORDS),
                "method": list(CHECK_NOTES),
            }.items()
        }
        self.subjects = {side: Zipf(items, 1.0) for side, items in SUBJECTS.items()}
        self.actions = {side: Zipf(items, 0.9) for side, items in ACTIONS.items()}

    # -- helpers --------------------------------------------------------

    def _next_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _pick(self, name: str):
        return self.zipf[name].pick(self.rng)

    def _fill(self, template: str, side: str) -> str:
        if "{" not in template:
            return template
        rng = self.rng
        values = {}
        if "{village}" in template:
            values["village"] = self.villages.pick(rng)
        if "{unit}" in template:
            values["unit"] = self.units[side].pick(rng).name.rsplit(" (", 1)[0]
        if "{callsign}" in template:
            values["callsign"] = self.callsigns.pick(rng)
        if "{relative}" in template:
            values["relative"] = self._pick("relative")
        if "{count}" in template:
            values["count"] = rng.choice(("two", "three", "four", "five", "several"))
        if "{speech" in template:
            speech = self._fill(self._pick("speech"), side)
            values["speech"], values["speech_cap"] = speech, _cap(speech)
        return template.format(**values)

    def _below(self, n: int) -> int:
        # random() is several times cheaper than randrange(), and this runs millions of times.
        return int(self.rng.random() * n)

    def _between(self, low: int, high: int) -> int:
        return low + int(self.rng.random() * (high - low))

    def _datetime(self, day: dt.date) -> dt.datetime:
        """A moment during the working day of ``day``, in UTC."""
        midnight = self.midnights.get(day)
        if midnight is None:
            midnight = self.midnights[day] = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        return midnight + dt.timedelta(seconds=self._between(6 * 3600, 23 * 3600))

    # -- one claim ------------------------------------------------------

    def draw(self, count: int) -> dict[str, list[tuple]]:
        rows: dict[str, list[tuple]] = {table: [] for table in TABLE_ORDER}
        for _ in range(count):
            self._claim(rows)
        return rows

    def _claim(self, rows: dict[str, list[tuple]]) -> None:
        rng = self.rng
        position = self.drawn / max(1, self.total)
        self.drawn += 1
        claim_id = self._next_id("claim")
        side = RU if rng.random() < 0.85 else UA

        # When: spread over the years in order, so ids and dates rise together (with some jitter).
        event_start = START + dt.timedelta(days=max(0, int(position * SPAN_DAYS) - self._between(0, 30)))
        event_end = event_start + dt.timedelta(days=self._between(1, 60)) if rng.random() < 0.3 else None

        # What: subject + action + time + sourcing, each drawn Zipf-wise.
        subject = self._fill(self.subjects[side].pick(rng), side)
        action, action_topics = self.actions[side].pick(rng)
        action = self._fill(action, side)
        when = self._pick("time").format(month=MONTHS[event_start.month - 1], year=event_start.year)
        sourcing, sourcing_topics = self._pick("sourcing")
        regions = [self.regions.pick(rng)]
        if rng.random() < 0.2:
            regions.append(self.regions.pick(rng))
        regions = list(dict.fromkeys(regions))
        statement = f"{_cap(subject)} {action} in the {regions[0].name} area{when}{sourcing}."
        notes = self._pick("notes") if rng.random() < 0.2 else ""

        reports = self._reports(claim_id, side, subject, action, event_start, statement, rows)

        # The stored summary, computed as Claim._fill_stored_summary computes it.
        summary = provenance.summarise(reports, ())
        every = summary.supporting + summary.denying
        dates = [r.article.published_on for r in every if r.article.published_on]
        first_reported = min(dates) if dates else None
        search_document = "\n".join(
            [statement, strip_tags(notes)]
            + [r.quote for r in every if r.quote]
            + sorted({r.actor.public_name for r in every})
        )
        origins = summary.independent_origin_count
        has_denial = bool(summary.denying)

        # Editorial state and verdict.
        roll = rng.random()
        state = (
            State.PUBLISHED
            if roll < 0.86
            else State.WITHDRAWN
            if roll < 0.88
            else State.IN_REVIEW
            if roll < 0.92
            else State.SENT_BACK
            if roll < 0.95
            else State.DRAFT
        )
        status = self._status(origins, has_denial, state)
        reporter = self.pools.reporters[self._below(len(self.pools.reporters))]
        editor = self.pools.editors[self._below(len(self.pools.editors))]
        created_at = self._datetime(first_reported or event_start)
        published_at = None
        clock = created_at + dt.timedelta(hours=self._between(2, 72))
        events: list[tuple] = []

        def event(action: str, user: int, *, to_state="", from_state="", to_status="", public=False) -> None:
            nonlocal clock
            clock += dt.timedelta(minutes=self._between(10, 2000))
            note = EDITOR_NOTES.get(action, "")
            from_status = Status.UNVERIFIED if to_status else ""
            events.append(
                (self._next_id("review_event"), claim_id, action, user, clock, from_state, to_state, from_status,
                 to_status, note, public)
            )  # fmt: skip

        if state != State.DRAFT:
            event(Action.SUBMIT, reporter, from_state=State.DRAFT, to_state=State.IN_REVIEW)
        if state == State.SENT_BACK:
            event(Action.SEND_BACK, editor, from_state=State.IN_REVIEW, to_state=State.SENT_BACK)
        if state in Claim.PUBLIC_STATES:
            if status != Status.UNVERIFIED:
                event(Action.SET_STATUS, editor, to_status=status, public=True)
            event(Action.PUBLISH, editor, from_state=State.IN_REVIEW, to_state=State.PUBLISHED, public=True)
            published_at = clock
            if rng.random() < 0.03:
                event(Action.CORRECT, editor, public=True)
            if state == State.WITHDRAWN:
                event(Action.WITHDRAW, editor, from_state=State.PUBLISHED, to_state=State.WITHDRAWN, public=True)
        rows["review_event"].extend(events)
        updated_at = clock

        rows["claim"].append(
            (claim_id, statement, event_start, event_end, status, state, notes, reporter, created_at, updated_at,
             published_at, 1 + len(events), summary.report_count, origins, has_denial, first_reported,
             search_document)
        )  # fmt: skip
        topics = [self.pools.topics[slug] for slug in dict.fromkeys(action_topics + sourcing_topics)]
        for topic in topics:
            rows["claim_topics"].append((self._next_id("claim_topics"), claim_id, topic))
        for region in regions:
            rows["claim_regions"].append((self._next_id("claim_regions"), claim_id, region.pk))

        evidence_id = self._evidence(claim_id, side, sourcing_topics, reports, rows)
        self._corroborations(claim_id, status, first_reported or event_start, evidence_id, reporter, rows)

    def _status(self, origins: int, has_denial: bool, state: str) -> str:
        if state not in Claim.PUBLIC_STATES:
            return Status.UNVERIFIED
        roll = self.rng.random()
        if roll < 0.01:
            return Status.FALSE
        if has_denial and roll < 0.35:
            return Status.DISPUTED
        if origins >= 2:
            return Status.CONFIRMED if roll < 0.12 else Status.CORROBORATED if roll < 0.7 else Status.UNVERIFIED
        return Status.SINGLE_ORIGIN if roll < 0.6 else Status.UNVERIFIED

    def _reports(self, claim_id, side, subject, action, event_start, statement, rows) -> list[_Report]:
        """2 to 20 attributions: a few origins, denials now and then, relays chaining back to them."""
        rng = self.rng
        total = 2 + min(18, int(19 * rng.random() ** 2.2))
        supporting_roots = min(total, 1 + int(3.2 * rng.random() ** 2.5))
        denial_roots = (1 if rng.random() < 0.8 else 2) if rng.random() < 0.2 else 0
        dispute_roots = 1 if rng.random() < 0.05 else 0
        denial_roots = min(denial_roots, total - supporting_roots)
        dispute_roots = min(dispute_roots, total - supporting_roots - denial_roots)

        reports: list[_Report] = []
        used_pairs: set[tuple[int, int]] = set()  # (article, actor): one attribution each per claim

        def add(actor: Actor, stance: str, quote: str, via: _Report | None, day: dt.date) -> None:
            article = self._article_for(actor, via, day, statement, used_pairs, rows)
            used_pairs.add((article.pk, actor.id))
            pk = self._next_id("attribution")
            supports = stance in Attribution.SUPPORTING_STANCES
            term = self._pick("estimative") if stance == Stance.ASSESSES else ""
            credibility = None if via is not None or rng.random() < 0.5 else 1 + min(5, int(6 * rng.random() ** 1.3))
            stamp = self._datetime(article.published_on)
            rows["attribution"].append(
                (pk, claim_id, article.pk, actor.id, stance, quote, term, credibility, via.pk if via else None,
                 stamp, stamp)
            )  # fmt: skip
            reports.append(
                _Report(pk, via.pk if via else None, actor, actor.id, article, article.pk, quote, stance, supports,
                        via.depth + 1 if via else 0)
            )  # fmt: skip

        for _ in range(supporting_roots):
            actor = self.accusers[side].pick(rng)
            stance, quote = self._supporting_quote(actor, side, subject, action)
            add(actor, stance, quote, None, event_start + dt.timedelta(days=int(10 * rng.random() ** 2)))
        first_day = reports[0].article.published_on
        for _ in range(denial_roots):
            add(self.deniers[side].pick(rng), Stance.DENIES, self._fill(self._pick("denial"), side), None,
                first_day + dt.timedelta(days=self._between(0, 5)))  # fmt: skip
        for _ in range(dispute_roots):
            add(self.disputers.pick(rng), Stance.DISPUTES, self._fill(self._pick("dispute"), side), None,
                first_day + dt.timedelta(days=self._between(0, 10)))  # fmt: skip

        # Relays: each repeats an earlier report of the same kind (an assertion never relays a denial).
        while len(reports) < total:
            parent = reports[self._below(len(reports))]
            if parent.depth >= 4:
                parent = next(r for r in reports if r.pk == parent.via_id)
            actor = parent.actor if rng.random() < 0.85 else self.relayers.pick(rng)
            stance = parent.stance
            quote = self._pick("relay") + parent.quote
            add(actor, stance, quote, parent, parent.article.published_on + dt.timedelta(days=self._between(0, 4)))
        return reports

    def _supporting_quote(self, actor: Actor, side: str, subject: str, action: str) -> tuple[str, str]:
        kind = actor.kind
        if kind == "analyst" or (kind == "government" and actor.side == "third_party" and self.rng.random() < 0.7):
            term = self._pick("estimative")
            template = self._pick("assessment")
            village = self.villages.pick(self.rng)
            quote = template.format(term=ESTIMATIVE_WORDS[term], subject=subject, action=action, village=village)
            return Stance.ASSESSES, quote
        if actor.is_protected:
            return Stance.ASSERTS, self._fill(self._pick("protected"), side)
        if kind == "individual":
            return Stance.ASSERTS, self._fill(self._pick("soldier"), side)
        if kind == "media":
            return Stance.ASSERTS, self._fill(self._pick("media"), side)
        return Stance.ASSERTS, self._fill(self._pick("intercept"), side)

    def _article_for(self, actor, via, day, statement, used_pairs, rows) -> _Article:
        """An article carrying this report: often a new one, sometimes one already citing this claim or a recent one."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.15 and self.recent_articles:
            candidate = self.recent_articles[self._below(len(self.recent_articles))]
            if (candidate.pk, actor.id) not in used_pairs:
                return candidate
        if via is None and actor.kind == "government" and roll < 0.6:
            outlet = self.home_outlet[actor.side]
        else:
            outlet = self.outlets.pick(rng)
            if via is not None and outlet.id == via.article.outlet:
                outlet = self.outlets.pick(rng)
        pk = self._next_id("article")
        published = min(day, END)
        headline = (self._pick("headline") + statement)[:300]
        byline = f"{FIRST_NAMES[self._below(30)]} {LAST_NAMES[self._below(30)]}" if rng.random() < 0.7 else ""
        url = f"{outlet.website}/{published.isoformat().replace('-', '/')}/report-{pk}"
        captured_text, captured_at, sha = "", None, ""
        if rng.random() < 0.05:
            captured_text = headline + "\n\n" + statement
            captured_at = self._datetime(published) + dt.timedelta(hours=2)
            sha = hashlib.sha256(captured_text.encode()).hexdigest()
        language = COUNTRY_LANGUAGE.get(outlet.country, "en")
        stamp = self._datetime(published)
        rows["article"].append(
            (pk, url, headline, outlet.id, byline, published, language, captured_text, captured_at, sha, "", 1,
             stamp, stamp)
        )  # fmt: skip
        article = _Article(pk, published, outlet.id)
        self.recent_articles.append(article)
        return article

    def _evidence(self, claim_id, side, sourcing_topics, reports, rows) -> int | None:
        """Some claims rest on a published file; a few later claims cite the same one."""
        rng = self.rng
        if self.recent_evidence and rng.random() < 0.02:
            evidence_id = self.recent_evidence[self._below(len(self.recent_evidence))]
        elif sourcing_topics and rng.random() < 0.25:
            evidence_id = self._next_id("evidence")
            origin = reports[0]
            kind = (
                "video"
                if "drone-footage" in sourcing_topics or "video-appeals" in sourcing_topics
                else "audio_intercept"
            )
            if "prosecutions" in sourcing_topics:
                kind = "court_record"
            published = origin.article.published_on
            rows["evidence"].append(
                (evidence_id, f"{kind.replace('_', ' ').capitalize()} {evidence_id}", kind, "", origin.actor_id,
                 published, published - dt.timedelta(days=self._between(0, 20)),
                 f"https://evidence.example/{evidence_id}", "Two men, not named.", rng.random() < 0.2, "", "",
                 hashlib.sha256(f"evidence-{evidence_id}".encode()).hexdigest(),
                 EvidenceItem.Authenticity.NOT_ASSESSED if rng.random() < 0.7 else EvidenceItem.Authenticity.ORIGINAL,
                 self._datetime(published))
            )  # fmt: skip
            self.recent_evidence.append(evidence_id)
        else:
            return None
        rows["claim_evidence"].append((self._next_id("claim_evidence"), claim_id, evidence_id))
        return evidence_id

    def _corroborations(self, claim_id, status, first_day, evidence_id, reporter, rows) -> None:
        rng = self.rng
        if rng.random() >= 0.25:
            return
        finding = {
            Status.CONFIRMED: "supports",
            Status.CORROBORATED: "supports",
            Status.FALSE: "contradicts",
            Status.DISPUTED: "inconclusive",
        }
        for _ in range(1 + int(2.5 * rng.random() ** 2)):
            method = self._pick("method")
            performer = None if rng.random() < 0.5 else self.checkers.pick(rng).id
            day = first_day + dt.timedelta(days=self._between(1, 30))
            rows["corroboration"].append(
                (self._next_id("corroboration"), claim_id, method, performer,
                 finding.get(status) or rng.choice(("supports", "inconclusive")), day, CHECK_NOTES[method],
                 evidence_id if method == "audio_forensics" else None, "", reporter, self._datetime(day))
            )  # fmt: skip


REPORTERS = 24
EDITORS = 6


def ensure_sources(claims: int) -> SourcePools:
    """Create (or find, by their natural keys) the accounts, topics, groups, outlets and actors claims draw on."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims.models import Region, Topic

    user_model = get_user_model()
    accounts: dict[str, list[int]] = {}
    for role, prefix, count in (
        ("Reporters", "synthetic-reporter", REPORTERS),
        ("Editors", "synthetic-editor", EDITORS),
    ):
        group = Group.objects.get(name=role)
        accounts[role] = []
        for i in range(1, count + 1):
            user, created = user_model.objects.get_or_create(username=f"{prefix}-{i:02d}")
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(group)
            accounts[role].append(user.pk)

    topics = {}
    for slug, (name, description) in TOPICS.items():
        topic = Topic.objects.filter(slug=slug).first() or Topic.objects.create(
            slug=slug, name=name, description=description
        )
        topics[slug] = topic.pk

    rank = {slug: i for i, slug in enumerate(FRONTLINE_REGIONS)}
    regions = sorted(Region.objects.all(), key=lambda r: (rank.get(r.slug, len(rank)), r.name))
    if not regions:
        raise LookupError("No regions: run migrate first (the regions migration creates them).")

    groups = _ensure_named(IndependenceGroup, [{"name": n, "description": d} for n, d in GROUPS.items()])
    outlet_count, actor_count = source_counts(claims)
    outlets = _ensure_named(Outlet, outlet_specs()[:outlet_count])
    actor_fields = {
        "name",
        "kind",
        "side",
        "country",
        "is_party_to_conflict",
        "reliability",
        "is_protected",
        "pseudonym",
    }
    specs = actor_specs()[:actor_count]
    actors = _ensure_named(
        Actor,
        [
            {**{k: v for k, v in spec.items() if k in actor_fields}, "independence_group_id": groups[spec["group"]].pk}
            if spec["group"]
            else {k: v for k, v in spec.items() if k in actor_fields}
            for spec in specs
        ],
    )
    roles: dict[str, list[Actor]] = {}
    for spec in specs:
        roles.setdefault(spec["role"], []).append(actors[spec["name"]])
    missing = {"state_ua", "state_ru", "state_third", "ru_unit", "ua_unit", "soldier_ru", "soldier_ua", "media"}
    missing |= {"witness", "analyst", "blogger"}
    missing -= set(roles)
    if missing:
        raise LookupError(f"No actors for roles {sorted(missing)}")
    return SourcePools(
        reporters=accounts["Reporters"],
        editors=accounts["Editors"],
        topics=topics,
        regions=regions,
        outlets=list(outlets.values()),
        actors=list(actors.values()),
        roles=roles,
    )


def _ensure_named(model, specs: list[dict]) -> dict:
    """Rows of ``model`` named as in ``specs``, in that order; the missing ones bulk-created
    (no signals, no history: the generated archive has no past)."""
    names = [spec["name"] for spec in specs]
    existing = set(model.objects.filter(name__in=names).values_list("name", flat=True))
    model.objects.bulk_create([model(**spec) for spec in specs if spec["name"] not in existing], batch_size=500)
    by_name = {row.name: row for row in model.objects.filter(name__in=names)}
    return {name: by_name[name] for name in names}
