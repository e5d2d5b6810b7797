"""Write a synthetic missions-kg project of about N asserted quads (seeded, deterministic).

    python bench/synth.py N DIR [--seed S] [--from ROOT]

DIR gets copies of ROOT's ontology/, shapes/ and queries/ (ROOT defaults to this checkout)
and a data/ folder shaped like ours (data/README.md): series -> seasons -> episodes, people,
fictional characters, performance roles (actor, character, characterName), crews and
directors, plot events, fictional missions, press reviews and a link store, with one named
graph per source file and each source described (PROV-O) in ``mkgg:sources``. Every source
is self-contained (it types and names what it mentions), so the data conforms to
shapes/*.ttl and queries/checks/ at any size; sources disagree where ours do (episode
counts, durations, spellings kept as ``schema:alternateName``).

N counts the distinct quads of data/*.trig (the ontology graph is not included); the
result is within a source's size (~200 quads) of N. Same N and seed, same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COPIED = ("ontology", "shapes", "queries")
PREFIXES = """PREFIX schema: <https://schema.org/>
PREFIX mkg: <https://w3id.org/missions-kg/ontology#>
PREFIX mkgid: <https://w3id.org/missions-kg/id/>
PREFIX mkgg: <https://w3id.org/missions-kg/graph/>
PREFIX src: <https://w3id.org/missions-kg/source/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
LINK_SHARE = 0.03  # of N, written last into data/links.trig

FIRST = ("Hélène Clément Mathias Jean Giorgia Côme Adrianna Christophe Arben Tiphaine Yasmin "
         "David Nicolas Franka Élodie Julien Ami Henri Étienne Laure Anaïs Mehdi Sofia Lukas "
         "Marta Pierre Inès Bruno Chloé Karim Léa Matteo Nina Oskar Rachel Samuel Yann Zoé "
         "Jürgen Amélie").split()
LAST = ("Vivies Aubert Mlekuz Bernard Sinicorni Levin Gradziel Vandevelde Bajraktaraj Daviot "
        "Bau Clark Traino Koareau Lacombe Cohen Debeurme Forget Moreau Durand Lefèvre Rossi "
        "Müller Schmidt Garnier Faure Roux Blanc Girard Bonnet Lambert Fontaine Chevalier Weber "
        "Keller Novak Petit Marchand Renard Dubois").split()
CHAR_FIRST = ("Jeanne Simon William Alessandra Basile Eva Martin Irène Vladimir Ulysse Thomas "
              "Mara Oleg Sasha Nadia Victor Lina Hugo Alma Ivan Clara Elias Vera Noé").split()
CHAR_LAST = ("Renoir Gramat Meyer Bellocq Najac Verhoeven Komarov Halden Sorel Vance Ibarra "
             "Kessler Orlov Marin Aubry Strand Ferreira Lund Castel Arendt").split()
WORDS = [("Le Retour", "The Return", "Die Rückkehr"), ("Le Signal", "The Signal", "Das Signal"),
         ("La Tempête", "The Storm", "Der Sturm"), ("L'Épave", "The Wreck", "Das Wrack"),
         ("Le Silence", "The Silence", "Die Stille"), ("La Grotte", "The Cave", "Die Höhle"),
         ("Le Départ", "The Departure", "Der Aufbruch"),
         ("La Relève", "The Relief", "Die Ablösung"),
         ("Les Traces", "The Tracks", "Die Spuren"), ("Le Choix", "The Choice", "Die Wahl"),
         ("L'Orbite", "The Orbit", "Der Orbit"), ("La Base", "The Base", "Die Basis"),
         ("Le Message", "The Message", "Die Botschaft"), ("L'Aube", "Dawn", "Die Dämmerung"),
         ("Le Cratère", "The Crater", "Der Krater"), ("La Chute", "The Fall", "Der Sturz")]
SERIES_WORDS = ("Missions Horizon Odyssée Exil Zénith Ares Nova Orbite Périhélie Argos Ulysse "
                "Hélios Tharsis Olympus Phobos Deimos").split()
