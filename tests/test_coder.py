"""The coder on real sentences parsed by the real model."""

from __future__ import annotations

import datetime as dt

import pytest

from tidings.model import Article, Event


def code(pipeline, text: str, date: str = "2023-06-13") -> list[Event]:  # type: ignore[no-untyped-def]
    art = Article(id="t", date=dt.date.fromisoformat(date), text=text)
    (res,) = list(pipeline.process([art]))
    return res.events


def triples(events: list[Event]) -> set[tuple[str | None, str, str | None]]:
    return {(e.source.code, e.plover.type, e.target.code if e.target else None) for e in events}


def test_coder_guide_example(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Kenya's foreign minister Alfred Mutua met his Somali counterpart in Nairobi on "
            "Monday to discuss reopening the border, the ministry said. Somalia accused "
            "al-Shabaab of attacking a Kenyan police post near Mandera last week, killing three "
            "officers.")
    evs = code(pipeline, text)
    t = triples(evs)
    assert ("KENGOV", "CONSULT", "SOMGOV") in t
    assert ("SOMGOV", "ACCUSE", "SOMREB") in t
    assert ("SOMREB", "ASSAULT", "KENCOP") in t
    consult = next(e for e in evs if e.plover.type == "CONSULT")
    assert consult.cameo.root == "04"
    assert consult.trigger.text.startswith("met")
    assert text[consult.trigger.start:consult.trigger.end] == consult.trigger.text
    assert consult.sentence.index == 0
    assert consult.explanation["verb"]["entry"].startswith("CAMEO.2.0.txt:")


def test_guide_example_quote_is_mutuas_and_the_militants_are_al_shabaab(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    # hard-wrapped like a text file: the quote runs over a line break
    text = ("Kenya's foreign minister Alfred Mutua met his Somali counterpart in Nairobi on Monday "
            "to discuss\nreopening the border, the ministry said. Somalia accused al-Shabaab of "
            "attacking a Kenyan police post near\nMandera last week, killing three officers. \"We "
            "will not allow the militants to dictate our\nrelations,\" Mutua told reporters.\n")
    art = Article(id="t", date=dt.date(2023, 6, 13), text=text)
    (res,) = list(pipeline.process([art]))
    (quote,) = res.quotes
    assert text[quote.start:quote.end] == ("We will not allow the militants to dictate our\n"
                                           "relations")
    assert quote.speaker is not None and quote.speaker.code == "KENGOV"
    allow = next(e for e in res.events if e.trigger.text == "allow")
    assert allow.source.code == "KENGOV"
    # "the militants" are the armed group named earlier, not the Kenyan police post named last
    assert allow.target is not None and allow.target.code == "SOMREB"


@pytest.mark.parametrize(("text", "expected"), [
    ("Iran threatened to attack Israel.", ("IRNGOV", "THREATEN", "ISRGOV")),
    ("The United States imposed sanctions on Iran.", ("USAGOV", "SANCTION", "IRNGOV")),
    ("Somali police arrested two journalists in Mogadishu.", ("SOMCOP", "COERCE", "SOMMED")),
    ("Pakistan called on India to withdraw its troops.", ("PAKGOV", "REQUEST", "INDGOV")),
    ("Senior US officials met with Chinese diplomats in Geneva.", ("USAGOV", "CONSULT", "CHNGOV")),
])
def test_coder_patterns(pipeline, text: str, expected: tuple) -> None:  # type: ignore[no-untyped-def, type-arg]
    assert expected in triples(code(pipeline, text))


def test_coder_state_as_government_is_optional(pipeline) -> None:  # type: ignore[no-untyped-def]
    from tidings.coding.actors import ActorCoder

    doc = pipeline.nlp("Somalia accused Kenya.")
    kb = pipeline.coder.knowledge.actors
    assert ActorCoder(kb).code_head(doc[0], None).code == "SOMGOV"
    assert ActorCoder(kb, country_as_government=False).code_head(doc[0], None).code == "SOM"


def test_coder_compound_actors_give_one_event_each(pipeline) -> None:  # type: ignore[no-untyped-def]
    evs = code(pipeline, "France and Germany condemned Russia.")
    assert {("FRAGOV", "ACCUSE", "RUSGOV"), ("DEUGOV", "ACCUSE", "RUSGOV")} <= triples(evs)


def test_coder_modality(pipeline) -> None:  # type: ignore[no-untyped-def]
    def mod(text: str) -> str:
        evs = code(pipeline, text)
        assert evs, text
        return evs[0].modality

    assert mod("Israel attacked Hamas.") == "asserted"
    assert mod("Israel did not attack Hamas.") == "negated"
    assert mod("Kenya will meet Somalia on Saturday.") == "future"
    assert mod("If Iran attacks Israel, the United States could retaliate.") == "hypothetical"
    ev = code(pipeline, "Witnesses said Taliban fighters beat journalists.", date="2021-08-20")
    assert ev and ev[0].modality == "reported"


def test_coder_date_aware_actors(pipeline) -> None:  # type: ignore[no-untyped-def]
    before = triples(code(pipeline, "The Taliban attacked Pakistan.", date="2015-06-01"))
    after = triples(code(pipeline, "The Taliban attacked Pakistan.", date="2022-06-01"))
    assert ("AFGREB", "ASSAULT", "PAKGOV") in before
    assert ("AFGGOV", "ASSAULT", "PAKGOV") in after


def test_coder_pronoun_resolves_to_earlier_actor(pipeline) -> None:  # type: ignore[no-untyped-def]
    evs = code(pipeline, "The Kenyan government condemned the attack. It accused Somalia of "
                         "harbouring militants.")
    assert any(e.source.code == "KENGOV" and e.plover.type == "ACCUSE"
               and e.target and e.target.code and e.target.code.startswith("SOM") for e in evs)


def test_coder_event_ids_stable(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = [e.event_id for e in code(pipeline, "Iran threatened to attack Israel.")]
    b = [e.event_id for e in code(pipeline, "Iran threatened to attack Israel.")]
    assert a == b and len(set(a)) == len(a)


def test_a_target_country_is_not_the_events_location(pipeline) -> None:  # type: ignore[no-untyped-def]
    (accuse,) = [e for e in code(pipeline, "Amnesty International accused the United States of "
                                           "violating human rights.")
                 if e.plover.type == "ACCUSE"]
    assert accuse.target is not None and accuse.target.country == "USA"
    assert accuse.location is None
    (protest,) = [e for e in code(pipeline, "Up to 100 people demonstrated on Tuesday in Serbia.")
                  if e.plover.type == "PROTEST"]
    assert protest.location is not None and protest.location.text == "Serbia"
