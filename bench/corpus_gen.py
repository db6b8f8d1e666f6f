"""Synthetic news corpus in the style of corpus/*.txt, for measuring `kazkg build` end to end.

Every article is generated from templates and the lists in bench/data/: real institutions
(regions, ministries, programs), invented people, companies, projects and figures. A world of
office holders (president, prime ministers, ministers, akims, each with terms over 2010-2024) is
drawn once, so that articles agree with each other: the akim an article names for a region on a
date is the one in office then. Pools of minor people, companies and projects grow with the
number of documents, and choices are skewed (a few entities are in many articles).

Deterministic: the same --docs and --seed give the same bytes (article i depends on the world,
whose pools are sized by --docs, and on (seed, i)).

    python -m bench.corpus_gen --docs 1000 --out bench/work/corpus-1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
CHROME = [
    "Download the App for Android",
    "Subscribe to our Telegram channel and be the first to know the news!",
    "Please, join our Telegram channel to stay up to date on the latest news.",
    "Share:",
    "Фото: {site}",
]
SITES = ["primeminister.kz", "inform.kz", "kapital.kz", "gov.kz", "kazpravda.kz"]


def _read_words(name: str) -> list[list[str]]:
    """A word list file: sections split by a '---' line, '#' lines are comments."""
    sections: list[list[str]] = [[]]
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.strip() == "---":
            sections.append([])
            continue
        sections[-1].extend(line.split())
    return sections


@dataclass(frozen=True)
class Person:
    given: str
    surname: str
    female: bool = False

    @property
    def name(self) -> str:
        return f"{self.given} {self.surname}"

    @property
    def initials(self) -> str:
        return (
            f"{self.given[0]}.{self.surname}"
            if not self.given.startswith(("Zh", "Sh", "Kh"))
            else f"{self.given[:2]}. {self.surname}"
        )


@dataclass
class Term:
    office: str  # "Prime Minister", "Minister of Energy", "akim of Karaganda region"
    person: Person
    start: dt.date
    end: dt.date


@dataclass
class Project:
    company: str
    action: str
    product: str
    facility: str
    town: str
    region: str
    cost: float  # billion tenge
    jobs: int


@dataclass
class World:
    """Office holders, companies, projects and minor people of one synthetic corpus."""

    seed: int
    docs: int
    data: dict
    terms: dict[str, list[Term]] = field(default_factory=dict)
    minor: list[Person] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)

    def holder(self, office: str, day: dt.date) -> Person | None:
        for term in self.terms.get(office, []):
            if term.start <= day < term.end:
                return term.person
        return None


class _Names:
    """Unique invented names: given name x surname stem x suffix, in a seeded order."""

    def __init__(self, rng: random.Random) -> None:
        male, female = _read_words("given_names.txt")
        stems = _read_words("surname_stems.txt")[0]
        combos = [
            (g, s, suf, False)
            for g in male
            for s in stems
            for suf in ("ov", "bayev", "bekov", "uly")
        ]
        combos += [
            (g, s, suf, True) for g in female for s in stems for suf in ("ova", "bayeva", "kyzy")
        ]
        rng.shuffle(combos)
        self._combos, self._next, self._used_surnames = combos, 0, set()

    def person(self) -> Person:
        while True:
            given, stem, suffix, female = self._combos[self._next % len(self._combos)]
            self._next += 1
            surname = _surname(stem, suffix)
            # one surname per person, so that "Mr. Surname" later in an article is unambiguous
            if surname not in self._used_surnames or self._next > len(self._combos):
                self._used_surnames.add(surname)
                return Person(given, surname, female)


def _surname(stem: str, suffix: str) -> str:
    if suffix in ("uly", "kyzy"):
        return f"{stem}{suffix}"
    if suffix in ("ov", "ova") and stem.endswith(("ai", "ei")):
        return stem + ("ev" if suffix == "ov" else "eva")
    return stem + suffix


def _zipf_index(rng: random.Random, n: int, s: float = 1.1) -> int:
    """An index in [0, n) with a Zipf-like skew: a few items are chosen often."""
    u = rng.random()
    return min(n - 1, int(n ** (u**s)) - 1) if n > 1 else 0


def build_world(docs: int, seed: int = 42) -> World:
    data = json.loads((DATA / "world.json").read_text("utf-8"))
    rng = random.Random(f"world:{seed}")
    names = _Names(rng)
    world = World(seed=seed, docs=docs, data=data)
    first, last = data["years"]
    start, stop = dt.date(first, 1, 1), dt.date(last + 1, 1, 1)
    officials: list[Person] = []
    busy_until: dict[Person, dt.date] = {}

    def succession(office: str, begin: dt.date, end: dt.date, years: tuple[int, int]) -> None:
        day, terms = begin, []
        while day < end:
            length = dt.timedelta(days=rng.randint(years[0] * 365, years[1] * 365))
            # about one in five appointees held another post before (one post at a time)
            free = [p for p in officials if busy_until[p] <= day]
            person = rng.choice(free) if free and rng.random() < 0.2 else names.person()
            term_end = min(end, day + length)
            officials.append(person)
            busy_until[person] = max(busy_until.get(person, term_end), term_end)
            terms.append(Term(office, person, day, term_end))
            day = day + length
        world.terms[office] = terms

    succession("President", start, stop, (6, 9))
    succession("Prime Minister", start, stop, (2, 4))
    succession("First Deputy Prime Minister", start, stop, (2, 4))
    for ministry in data["ministries"]:
        begin = dt.date(ministry["from"], 3, 1) if ministry["from"] > first else start
        end = dt.date(ministry["until"], 6, 1) if ministry["until"] <= last else stop
        succession(f"Minister of {ministry['object']}", begin, end, (2, 4))
        succession(f"Vice Minister of {ministry['object']}", begin, end, (1, 3))
    for region, info in data["regions"].items():
        begin = dt.date(info["from"], 6, 8) if "from" in info else start
        end = dt.date(info["until"], 6, 19) if "until" in info else stop
        succession(f"akim of {region}", begin, end, (2, 5))
    for city in data["cities"]:
        succession(f"akim of {city}", start, stop, (2, 5))

    world.minor = [names.person() for _ in range(max(40, docs // 6))]
    stems, kinds = data["company_stems"], data["company_kinds"]
    combos = [f"{a} {k}" for a in stems for k in kinds]
    combos += [f"{a}-{b} {k}" for a in stems for b in stems if a != b for k in kinds]
    crng = random.Random(f"companies:{seed}")
    head = combos[: len(stems) * len(kinds)]
    crng.shuffle(head)
    world.companies = head + combos[len(head) : len(head) + max(0, docs // 8 - len(head))]
    world.companies = world.companies[: max(30, docs // 8)]
    regions = list(data["regions"])
    for _ in range(max(30, docs // 3)):
        region = rng.choice(regions)
        info = data["regions"][region]
        town = rng.choice([info["centre"], *info["towns"]])
        world.projects.append(
            Project(
                company=world.companies[_zipf_index(rng, len(world.companies), 1.0)],
                action=rng.choice(data["actions"]),
                product=rng.choice(data["products"]),
                facility=rng.choice(data["facilities"]),
                town=town,
                region=region,
                cost=round(rng.uniform(1.5, 400), 1),
                jobs=rng.randrange(40, 1500, 5),
            )
        )
    return world


# --- articles ------------------------------------------------------------------------------------


class _Writer:
    """The figures and phrasing of one article, drawn from its own random generator."""

    def __init__(self, world: World, index: int) -> None:
        self.world, self.index = world, index
        self.rng = random.Random(f"doc:{world.seed}:{index}")
        first, last = world.data["years"]
        span = (dt.date(last, 12, 31) - dt.date(first, 1, 1)).days
        self.day = dt.date(first, 1, 1) + dt.timedelta(days=self.rng.randrange(span))
        self.year = self.day.year

    # people and names
    def holder(self, office: str) -> Person | None:
        return self.world.holder(office, self.day)

    def spelled(self, person: Person) -> str:
        """The full name, now and then with a transliteration variant of the surname."""
        surname = person.surname
        if "ss" in surname and self.rng.random() < 0.15:
            surname = surname.replace("ss", "s", 1)
        elif "ai" in surname and self.rng.random() < 0.1:
            surname = surname.replace("ai", "ay", 1)
        return f"{person.given} {surname}"

    def short(self, person: Person) -> str:
        return self.rng.choice([person.initials, person.initials, person.name, person.surname])

    def minor_person(self) -> Person:
        return self.world.minor[_zipf_index(self.rng, len(self.world.minor))]

    def ministries(self, industry: bool | None = None) -> list[dict]:
        """Ministries that exist on the article's date (they have a minister then)."""
        return [
            m
            for m in self.world.data["ministries"]
            if self.holder(f"Minister of {m['object']}") is not None
            and (industry is None or m.get("industry", False) == industry)
        ]

    def regions(self) -> list[str]:
        """Regions that exist on the article's date (they have an akim then)."""
        return [r for r in self.world.data["regions"] if self.holder(f"akim of {r}") is not None]

    def program(self) -> dict:
        live = [p for p in self.world.data["programs"] if p["from"] <= self.year <= p["until"]]
        return self.rng.choice(live or self.world.data["programs"])

    def project(self, region: str | None = None) -> Project:
        pool = self.world.projects
        if region:
            local = [p for p in pool if p.region == region]
            if local:
                return local[_zipf_index(self.rng, len(local))]
        return pool[_zipf_index(self.rng, len(pool))]

    # figures
    def number(self, low: float, high: float) -> str:
        value = self.rng.uniform(low, high)
        return f"{value:.1f}" if value < 100 else f"{value:,.0f}".replace(",", " ")

    def figure(self, indicator: dict) -> str:
        low, high = indicator["range"]
        return f"{self.number(low, high)}{'%' if indicator['unit'] == '%' else ' ' + indicator['unit']}"

    def indicator(self, kinds: tuple[str, ...] = ("level", "rate", "index")) -> dict:
        return self.rng.choice([i for i in self.world.data["indicators"] if i["kind"] in kinds])

    def dateline(self) -> str:
        d, rng = self.day, self.rng
        style = rng.randrange(4)
        if style == 0:
            return f"{d.day} {MONTHS[d.month - 1]} {d.year}, {rng.randrange(8, 20)}:{rng.randrange(60):02d}"
        if style == 1:
            return f"{d.day:02d}.{d.month:02d}.{d.year} {rng.randrange(8, 20)}:{rng.randrange(60):02d} {rng.randrange(200, 9000)}"
        if style == 2:
            return f"Astana, {MONTHS[d.month - 1]} {d.day}, {d.year}"
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"

    def quote_figures(self, count: int, regional: str | None = None) -> str:
        sentences = []
        seen: set[str] = set()
        for _ in range(count):
            kinds = (
                ("regional",)
                if regional and self.rng.random() < 0.6
                else ("level", "rate", "index")
            )
            ind = self.indicator(kinds)
            if ind["text"] in seen:
                continue
            seen.add(ind["text"])
            year = self.year - self.rng.choice((0, 1, 1))
            phrase = self.rng.choice(
                [
                    "In {y}, {i} made {v}.",
                    "In {y}, {i} reached {v}.",
                    "Following the results of {y}, {i} amounted to {v}.",
                    "By the end of {y}, {i} grew by {p}% and reached {v}.",
                ]
            )
            sentences.append(
                phrase.format(y=year, i=ind["text"], v=self.figure(ind), p=self.number(1, 15))
            )
        return " ".join(sentences)

    def projects_sentence(self, projects: list[Project]) -> str:
        items = []
        for p in projects:
            status = self.rng.choice(self.world.data["statuses"])
            items.append(
                f'the {p.action} of the {p.product} {p.facility} of LLP "{p.company}" in {p.town} '
                f"({status}, {p.cost:g} billion tenge, {p.jobs} jobs)"
            )
        return "The most significant projects of the year are " + ", ".join(items) + "."

    def chrome(self) -> str:
        line = self.rng.choice(CHROME)
        return line.format(site=self.rng.choice(SITES))