LANGS = ("fr", "en", "de")
COUNTRIES = {"france": ("France", "France", "Frankreich"), "germany": ("Germany", "Allemagne",
             "Deutschland"), "belgium": ("Belgium", "Belgique", "Belgien"),
             "italy": ("Italy", "Italie", "Italien"), "usa": ("United States", "États-Unis",
             "Vereinigte Staaten"), "russia": ("Russia", "Russie", "Russland"),
             "switzerland": ("Switzerland", "Suisse", "Schweiz")}
LANGUAGES = {"french": ("French", "français", "Französisch"),
             "english": ("English", "anglais", "Englisch"),
             "german": ("German", "allemand", "Deutsch")}
OCCUPATIONS = {"actor": ("actor", "acteur", "Schauspieler"),
               "director": ("film director", "réalisateur", "Regisseur"),
               "screenwriter": ("screenwriter", "scénariste", "Drehbuchautor"),
               "composer": ("composer", "compositeur", "Komponist"),
               "cosmonaut": ("cosmonaut", "cosmonaute", "Kosmonaut"),
               "journalist": ("journalist", "journaliste", "Journalist")}
GENRES = {"science-fiction": ("science fiction", "science-fiction", "Science-Fiction"),
          "drama": ("drama", "drame", "Drama"), "thriller": ("thriller", "thriller", "Thriller"),
          "mystery": ("mystery", "mystère", "Mystery")}


# -- writing -------------------------------------------------------------------------------------

def lit(text: str, lang: str | None = None) -> str:
    body = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{body}@{lang}" if lang else body


def typed(value, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


class Block:
    """One GRAPH block: subjects in first-seen order, each with its distinct (p, o) pairs."""

    def __init__(self, graph: str):
        self.graph = graph
        self.subjects: dict[str, dict[tuple[str, str], None]] = {}

    def add(self, s: str, p: str, *objects: str) -> None:
        pairs = self.subjects.setdefault(s, {})
        for o in objects:
            pairs[(p, o)] = None

    def __len__(self) -> int:
        return sum(len(pairs) for pairs in self.subjects.values())

    def text(self) -> str:
        out = [f"GRAPH {self.graph} {{"]
        for s, pairs in self.subjects.items():
            by_p: dict[str, list[str]] = {}
            for p, o in pairs:
                by_p.setdefault(p, []).append(o)
            out.append(f"  {s} " + " ;\n      ".join(
                f"{p} {', '.join(o)}" if len(o) < 4 else f"{p}\n          " +
                ",\n          ".join(o) for p, o in by_p.items()) + " .")
        return "\n".join(out) + "\n}\n"


# -- the world -----------------------------------------------------------------------------------

@dataclass
class Person:
    iri: str
    name: str
    birth: str | None
    nationality: str
    occupation: str
    death: str | None = None


@dataclass
class Character:
    iri: str
    name: str
    based_on: Person | None = None


@dataclass
class Series:
    k: int
    slug: str
    title: str
    start: int
    seasons: list[int]  # episodes per season
    cast: list[tuple[Character, Person]]
    creators: list[Person]
    directors: list[Person]
    composer: Person
    company: str
    genres: list[str]
    titles: dict[tuple[int, int], int] = field(default_factory=dict)  # (s, e) -> WORDS index

    def season(self, s: int) -> str:
        return f"mkgid:{self.slug}-s{s}"

    def episode(self, s: int, e: int) -> str:
        return f"mkgid:{self.slug}-s{s}e{e}"


class World:
    """People, characters and series, drawn from one seeded generator per series."""

    def __init__(self, seed: int):
        self.seed = seed
        self.people: dict[str, Person] = {}
        self.actors: list[Person] = []
        self.historical: list[Person] = []
        rng = random.Random(f"{seed}-history")
        for _ in range(12):  # real people some characters are based on
            year = rng.randint(1900, 1940)
            birth = f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            self.historical.append(self.person(rng, "cosmonaut", birth=birth,
                                               death=str(year + rng.randint(30, 70))))

    def person(self, rng: random.Random, occupation: str, birth=None, death=None) -> Person:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        slug, n = slugify(name), 2
        while slug in self.people:
            slug, n = f"{slugify(name)}-{n}", n + 1
        if birth is None and rng.random() < 0.6:
            birth = f"{rng.randint(1950, 1999)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        person = Person(f"mkgid:{slug}", name, birth, rng.choice(list(COUNTRIES)[:5]),
                        occupation, death)
        self.people[slug] = person
        return person

    def series(self, k: int) -> Series:
        rng = random.Random(f"{self.seed}-series-{k}")
        title = f"{rng.choice(SERIES_WORDS)} {k + 1}" if k else "Missions"
        slug = slugify(title)
        cast, known = [], list(self.actors)  # 30% of a cast played in earlier series
        for i in range(rng.randint(10, 16)):
            char = Character(f"mkgid:character-{slug}-{i}",
                             f"{rng.choice(CHAR_FIRST)} {rng.choice(CHAR_LAST)}")
            if rng.random() < 0.1:
                char.based_on = rng.choice(self.historical)
            if known and rng.random() < 0.3:
                actor = known.pop(rng.randrange(len(known)))
            else:
                actor = self.person(rng, "actor")
                self.actors.append(actor)
            cast.append((char, actor))
        series = Series(
            k, slug, title, rng.randint(2010, 2024), [rng.randint(6, 10) for _ in
                                                     range(rng.randint(2, 4))],
            cast, [self.person(rng, "screenwriter") for _ in range(rng.randint(1, 3))],
            [self.person(rng, "director") for _ in range(rng.randint(2, 4))],
            self.person(rng, "composer"), f"mkgid:{slug}-productions",
            rng.sample(list(GENRES), rng.randint(1, 2)))
        for s, count in enumerate(series.seasons, 1):
            for e in range(1, count + 1):
                series.titles[(s, e)] = rng.randrange(len(WORDS))
        return series


