from nettverk.analyses.overview import INCOMPLETE_NOTE, overview


def test_overview_lists_every_municipality(real):
    o = overview(real)
    kom = o["kommuner"]
    assert len(kom) == 357 and kom["kommunenummer"].is_unique
    gol = kom.set_index("kommunenummer").loc["3324"]
    assert "hallingdal-ikt" in gol["samarbeid"] and gol["har_drift"]
    assert o["kommuner"].attrs["note"] == INCOMPLETE_NOTE


def test_gaps_and_coverage(real):
    o = overview(real)
    gaps = o["mangler"]
    no_drift = set(o["kommuner"].loc[~o["kommuner"]["har_drift"], "kommunenummer"])
    listed = set(gaps.loc[gaps["omrade"].str.contains("drift"), "kommunenummer"]) - {""}
    assert no_drift == listed
    cov = o["fylker_omrader"]
    agder = cov[(cov["fylkesnavn"] == "Agder") & (cov["omrade"] == "drift")].iloc[0]
    assert agder["dekket"] == 14  # IKT Agder's operations members


def test_hubs_and_overlaps(real):
    o = overview(real)
    assert o["knutepunkter"]["knutepunkt_poeng"].is_monotonic_decreasing
    ov = o["overlapp"]
    pair = ov[
        (ov["samarbeid_a"] == "hallingdal-ikt") & (ov["samarbeid_b"] == "regionradet-hallingdal")
    ]
    assert pair.iloc[0]["felles_medlemmer"] == 6


def test_broadband_coverage_per_county_with_year(real):
    from nettverk.data.broadband import coverage

    c = coverage(real)
    assert len(c) == 15 and c["andel_prosent"].between(0, 100).all()
    assert (c["aar"] == 2020).all() and c.loc["Innlandet", "andel_prosent"] < c.loc[
        "Oslo", "andel_prosent"
    ]
    assert c.loc["Troms", "merknad"].startswith("målt for Troms og Finnmark")