def _government_session(w: _Writer) -> str:
    pm = w.holder("Prime Minister")
    ministry = w.rng.choice(w.ministries(industry=True) or w.ministries())
    minister = w.holder(f"Minister of {ministry['object']}")
    program = w.program()
    regions = w.rng.sample(w.regions(), k=3)
    akims = [(r, w.holder(f"akim of {r}")) for r in regions]
    title = w.rng.choice(
        [
            "Prime Minister held session on implementation of the {s}",
            "Government considered the progress of the {s}",
            "Results of the {s} discussed at the Government meeting",
        ]
    ).format(s=program["short"])
    paragraphs = [
        title,
        w.dateline(),
        f"Prime Minister of Kazakhstan {w.spelled(pm)} held a session focused on the issues of "
        f"implementation of the {program['name']} and projects of the Industrialization Map. "
        "Heads of the central executive authorities, regional governors and heads of the national "
        "companies took part in the session.",
        f"Minister of {ministry['object']} of Kazakhstan {w.spelled(minister)} delivered a report "
        "at the session.",
    ]
    paragraphs.append(
        f"\u201c{w.quote_figures(w.rng.randint(2, 4))}\u201d {w.short(minister)} said."
    )
    reports = ", ".join(f"{r} \u2014 {w.spelled(p)}" for r, p in akims[1:])
    paragraphs.append(
        f"The akims of {akims[0][0]} {w.spelled(akims[0][1])}, {reports} made reports."
    )
    region, akim = akims[0]
    figures = w.quote_figures(1, regional=region)
    paragraphs.append(f"According to the akim of {region}, {figures[0].lower()}{figures[1:]}")
    if w.rng.random() < 0.7:
        paragraphs.append(
            w.projects_sentence([w.project(r) for r in regions[: w.rng.randint(1, 3)]])
        )
    paragraphs.append(
        f"Summing up the results of the session, the Premier instructed the {ministry['name']} "
        f"together with the akims of the regions to ensure the commissioning of the projects "
        f"by the end of {w.year}."
    )
    paragraphs.append(
        f"\u201cIt is necessary to achieve the targets of the {program['short']} in {w.year}. "
        f"{w.quote_figures(1)}\u201d {w.spelled(pm)} noted."
    )
    return "\n\n".join(paragraphs)