# -- sources ---------------------------------------------------------------------------------------

class Source:
    """One data file: its graph, and its description in mkgg:sources."""

    def __init__(self, number: int, slug: str, lang: str, rng: random.Random, publishers: int):
        self.name = f"ref-{number:05d}-{slug}"
        self.number, self.lang, self.rng = number, lang, rng
        self.graph = Block(f"mkgg:{self.name}")
        self.sources = Block("mkgg:sources")
        self.publisher = f"mkgid:publisher-{rng.randrange(publishers)}"

    def describe(self, title: str, about: str, kind: str = "schema:WebPage") -> None:
        src, rng = f"src:{self.name}", self.rng
        self.sources.add(src, "a", kind)
        self.sources.add(src, "schema:name", lit(title, "en"))
        self.sources.add(src, "schema:publisher", self.publisher)
        self.sources.add(src, "schema:inLanguage", lit(self.lang))
        self.sources.add(src, "schema:datePublished",
                         typed(f"{rng.randint(2017, 2024)}-{rng.randint(1, 12):02d}-"
                               f"{rng.randint(1, 28):02d}", "date"))
        self.sources.add(src, "schema:url", f"<https://example.org/synth/{self.name}>")
        self.sources.add(src, "schema:about", about)
        g = f"mkgg:{self.name}"
        self.sources.add(g, "a", "prov:Entity, schema:Dataset")
        self.sources.add(g, "schema:name", lit(f"What {title} says", "en"))
        self.sources.add(g, "prov:wasDerivedFrom", src)
        self.sources.add(g, "prov:hadPrimarySource", src)

    def __len__(self) -> int:
        return len(self.graph) + len(self.sources)

    def text(self) -> str:
        return (f"# Synthetic source {self.number} (bench/synth.py): not a real page.\n\n"
                f"{PREFIXES}\n{self.graph.text()}\n{self.sources.text()}")

    # -- what a source says about the things it mentions --

    def person(self, p: Person, details: bool = False) -> None:
        g, rng = self.graph, self.rng
        g.add(p.iri, "a", "schema:Person")
        if rng.random() < 0.08:  # a misspelt or truncated credit: kept as an alternate name
            g.add(p.iri, "schema:alternateName",
                  lit(p.name[:-3] + "…" if rng.random() < 0.5 else p.name.lower()))
        else:
            g.add(p.iri, "schema:name", lit(p.name))
        if details or rng.random() < 0.2:
            g.add(p.iri, "schema:hasOccupation", f"mkgid:occupation-{p.occupation}")
            g.add(p.iri, "schema:nationality", f"mkgid:{p.nationality}")
            if p.birth:
                g.add(p.iri, "schema:birthDate", typed(p.birth, "date"))
            if p.death:
                g.add(p.iri, "schema:deathDate", typed(p.death, "gYear"))

    def character(self, c: Character) -> None:
        self.graph.add(c.iri, "a", "mkg:FictionalCharacter")
        self.graph.add(c.iri, "schema:name", lit(c.name))

    def series(self, s: Series) -> None:
        self.graph.add(f"mkgid:{s.slug}", "a", "schema:TVSeries")
        self.graph.add(f"mkgid:{s.slug}", "schema:name", lit(s.title))

    def season(self, s: Series, n: int) -> None:
        g, iri = self.graph, s.season(n)
        word = {"fr": "Saison", "en": "Season", "de": "Staffel"}[self.lang]
        g.add(iri, "a", "schema:TVSeason")
        g.add(iri, "schema:name", lit(f"{s.title} — {word} {n}", self.lang))
        g.add(iri, "schema:seasonNumber", str(n))
        g.add(iri, "schema:partOfSeries", f"mkgid:{s.slug}")
        self.series(s)

    def episode(self, s: Series, n: int, e: int) -> str:
        g, iri = self.graph, s.episode(n, e)
        g.add(iri, "a", "schema:TVEpisode")
        g.add(iri, "schema:name", lit(WORDS[s.titles[(n, e)]][LANGS.index(self.lang)], self.lang))
        g.add(iri, "schema:episodeNumber", str(e))
        g.add(iri, "schema:partOfSeason", s.season(n))
        g.add(iri, "schema:partOfSeries", f"mkgid:{s.slug}")
        minutes = 26 if self.rng.random() < 0.85 else self.rng.choice((25, 27, 52))
        g.add(iri, "schema:duration", typed(f"PT{minutes}M", "duration"))
        self.season(s, n)
        return iri

    def role(self, work: str, char: Character, actor: Person) -> None:
        g, rng = self.graph, self.rng
        role = f"mkgid:role-{self.number:05d}-{actor.iri[6:]}-{char.iri.rsplit('-', 1)[1]}"
        g.add(work, "schema:actor", role)
        g.add(work, "schema:character", char.iri)
        g.add(role, "a", "schema:PerformanceRole")
        g.add(role, "schema:actor", actor.iri)
        g.add(role, "schema:characterName",
              lit(char.name.split()[0] if rng.random() < 0.1 else char.name))
        g.add(role, "mkg:playsCharacter", char.iri)
        if rng.random() < 0.05:
            g.add(role, "mkg:isVoiceRole", "true")
        self.person(actor)
        self.character(char)


