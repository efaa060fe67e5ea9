import pytest

import nettverk as nv
from nettverk.models.legal_forms import advise_legal_form, legal_forms


def test_table_has_every_form_and_criterion():
    t = legal_forms().set_index("form")
    assert {
        "vertskommune",
        "kommunalt_oppgavefellesskap",
        "iks",
        "as",
        "utkontraktering",
        "interkommunalt_politisk_rad",
        "samkommune",
    } <= set(t.index)
    for col in (
        "eierstyring",
        "beslutningstempo",
        "mva",
        "arbeidsgiver",
        "anskaffelser",
        "ansvar_og_lan",
        "myndighetsutovelse",
        "kilde",
    ):
        assert col in t.columns
    assert (
        "kap. 20" in t.loc["vertskommune", "lov"]
        and "kap. 18" in t.loc["interkommunalt_politisk_rad", "lov"]
    )
    assert "opphevet" in t.loc["samkommune", "lov"]
    assert "2007" in t.loc["as", "mva_merknad"]


def test_broadband_and_operations_want_own_entity_that_can_borrow():
    a = advise_legal_form(areas="bredband,drift").set_index("form")
    assert a.loc["iks", "rank"] == 1
    assert any("egen juridisk enhet" in r for r in a.loc["iks", "reasons_for"])
    assert any("lån" in r for r in a.loc["iks", "reasons_for"])
    assert any(
        "kan ikke ta opp lån" in r for r in a.loc["kommunalt_oppgavefellesskap", "reasons_against"]
    )
    assert any("konkurranse" in r for r in a.loc["as", "reasons_against"])
    assert a.loc["vertskommune", "rank"] > a.loc["iks", "rank"]


def test_public_authority_requires_host_model():
    a = advise_legal_form(areas=["helse_sosial"], needs=["myndighetsutovelse"])
    assert a.iloc[0]["form"] == "vertskommune" and a.iloc[0]["suitable"]
    assert any("§ 20-1" in r for r in a.iloc[0]["reasons_for"])
    others = a.iloc[1:]
    assert not others["suitable"].any()
    assert all(any("vertskommunemodellen" in w for w in ws) for ws in others["warnings"])


def test_unknown_area_or_need():
    with pytest.raises(nv.NettverkError, match="unknown area 'flying'"):
        advise_legal_form(areas="flying")
    with pytest.raises(
        nv.NettverkError, match="unknown need 'magic'; use one of sterk_eierstyring"
    ):
        advise_legal_form(areas="drift", needs="magic")


def test_rules_are_data_with_known_conditions_forms_and_kinds():
    from nettverk.models.legal_forms import FORMS_ADVISED, NEEDS, RULES

    conditions = {"infra", "net", "sector", "strat", "always"} | {f"need:{n}" for n in NEEDS}
    for when, forms, score, kind, text in RULES:
        assert when in conditions and set(forms) <= set(FORMS_ADVISED) and forms
        assert kind in ("for", "against", "warn", "unsuitable")
        assert kind != "warn" or score == 0
        assert (
            "(" in text or kind == "warn" or when.startswith("need:")
        )  # a source, except plain consequences
    assert {w.removeprefix("need:") for w, *_ in RULES if w.startswith("need:")} == set(NEEDS)


def test_a_need_only_a_host_municipality_meets_makes_the_others_unsuitable():
    from nettverk.models.legal_forms import advise_legal_form

    a = advise_legal_form(areas="drift,bredband", needs="myndighetsutovelse,laneopptak").set_index(
        "form"
    )
    assert a.loc["vertskommune", "suitable"] and not a.drop("vertskommune")["suitable"].any()
    assert a.loc["vertskommune", "rank"] == 1