def _map_projects(w: _Writer) -> str:
    region = w.rng.choice(w.regions())
    akim = w.holder(f"akim of {region}")
    n = w.rng.randint(2, 5)
    projects = [w.project(region) for _ in range(n)]
    total = sum(p.cost for p in projects)
    jobs = sum(p.jobs for p in projects)
    paragraphs = [
        f"of {region}" if w.rng.random() < 0.3 else w.chrome(),
        f"{n} projects worth {total:.1f} billion tenge will be introduced in {region} in {w.year} "
        "as part of the Industrialization Map",
        w.dateline(),
        f"Akim of {region} {w.spelled(akim)} told about the implementation of the Industrialization "
        f"Map projects in the region at a briefing.",
        f"This year, it is planned to introduce {n} projects of the Industrialization Map in the "
        f"amount of {total:.1f} billion tenge. This will create about {jobs} jobs.",
        w.projects_sentence(projects),
        f"\u201c{w.quote_figures(w.rng.randint(1, 3), regional=region)}\u201d {w.short(akim)} said.",
    ]
    if w.rng.random() < 0.5:
        director = w.minor_person()
        p = projects[0]
        paragraphs.append(
            f'Director of LLP "{p.company}" {w.spelled(director)} said that the {p.facility} '
            f"will produce {p.product} for the domestic market and for export."
        )
    paragraphs.append(w.chrome())
    return "\n\n".join(paragraphs)