def series_page(src: Source, s: Series) -> None:
    g, rng, iri = src.graph, src.rng, f"mkgid:{s.slug}"
    src.describe(f"a page on {s.title}", iri)
    src.series(s)
    g.add(iri, "schema:description", lit({
        "fr": f"{s.title} est une série de science-fiction en {len(s.seasons)} saisons.",
        "en": f"{s.title} is a science-fiction series in {len(s.seasons)} seasons.",
        "de": f"{s.title} ist eine Science-Fiction-Serie in {len(s.seasons)} Staffeln."}
        [src.lang], src.lang))
    g.add(iri, "schema:numberOfSeasons", str(len(s.seasons)))
    g.add(iri, "schema:startDate", typed(f"{s.start}-06-{10 + s.k % 18}", "date"))
    g.add(iri, "schema:countryOfOrigin", "mkgid:france")
    g.add(iri, "schema:genre", *(f"mkgid:genre-{x}" for x in s.genres))
    g.add(iri, "schema:productionCompany", s.company)
    g.add(iri, "mkg:originalBroadcaster", f"mkgid:broadcaster-{s.k % 5}")
    g.add(iri, "mkg:originalLanguage", "mkgid:french")
    g.add(s.company, "a", "schema:Organization")
    g.add(s.company, "schema:name", lit(f"{s.title} Productions"))
    for p in s.creators:
        g.add(iri, "schema:creator", p.iri)
        src.person(p, details=True)
    for n, count in enumerate(s.seasons, 1):
        src.season(s, n)
        g.add(s.season(n), "schema:numberOfEpisodes", str(count))
        g.add(s.season(n), "mkg:episodeDuration", typed("PT26M", "duration"))
    for char, actor in s.cast:
        src.role(iri, char, actor)
        src.person(actor, details=True)
        if char.based_on:
            g.add(char.iri, "mkg:basedOnRealPerson", char.based_on.iri)
            src.person(char.based_on, details=True)
    mission, ship = f"{iri}-mission", f"{iri}-ship"
    crew = [c for c, _ in s.cast[:rng.randint(4, 7)]]
    g.add(mission, "a", "mkg:FictionalSpaceMission")
    g.add(mission, "schema:name", lit(f"{s.title} mission", "en"))
    g.add(mission, "mkg:crewMember", *(c.iri for c in crew))
    g.add(mission, "mkg:commander", crew[0].iri)
    g.add(mission, "mkg:crewSize", str(len(crew)))
    g.add(mission, "mkg:spacecraft", ship)
    g.add(mission, "mkg:destination", "mkgid:mars")
    g.add(mission, "mkg:launchYear", typed(s.start + 20, "gYear"))
    g.add(mission, "mkg:travelTime", typed("P10M", "duration") if src.lang != "de"
          else lit("fast ein Jahr", "de"))
    g.add(ship, "a", "mkg:Spacecraft")
    g.add(ship, "schema:name", lit(rng.choice(SERIES_WORDS)))
    g.add("mkgid:mars", "a", "schema:Place")
    g.add("mkgid:mars", "schema:name", lit("Mars"))


