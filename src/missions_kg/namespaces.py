"""The mkg: terms as an rdflib namespace, and the project prefixes bound on rdflib graphs.

The IRIs themselves are plain strings in :mod:`missions_kg.iris` (importable without rdflib).
``MKG`` is a closed namespace (``_fail = True``): a typo in a term raises instead of silently
minting a new IRI; a test keeps it equal to the terms ``ontology/mkg.ttl`` defines.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from . import iris


class MKG(DefinedNamespace):
    """Terms of the mkg: ontology (ontology/mkg.ttl); kept in step by a test."""

    _NS = Namespace(iris.ONTOLOGY)
    _fail = True
    _warn = False

    # classes
    FictionalEntity: URIRef
    FictionalCharacter: URIRef
    RealPerson: URIRef
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
    creditedAs: URIRef
    departedBefore: URIRef
    overtook: URIRef
    fasterThan: URIRef
    nuclearPowered: URIRef
    multinationalCrew: URIRef
    crewAssembledBy: URIRef
    sentMessage: URIRef
    messagePurpose: URIRef
    creditsNote: URIRef
    # annotations: which properties may hold one value, which values exclude each other
    singleValued: URIRef
    excludes: URIRef
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


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib Graph or Dataset (for readable output)."""
    for prefix, iri in iris.PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