def _minister_at_president(w: _Writer) -> str:
    president = w.holder("President")
    ministry = w.rng.choice(w.ministries(industry=True) or w.ministries())
    minister = w.holder(f"Minister of {ministry['object']}")
    program = w.program()
    paragraphs = [
        w.rng.choice(
            [
                "Kazakhstan has managed to retain the growth of the manufacturing industry",
                "Head of State heard a report on industrialization",
                "Results of industrialization discussed",
            ]
        ),
        w.dateline(),
        f"According to the Minister of {ministry['object']} {w.spelled(minister)} the processing "
        f"industry remained in the positive zone in Kazakhstan. The minister stated this during the "
        f"meeting on the outcome of industrialization of {w.year - 1} under the chairmanship of the "
        f"President of Kazakhstan {w.spelled(president)}.",
        f"Reporting on the results, the minister said that \u201c{w.quote_figures(w.rng.randint(1, 3))}\u201d",
        f"\u201cThe {program['short']} allows Kazakhstan to keep the pace of industrial development. "
        f"{w.quote_figures(1)}\u201d - said {w.spelled(minister)}.",
    ]
    paragraphs.append(
        f"The President instructed the Government to update the {program['short']} by {w.year + 1}."
    )
    if w.rng.random() < 0.5:
        vice = w.holder(f"Vice Minister of {ministry['object']}")
        if vice:
            paragraphs.append(
                f"Vice Minister of {ministry['object']} {w.spelled(vice)} informed about "
                f"the support of exporters. \u201c{w.quote_figures(1)}\u201d {w.short(vice)} said."
            )
    paragraphs.append(w.chrome())
    return "\n\n".join(paragraphs)