def season_review(src: Source, s: Series, n: int) -> None:
    g, rng, season = src.graph, src.rng, s.season(n)
    src.describe(f"a review of season {n} of {s.title}", season, "schema:Article")
    src.season(s, n)
    claimed = s.seasons[n - 1] if rng.random() < 0.8 else s.seasons[n - 1] + rng.choice((-1, 2))
    claimed = max(claimed, 1)
    g.add(season, "schema:numberOfEpisodes", str(claimed))
    # a review that counts fewer episodes than the season has lists only those (a source
    # numbering an episode above its own count contradicts itself: the episode-count check)
    for e in range(1, min(claimed, s.seasons[n - 1]) + 1):
        episode = src.episode(s, n, e)
        director = s.directors[(e - 1) % len(s.directors)]
        g.add(episode, "schema:director", director.iri)
        src.person(director)
    review = f"mkgid:review-{src.number:05d}"
    g.add(season, "schema:review", review)
    g.add(review, "a", "schema:Review")
    g.add(review, "schema:name", lit(f"Review of {s.title}, {n}", "en"))
    g.add(review, "schema:reviewBody", lit({"fr": "Une saison haletante.", "en": "A gripping "
          "season.", "de": "Eine packende Staffel."}[src.lang], src.lang))
    g.add(review, "schema:author", src.publisher)


def episode_guide(src: Source, s: Series, n: int, e: int) -> None:
    g, rng = src.graph, src.rng
    episode = src.episode(s, n, e)
    src.describe(f"a guide to {s.title} {n}x{e:02d}", episode)
    director = s.directors[(e - 1) % len(s.directors)]
    writer = s.creators[e % len(s.creators)]
    for prop, person in (("schema:director", director), ("schema:author", writer),
                         ("schema:musicBy", s.composer)):
        g.add(episode, prop, person.iri)
        src.person(person)
    cast = s.cast[:rng.randint(6, len(s.cast))]
    for char, actor in cast:
        src.role(episode, char, actor)
    for i in range(1, rng.randint(2, 4) + 1):
        event = f"mkgid:event-{src.number:05d}-{i}"
        g.add(event, "a", "mkg:PlotEvent")
        g.add(event, "schema:name", lit(f"{WORDS[rng.randrange(len(WORDS))][1]} ({i})", "en"))
        g.add(event, "mkg:inWork", episode)
        g.add(event, "mkg:sequence", str(i))
        g.add(event, "mkg:storyYear", typed(s.start + 20 + n, "gYear"))
        g.add(event, "mkg:involves", rng.choice(cast)[0].iri)


