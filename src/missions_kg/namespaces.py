"""The project's namespaces in one place, so no module mints an IRI by hand.

``MKG`` is a closed namespace (``_fail = True``): a typo in a term raises instead of
silently creating a new IRI. schema.org is spelled ``https://schema.org/`` everywhere
(rdflib's ``SDO``); a test enforces that no ``http://schema.org/`` creeps in.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from . import iris

BASE = iris.BASE
SCHEMA = Namespace(iris.SCHEMA)
ID = Namespace(iris.ID)
GRAPH = Namespace(iris.GRAPH)
SOURCE = Namespace(iris.SOURCE)
SHAPES = Namespace(iris.SHAPES)
WD = Namespace(iris.WD)
WDT = Namespace(iris.WDT)
PROV = Namespace(iris.PROV)
SKOS = Namespace(iris.SKOS)

#: The named graph that holds the ontology and the offline schema.org slice.
GRAPH_ONTOLOGY = URIRef(iris.GRAPH_ONTOLOGY)
#: The named graph that holds what OWL RL inference adds (noise filtered out).
GRAPH_INFERRED = URIRef(iris.GRAPH_INFERRED)
#: The named graph that describes every source and ties each source graph to it (PROV-O).
GRAPH_SOURCES = URIRef(iris.GRAPH_SOURCES)
#: Triples from a user's ``--data FILE`` go to ``GRAPH_USER + <file name>`` (added by core).
GRAPH_USER = Namespace(iris.GRAPH_USER)


class MKG(DefinedNamespace):
    """Terms of the mkg: ontology (ontology/mkg.ttl); kept in step by a test."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True
    _warn = False

    # classes
    FictionalEntity: URIRef
    FictionalCharacter: URIRef
    FictionalOrganization: URIRef
    Spacecraft: URIRef
    SpaceMission: URIRef
    FictionalSpaceMission: URIRef
    PlotEvent: URIRef
    HistoricalComparison: URIRef
    Genre: URIRef
    WikidataLink: URIRef
    LinkEvidence: URIRef
    # properties
    playsCharacter: URIRef
    isVoiceRole: URIRef
    crewMember: URIRef
    crewMemberOf: URIRef
    commander: URIRef
    commanderOf: URIRef
    crewSize: URIRef
    crewNationality: URIRef
    financedBy: URIRef
    financierOf: URIRef
    launchedBy: URIRef
    spacecraft: URIRef
    landingShuttle: URIRef
    destination: URIRef
    missionCountry: URIRef
    launchYear: URIRef
    travelTime: URIRef
    timeToLandingAtNews: URIRef
    reportedProblem: URIRef
    timedFor: URIRef
    commemorates: URIRef
    birthdayMonthDay: URIRef
    basedOnRealPerson: URIRef
    depictsRealEvent: URIRef
    filmingLocation: URIRef
    originalBroadcaster: URIRef
    streamingService: URIRef
    originalLanguage: URIRef
    inspiredBy: URIRef
    soundtrackFor: URIRef
    soundtrack: URIRef
    episodeDuration: URIRef
    hasAffairWith: URIRef
    assistantOf: URIRef
    inWork: URIRef
    storyYear: URIRef
    sequence: URIRef
    involves: URIRef
    casualty: URIRef
    comparesWith: URIRef
    matchesHistory: URIRef
    # the link store (data/links.trig)
    linkTarget: URIRef
    linkStatus: URIRef
    evidence: URIRef
    matchedLabel: URIRef
    matchedDescription: URIRef
    checkedOn: URIRef
    acceptedBy: URIRef
    score: URIRef
    reason: URIRef
    targetInstanceOf: URIRef
    ambiguousWith: URIRef


#: Prefix -> namespace IRI (plain strings; defined in iris.py so the fast path can use it).
PREFIXES = dict(iris.PREFIXES)


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib Graph or Dataset (for readable output)."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