def _bilateral(w: _Writer) -> str:
    pm = w.holder("Prime Minister")
    company = w.world.companies[_zipf_index(w.rng, len(w.world.companies))]
    chairman = w.minor_person()
    program = w.program()
    horizon = w.year + w.rng.randint(3, 6)
    paragraphs = [
        f"Prime Minister discusses implementation of the {program['short']} with head of {company}",
        w.dateline(),
        f"Prime Minister of Kazakhstan {w.spelled(pm)} held a meeting with the Chairman of the Board "
        f'of JSC "{company}" {w.spelled(chairman)}.',
        f"The meeting discussed the main directions of implementation of the {program['name']}. "
        f"{w.short(pm)} noted the importance of the document.",
        f"The {program['short']} consists of {w.rng.randint(20, 90)} measures in "
        f"{w.rng.randint(3, 9)} areas. Its implementation will ensure the growth of the following "
        f"by {horizon}:",
        "\n".join(
            f"  \u2022 {t} by {w.number(1.1, 4.5)} times;"
            for t in w.rng.sample(
                [
                    "GVA (gross value added)",
                    "export volume",
                    "investment volume",
                    "labor productivity",
                    "PVI (physical volume index)",
                ],
                k=3,
            )
        ),
        f"According to {w.spelled(chairman)}, the company plans to invest "
        f"{w.number(5, 200)} billion tenge and to create {w.rng.randrange(100, 2000, 10)} new jobs by "
        f"{horizon}.",
        w.chrome(),
    ]
    return "\n\n".join(paragraphs)


def _project_launch(w: _Writer) -> str:
    region = w.rng.choice(w.regions())
    project = w.project(region)
    akim = w.holder(f"akim of {region}")
    vice = w.holder(
        f"Vice Minister of {w.rng.choice(w.ministries(industry=True) or w.ministries())['object']}"
    )
    director = w.minor_person()
    paragraphs = [
        f"New {project.product} {project.facility} opened in {project.town}",
        w.dateline(),
        f'In {project.town} of {region}, LLP "{project.company}" commissioned a {project.facility} '
        f"for the production of {project.product} worth {project.cost:g} billion tenge. The project "
        f"was implemented within the Industrialization Map and created {project.jobs} jobs.",
        f"Akim of {region} {w.spelled(akim)} took part in the opening ceremony. "
        f"\u201c{w.quote_figures(w.rng.randint(1, 2), regional=region)}\u201d {w.short(akim)} noted.",
        f'Director of LLP "{project.company}" {w.spelled(director)} said that the capacity of the '
        f"{project.facility} is {w.rng.randrange(5, 500)} thousand tons a year.",
    ]
    if vice:
        paragraphs.append(
            f"Vice Minister {w.spelled(vice)} said that {w.rng.randint(30, 200)} projects "
            f"worth {w.number(100, 2000)} billion tenge will be commissioned in Kazakhstan "
            f"in {w.year}."
        )
    paragraphs.append(w.chrome())
    return "\n\n".join(paragraphs)