# -- the shared files ------------------------------------------------------------------------------

def curation(publishers: int) -> tuple[Block, Block]:
    g, srcs = Block("mkgg:curation"), Block("mkgg:sources")
    for table, cls, prefix in ((COUNTRIES, "schema:Country", ""), (LANGUAGES, "schema:Language",
                               ""), (OCCUPATIONS, "schema:Occupation", "occupation-"),
                               (GENRES, "mkg:Genre", "genre-")):
        for slug, names in table.items():
            g.add(f"mkgid:{prefix}{slug}", "a", cls)
            g.add(f"mkgid:{prefix}{slug}", "schema:name",
                  *(lit(name, lang) for name, lang in zip(names, ("en", "fr", "de"),
                                                           strict=True)))
    for i in range(5):
        g.add(f"mkgid:broadcaster-{i}", "a", "schema:Organization")
        g.add(f"mkgid:broadcaster-{i}", "schema:name", lit(f"Broadcaster {i}"))
    for i in range(publishers):
        srcs.add(f"mkgid:publisher-{i}", "a", "schema:Organization")
        srcs.add(f"mkgid:publisher-{i}", "schema:name", lit(f"Publisher {i}"))
    srcs.add("src:synth-curation", "a", "schema:CreativeWork")
    srcs.add("src:synth-curation", "schema:name", lit("Synthetic vocabulary labels", "en"))
    srcs.add("src:synth-curation", "schema:inLanguage", lit("en"))
    srcs.add("mkgg:curation", "a", "prov:Entity, schema:Dataset")
    srcs.add("mkgg:curation", "schema:name", lit("Labels in en, fr and de", "en"))
    srcs.add("mkgg:curation", "prov:wasDerivedFrom", "src:synth-curation")
    srcs.add("mkgg:curation", "prov:hadPrimarySource", "src:synth-curation")
    return g, srcs


def links(mentioned: list[Person], budget: int, rng: random.Random) -> tuple[Block, Block]:
    g, srcs = Block("mkgg:links"), Block("mkgg:sources")
    note = "src:synth-link-note"
    srcs.add(note, "a", "schema:Report")
    srcs.add(note, "schema:name", lit("Synthetic link evidence", "en"))
    srcs.add(note, "schema:inLanguage", lit("en"))
    srcs.add("mkgg:links", "a", "prov:Entity, schema:Dataset")
    srcs.add("mkgg:links", "schema:name", lit("Links to Wikidata items", "en"))
    srcs.add("mkgg:links", "prov:wasDerivedFrom", note)
    srcs.add("mkgg:links", "prov:hadPrimarySource", note)
    for i, person in enumerate(rng.sample(mentioned, len(mentioned))):
        if len(g) + len(srcs) >= budget:
            break
        qid, status = f"wd:Q{7_000_000 + i}", rng.choice(("verified",) * 6 + ("candidate",
                                                                               "rejected"))
        record, evidence = f"mkgid:link-{person.iri[6:]}", f"mkgid:link-{person.iri[6:]}-ev"
        if status == "verified":
            g.add(person.iri, "schema:sameAs", qid)
        g.add(record, "a", "mkg:WikidataLink")
        g.add(record, "schema:name", lit(f"Wikidata link: {person.name} = {qid[3:]}", "en"))
        g.add(record, "schema:about", person.iri)
        g.add(record, "mkg:linkTarget", qid)
        g.add(record, "mkg:linkStatus", lit(status))
        if status == "candidate":
            g.add(record, "mkg:score", typed(f"0.{rng.randint(50, 95)}", "decimal"))
            g.add(record, "mkg:reason", lit("label matches", "en"))
        else:
            g.add(record, "mkg:acceptedBy", lit("missions-kg reconcile"))
        g.add(record, "mkg:evidence", evidence)
        g.add(evidence, "a", "mkg:LinkEvidence", "schema:Claim")
        g.add(evidence, "schema:name", lit(f"Evidence for {person.name} = {qid[3:]}", "en"))
        g.add(evidence, "schema:about", person.iri)
        g.add(evidence, "schema:isBasedOn", note)
        g.add(evidence, "mkg:matchedLabel", lit(person.name))
    return g, srcs


