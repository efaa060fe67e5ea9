import pytest

import nettverk as nv
from nettverk.data.codes import normalise_code


@pytest.mark.parametrize(
    "value, expected", [(301, "0301"), ("301", "0301"), (" 0301 ", "0301"), (4601.0, "4601")]
)
def test_normalise_code(value, expected):
    assert normalise_code(value) == expected


@pytest.mark.parametrize("value", ["abc", "12345", 3.5, None, ""])
def test_normalise_code_rejects_junk(value):
    with pytest.raises(ValueError, match="not a municipality code"):
        normalise_code(value)


def test_former_names_resolve_to_2024(real):
    book = real.codebook
    assert book.resolve_name("Fet", year=2007).kommunenummer == "3205"  # Lillestrøm
    assert book.resolve_name("Eid", year=2007).kommunenummer == "4649"  # Stad
    assert book.resolve_name("Re", year=2007).kommunenummer == "3905"  # Tønsberg
    assert book.resolve_name("Nes (Buskerud)", year=2007).kommunenummer == "3322"  # Nesbyen
    assert book.resolve_name("Haram", year=2013).kommunenummer == "1580"


def test_mapping_note_names_old_and_new(real):
    res = real.codebook.resolve_name("Vågsøy", year=2012)
    assert res.kommunenummer == "4602"
    assert "Vågsøy" in res.note and "Kinn" in res.note


@pytest.mark.parametrize("name", ["Nes", "Herøy", "Bø", "Våler", "Os"])
def test_ambiguous_names_refuse_to_guess(real, name):
    with pytest.raises(nv.AmbiguousMunicipalityError, match="ambiguous") as exc:
        real.codebook.resolve_name(name, year=2007)
    assert len(exc.value.candidates) >= 2
    for code in exc.value.candidates:
        assert code in str(exc.value)


def test_split_code_is_ambiguous(real):
    # 1507 (Ålesund 2020-2023) became 1508 Ålesund and 1580 Haram in 2024
    with pytest.raises(nv.AmbiguousMunicipalityError, match="1508.*1580"):
        real.codebook.resolve_code("1507")


def test_old_code_maps_with_note(real):
    res = real.codebook.resolve_code("0227")
    assert res.kommunenummer == "3205" and "0227" in res.note


def test_unknown_name_and_code(real):
    with pytest.raises(nv.UnknownMunicipalityError, match="unknown municipality name 'Atlantis'"):
        real.codebook.resolve("Atlantis")
    with pytest.raises(nv.UnknownMunicipalityError, match="unknown kommunenummer '9999'"):
        real.codebook.resolve("9999")


def test_bilingual_names(real):
    assert real.code("Røyrvik") == real.code("Raarvihke") == "5043"
    assert real.code("Kautokeino") == "5612"


@pytest.mark.parametrize("name", ["Nes", "Herøy", "Sande", "Bø", "Våler", "Os"])
def test_ambiguous_without_year(real, name):
    with pytest.raises(nv.AmbiguousMunicipalityError, match="write it with the county") as exc:
        real.codebook.resolve_name(name)
    assert len(exc.value.candidates) >= 2


def test_unambiguous_names_without_year(real):
    book = real.codebook
    assert book.resolve_name("Ålesund").kommunenummer == "1508"  # old 1504/1507 are the same place
    assert book.resolve_name("Gol").kommunenummer == "3324"
    assert book.resolve_name("Nes (Akershus)").kommunenummer == "3228"
    assert book.resolve_name("Nes (Buskerud)").kommunenummer == "3322"
    assert book.resolve_name("Nes", year=2024).kommunenummer == "3228"
    assert book.resolve_name("Fet").note.startswith("name 'Fet'")