def _extra_paragraphs(w: _Writer, text: str) -> str:
    """One to three paragraphs of context: program targets, a region's economy, an instruction."""
    extras = []
    for _ in range(w.rng.randint(1, 3)):
        choice = w.rng.randrange(4)
        if choice == 0:
            program = w.program()
            targets = w.rng.sample(
                [
                    "manufacturing exports",
                    "labor productivity",
                    "the share of processing industry in GDP",
                    "investment in fixed capital of manufacturing",
                ],
                k=2,
            )
            extras.append(
                f"It should be reminded that the {program['name']} was adopted in {program['from']}. "
                f"The program envisages increasing {targets[0]} by {w.number(1.2, 2.5)} times and "
                f"{targets[1]} by {w.rng.randrange(10, 60)}% by {program['until']}."
            )
        elif choice == 1:
            region = w.rng.choice(w.regions())
            info = w.world.data["regions"][region]
            towns = ", ".join([info["centre"], *info["towns"]])
            extras.append(
                f"{region} accounts for {w.number(2, 25)}% of the country's industrial output. "
                f"In {w.year - 1}, {w.rng.randrange(10, 300)} enterprises of {towns} produced goods worth "
                f"{w.number(100, 3000)} billion tenge, the akimat of the region reported."
            )
        elif choice == 2:
            ministry = w.rng.choice(w.ministries())
            month = MONTHS[w.rng.randrange(12)]
            extras.append(
                f"The Prime Minister instructed the {ministry['name']} to submit proposals on the "
                f"support of domestic producers by {month} 1, {w.year + 1}."
            )
        else:
            person = w.minor_person()
            extras.append(
                f"According to the analyst {w.spelled(person)}, the growth of the processing industry "
                f"in {w.year} will be at least {w.number(2, 6)}%. \u201cThe share of manufacturing in "
                f"exports reached {w.number(25, 45)}%,\u201d {w.short(person)} said."
            )
    paragraphs = text.split("\n\n")
    cut = max(3, len(paragraphs) - 1)
    return "\n\n".join(paragraphs[:cut] + extras + paragraphs[cut:])


KINDS = [
    (_government_session, 0.3),
    (_map_projects, 0.2),
    (_minister_at_president, 0.2),
    (_bilateral, 0.15),
    (_project_launch, 0.15),
]


def article(world: World, index: int) -> tuple[str, str]:
    """(file name, text) of article `index`."""
    w = _Writer(world, index)
    kind = w.rng.choices([k for k, _ in KINDS], weights=[p for _, p in KINDS])[0]
    text = _extra_paragraphs(w, kind(w)) + "\n"
    digest = hashlib.sha256(f"{world.seed}:{index}".encode()).hexdigest()[:16]
    return f"{index:06d}_{digest}.txt", text


def write_corpus(docs: int, out: Path, seed: int = 42, progress: bool = True) -> list[Path]:
    """Write `docs` articles into `out` (created; stale .txt files of another size removed)."""
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(docs, seed)
    paths = []
    wanted = set()
    started = time.perf_counter()
    for i in range(docs):
        name, text = article(world, i)
        path = out / name
        wanted.add(name)
        data = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
        if progress and docs >= 1000 and (i + 1) % (docs // 10) == 0:
            print(
                f"corpus: {i + 1}/{docs} articles ({time.perf_counter() - started:.1f}s)",
                file=sys.stderr,
            )
    for stale in out.glob("*.txt"):
        if stale.name not in wanted:
            stale.unlink()
    return paths


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, required=True, help="number of articles")
    p.add_argument("--out", required=True, help="folder to write the .txt files into")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args(argv)
    if args.docs <= 0:
        p.error("--docs must be positive")
    paths = write_corpus(args.docs, Path(args.out), args.seed)
    size = sum(path.stat().st_size for path in paths)
    print(f"corpus: {len(paths)} articles, {size / 1e6:.1f} MB in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