# -- the project -----------------------------------------------------------------------------------

def generate(n: int, out: Path, seed: int = 14, root: Path = REPO) -> dict:
    """Write the project into ``out`` (refuses a non-synthetic folder); return its manifest."""
    manifest_path = out / "synth.json"
    if out.exists() and any(out.iterdir()) and not manifest_path.exists():
        raise SystemExit(f"synth: {out} is not empty and not a synthetic project; refusing")
    for folder in COPIED:
        shutil.rmtree(out / folder, ignore_errors=True)
        shutil.copytree(root / folder, out / folder,
                        ignore=shutil.ignore_patterns(".cache", "__pycache__"))
    data = out / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    world, publishers = World(seed), 12 + n // 50_000
    g, srcs = curation(publishers)
    (data / "curation.trig").write_text(
        f"# Synthetic vocabulary (bench/synth.py).\n\n{PREFIXES}\n{g.text()}\n{srcs.text()}",
        encoding="utf-8")
    total, files, number = len(g) + len(srcs), 1, 0
    mentioned: dict[str, Person] = {}
    target = n * (1 - LINK_SHARE) if n >= 1000 else n
    k = 0
    while total < target:
        s = world.series(k)
        jobs = [(series_page, ())] + [(season_review, (i,)) for i in range(1, len(s.seasons) + 1)]
        for season, count in enumerate(s.seasons, 1):
            for e in range(1, count + 1):
                guides = 1 + (random.Random(f"{seed}-{k}-{season}-{e}").random() < 0.5)
                jobs += [(episode_guide, (season, e))] * guides
        for job, args in jobs:
            if total >= target:
                break
            rng = random.Random(f"{seed}-source-{number}")
            src = Source(number, f"{s.slug}-{job.__name__.replace('_', '-')}", rng.choice(LANGS),
                         rng, publishers)
            job(src, s, *args)
            (data / f"{src.name}.trig").write_text(src.text(), encoding="utf-8")
            for iri in src.graph.subjects:
                person = world.people.get(iri[6:]) if iri.startswith("mkgid:") else None
                if person is not None:
                    mentioned.setdefault(iri, person)
            total, files, number = total + len(src), files + 1, number + 1
        k += 1
    if n >= 1000:
        g, srcs = links(list(mentioned.values()), n - total, random.Random(f"{seed}-links"))
        (data / "links.trig").write_text(
            f"# Synthetic link store (bench/synth.py).\n\n{PREFIXES}\n{g.text()}\n{srcs.text()}",
            encoding="utf-8")
        total, files = total + len(g) + len(srcs), files + 1
    (data / "README.md").write_text(
        f"# Synthetic data (bench/synth.py {n} --seed {seed})\n\nNot real facts: a project "
        "shaped like missions-kg's, for benchmarks. One named graph per source file, each "
        "described in mkgg:sources.\n", encoding="utf-8")
    manifest = {"n": n, "seed": seed, "quads": total, "files": files, "series": k,
                "generator": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]}
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="about how many asserted quads data/ holds")
    parser.add_argument("dir", type=Path, help="the project folder to write")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--from", dest="root", type=Path, default=REPO,
                        help="copy ontology/, shapes/ and queries/ from this project root")
    args = parser.parse_args(argv)
    if args.n < 100:
        parser.error("N must be at least 100")
    manifest = generate(args.n, args.dir, seed=args.seed, root=args.root)
    print(f"{manifest['quads']} quads in {manifest['files']} files "
          f"({manifest['series']} series) -> {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
