"""The entries of the column dictionary (:mod:`nettverk.data.columns`): one per result column."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Column", "COLUMNS"]


@dataclass(frozen=True)
class Column:
    """One column: the bokmål label, what it means, its unit, its basis and how to show it."""

    label: str
    meaning: str
    unit: str = ""
    basis: str = "F"
    kind: str = "text"


_C = Column
COLUMNS: dict[str, Column] = {
    # summary sheets
    "Felt": _C("Felt", "hva tallet gjelder", "", "F"),
    "Verdi": _C("Verdi", "tallet eller teksten (kr i hele kroner)", "", "D"),
    # sensitivity
    "scenario": _C("Tilfelle", "hvilke enhetskostnader som er endret (lav/høy) mot basis", "", "S"),
    "parameter": _C("Parameter", "kostnadsparameteren som er endret", "", "F"),
    "level": _C("Nivå (lav/høy)", "lav, basis eller høy verdi", "", "F"),
    "value": _C("Verdi", "parameterens verdi (i tilfellet)", "", "S", "float"),
    "low": _C("Lav", "nedre ende av spennet", "", "S", "float"),
    "high": _C("Høy", "øvre ende av spennet", "", "S", "float"),
    "unit": _C("Enhet", "enheten til verdien", "", "F"),
    "basis": _C("Grunnlag", "S kildebelagt, D utledet, A antakelse", "", "F"),
    "dig_shared_nok": _C(
        "Felles nett (MNOK engang)",
        "engangskostnaden for å grave det felles nettet",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "saving_share": _C(
        "Besparelse (andel)", "besparelse som andel av hver for seg", "%", "D", "share"
    ),
    "source": _C(
        "Kilde", "kilden til verdiene (shared/data/bredband/enhetskostnader.csv)", "", "S"
    ),
    # broadband
    "fylkesnavn": _C("Fylke", "fylket (2024)", "", "F"),
    "andel_prosent": _C(
        "Dekning (%)",
        "andel husstander med tilbudet (Nkom Dekningsundersøkelsen)",
        "%",
        "S",
        "float",
    ),
    "aar": _C("År", "året dekningen ble målt", "", "S"),
    "maal": _C("Mål", "hastighet eller teknologi som er målt", "", "S"),
    "merknad": _C("Merknad", "f.eks. at verdien er målt for det sammenslåtte fylket", "", "F"),
    "kilde": _C(
        "Kilde",
        "kilden til tallet; i kartleggingen: egne tall eller modell (til kommunen fyller inn)",
        "",
        "S",
    ),
    # identity
    "rank": _C("Rang", "plass i rangeringen (1 er best)", "", "M", "int"),
    "cluster_id": _C("Klynge", "klyngens nummer, best først", "", "F"),
    "members": _C("Kommunenummer", "medlemmenes kommunenummer, kommaseparert", "", "F"),
    "member_names": _C("Kommuner", "medlemmenes navn", "", "F"),
    "n_members": _C("Antall kommuner", "antall medlemmer", "", "F", "int"),
    "kommunenummer": _C("Kommunenr.", "offisielt firesifret kommunenummer (2024)", "", "F"),
    "kommunenavn": _C("Kommune", "kommunens navn (2024)", "", "F"),
    "candidate": _C("Kandidat (nr.)", "kandidatens kommunenummer", "", "F"),
    "candidate_name": _C("Kandidat", "kandidatens navn (2024)", "", "F"),
    "innbyggere": _C("Innbyggere", "innbyggere 1.1.2024 (SSB)", "personer", "S", "int"),
    "samarbeid_id": _C("Samarbeid", "samarbeidets id", "", "F"),
    "omrade": _C("Område", "tjenesteområdet i samarbeidet", "", "F"),
    "hub": _C("Knutepunkt", "medlemmet med flest innbyggere, mål for reise og graving", "", "A"),
    "largest_member": _C("Største kommune", "medlemmet med flest innbyggere", "", "F"),
    "largest_share": _C(
        "Største kommunes andel", "største medlems andel av innbyggerne", "%", "F", "share"
    ),
    "shared_collaborations": _C(
        "Felles samarbeid", "aktive samarbeid medlemmene allerede deler", "", "F"
    ),
    "alone": _C(
        "Alene",
        "kommunen står alene i inndelingen (se Hvorfor alene)",
        "",
        "M",
        "bool",
    ),
    "alone_reason": _C(
        "Hvorfor alene",
        "sterkeste nabo etter partnermodellen, og hvorfor kommunen ikke er med i naboens klynge",
        "",
        "M",
    ),
    "apart_reason": _C(
        "Hvorfor egen klynge",
        "nabo-klyngen den passer best med etter partnermodellen, og hva som holder dem fra "
        "hverandre (modellens ledd, reisevei i km) eller grensen som gjør det",
        "",
        "M",
    ),
    "excluded": _C("Holdt utenfor", "kommunen ble holdt utenfor etter ønske", "", "F", "bool"),
    "borders_area": _C(
        "Grenser til området", "kandidaten grenser til minst ett medlem", "", "F", "bool"
    ),
    "joins_parts": _C(
        "Binder sammen området",
        "kandidaten grenser til hver sammenhengende del av området (én del: som over)",
        "",
        "F",
        "bool",
    ),
    "connected": _C(
        "Sammenhengende",
        "medlemmene henger sammen som naboer (grense, veg, bro eller ferje)",
        "",
        "F",
        "bool",
    ),
    # money: operations, NOK a year
    "standalone_nok": _C(
        "Alene (MNOK/år)",
        "IKT-driftskostnad per år hver for seg, a·P^β (summert over medlemmene)",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "joint_nok": _C(
        "Felles drift (MNOK/år)",
        "kostnaden av én felles drift for summen av innbyggerne",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "overhead_nok": _C(
        "Koordinering (MNOK/år)",
        "fast koordinering pluss per medlem utover det første",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "travel_nok": _C(
        "Reise og spredning (MNOK/år)",
        "reiser til knutepunktet (gruppens største medlem) og tap ved avstand, km på veg og ferje",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "net_gain_nok": _C(
        "Netto gevinst (MNOK/år)",
        "alene minus felles, koordinering, reise (og graving)",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "gain_vs_current_nok": _C(
        "Gevinst mot i dag (MNOK/år)",
        "kommunens kostnad i dag (andelen i dagens samarbeid for området, ellers alene) minus "
        "andelen etter",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "exit_overlap_nok": _C(
        "Dobbel betaling i oppsigelsestiden (MNOK engang)",
        "andelen i det nye samarbeidet betalt i oppsigelsestiden, mens den gamle løper",
        "MNOK engang",
        "S",
        "mnok",
    ),
    "left_behind_change_nok": _C(
        "Merkostnad for de som blir igjen (MNOK/år)",
        "det de som blir igjen i dagens samarbeid betaler mer per år uten kommunen (tapt "
        "stordrift)",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "left_behind_stranded_nok": _C(
        "Strandet kostnad første år (MNOK engang)",
        "det av kommunens andel som blir stående som kostnad hos de som blir igjen, første år",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "current_collaborations": _C(
        "Er med i nå", "samarbeid kommunen er med i for samme område i dag", "", "F"
    ),
    "must_leave": _C(
        "Må gå ut", "kommunen må gå ut av dagens samarbeid for området", "", "F", "bool"
    ),
    "retained_nok": _C(
        "Beholdes lokalt (MNOK/år)",
        "IKT-kostnad som blir igjen i hver kommune (sikkerhetsleder, systemeiere, bestiller)",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "net_gain_low_nok": _C(
        "Netto gevinst, lav (MNOK/år)",
        "laveste netto gevinst av basis og hvert spenn i kostnadsmodellen på sin minst og mest "
        "gunstige ende",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "net_gain_high_nok": _C(
        "Netto gevinst, høy (MNOK/år)",
        "høyeste netto gevinst av basis og hvert spenn på sin minst og mest gunstige ende",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "ikt_kostnad_nok": _C(
        "IKT-driftskostnad per år (kr)",
        "kommunens egen kostnad for IKT-drift per år; forhåndsutfylt med modellens verdi",
        "kr/år",
        "F",
        "nok",
    ),
    "lav_nok": _C(
        "Modell, lav (kr)", "modellens kostnad med lavt kostnadsnivå", "kr/år", "A", "nok"
    ),
    "hoy_nok": _C(
        "Modell, høy (kr)", "modellens kostnad med høyt kostnadsnivå", "kr/år", "A", "nok"
    ),
    "modell_nok": _C(
        "Modellens verdi (kr)", "kostnadsmodellens a·P^β; la stå", "kr/år", "A", "nok"
    ),
    "ikt_arsverk": _C("IKT-årsverk", "kommunens egne IKT-årsverk", "årsverk", "F", "float"),
    "hovedsystemer": _C("Hovedsystemer", "fagsystemer og plattformer kommunen bruker", "", "F"),
    "leverandorer": _C("Leverandører", "de viktigste leverandørene", "", "F"),
    "kontrakt_slutt_aar": _C(
        "Kontrakt slutter (år)", "året hovedkontrakten kan sies opp eller løper ut", "", "F", "int"
    ),
    "beholdes": _C(
        "Beholdes lokalt",
        "det kommunen beholder selv etter innmelding (sikkerhetsleder, systemeiere)",
        "",
        "F",
    ),
    "cost_source": _C(
        "Kostnadstall fra",
        "egne tall (kartlegging) eller kostnadsmodellen",
        "",
        "F",
    ),
    "newcomer_gain_low_nok": _C(
        "Nykommerens gevinst, lav (MNOK/år)",
        "med hvert spenn i kostnadsmodellen på den minst gunstige enden",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "newcomer_gain_high_nok": _C(
        "Nykommerens gevinst, høy (MNOK/år)",
        "med hvert spenn i kostnadsmodellen på den mest gunstige enden",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "members_change_low_nok": _C(
        "Medlemmenes endring, lav (MNOK/år)",
        "medlemmenes samlede endring med spennene på den minst gunstige enden",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "members_change_high_nok": _C(
        "Medlemmenes endring, høy (MNOK/år)",
        "medlemmenes samlede endring med spennene på den mest gunstige enden",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "win_win_robust": _C(
        "Vinn-vinn uansett",
        "vinn-vinn ved lav, basis og høy verdi på hvert spenn (ingen betaler mer i noen av dem)",
        "",
        "D",
        "bool",
    ),
    "travel_change_nok": _C(
        "Endring reise (MNOK/år)",
        "gruppens reise og spredning etter minus før (nykommeren og et nytt knutepunkt)",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "group_gain_nok": _C(
        "Gevinst for gruppen (MNOK/år)",
        "nykommerens kostnad alene pluss medlemmenes felles før, minus felles etter (drift, "
        "koordinering og reise)",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "joint_before_nok": _C(
        "Felles før (MNOK/år)",
        "områdets felleskostnad uten nykommeren: drift, koordinering og reise",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "joint_after_nok": _C(
        "Felles etter (MNOK/år)",
        "områdets felleskostnad med nykommeren: drift, koordinering og reise",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "joint_change_nok": _C(
        "Endring felles (MNOK/år)", "felles etter minus før", "MNOK/år", "D", "mnok"
    ),
    "share_after_nok": _C(
        "Andel etter (MNOK/år)",
        "andel av felleskostnaden etter nøkkelen (i kandidatlisten: nykommerens)",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "newcomer_gain_nok": _C(
        "Nykommerens gevinst (MNOK/år)", "alene minus andel", "MNOK/år", "D", "mnok"
    ),
    "members_change_nok": _C(
        "Medlemmenes endring (MNOK/år)",
        "sum av medlemmenes endring; negativ er besparelse",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "share_before_nok": _C(
        "Andel før (MNOK/år)", "andel av felleskostnaden før", "MNOK/år", "D", "mnok"
    ),
    "change_nok": _C(
        "Endring (MNOK/år)",
        "andel etter minus før; positiv betyr at kommunen betaler mer",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "fee_min_nok": _C(
        "Inngangsbillett fra (MNOK/år)",
        "laveste inngangsbillett som holder alle medlemmer skadesløse",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "fee_max_nok": _C(
        "Inngangsbillett til (MNOK/år)",
        "høyeste inngangsbillett nykommeren tjener på",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "entry_cost_nok": _C(
        "Engangskostnad inn (MNOK engang)",
        "engangskostnad ved å gå inn (KS Digiorden / antakelse)",
        "MNOK engang",
        "S",
        "mnok",
    ),
    "dig_extra_nok": _C(
        "Ekstra graving (MNOK engang)",
        "grøft fra nærmeste medlem til nykommeren; bare bredbånd og nett",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "dig_extra_annual_nok": _C(
        "Ekstra graving (MNOK/år)", "som annuitet over 25 år, 4 %", "MNOK/år", "D", "mnok"
    ),
    "dig_unknown": _C(
        "Graving ukjent", "vegnettet når ikke fram: gravekostnaden er ukjent", "", "F", "bool"
    ),
    "losers": _C("Betaler mer", "medlemmer som betaler mer uten inngangsbillett", "", "D"),
    "loses": _C("Betaler mer", "kommunen betaler mer etter", "", "D", "bool"),
    "win_win": _C("Vinn-vinn", "ingen betaler mer og nykommeren sparer", "", "D", "bool"),
    "tier": _C(
        "Nivå",
        "rangeringsnivå: 1 vinn-vinn, 2 med inngangsbillett, 3 medlemmer betaler mer, 4 grenser "
        "ikke, 5 graving ukjent",
        "",
        "D",
        "int",
    ),
    "tier_text": _C("Nivå (tekst)", "rangeringsnivået i ord", "", "D"),
    "km_to_hub": _C(
        "Km til knutepunkt",
        "km på veg og ferje fra kandidatens senter til gruppens største medlem etter innmelding",
        "km",
        "F",
        "km",
    ),
    "commuters": _C(
        "Pendlere",
        "pendlere begge veier mellom kandidaten og medlemmene (SSB 2022)",
        "personer",
        "S",
        "int",
    ),
    "same_ba_region": _C(
        "Samme BA-region",
        "antall medlemmer i kandidatens bo- og arbeidsmarkedsregion",
        "",
        "S",
        "int",
    ),
    "role": _C("Rolle", "medlem eller nykommer", "", "F"),
    # the partner model
    "score": _C(
        "Modellskår",
        "klynger: hvor mye sterkere parene henger sammen enn terskelen, summert (over 0: "
        "sannsynligere sammen enn hver for seg); nykommere: tilknytning",
        "skår",
        "M",
        "float",
    ),
    "affinity": _C(
        "Tilknytning",
        "partnermodellens tilknytning til medlemmene (snitt over parene; høyere er tettere)",
        "skår",
        "M",
        "float",
    ),
    "own_log_odds": _C(
        "Egen tilknytning",
        "hvor mye sterkere kommunen henger sammen med de andre i klyngen enn terskelen, summert "
        "over dem (over 0: hører til); rangerer partnerlisten",
        "skår",
        "M",
        "float",
    ),
    "best_partition": _C(
        "Beste inndeling",
        "klyngen kommunen får i den beste inndelingen av området rundt",
        "",
        "M",
        "bool",
    ),
    "all_belong": _C(
        "Alle hører til",
        "hvert medlem henger minst like sterkt sammen med resten som terskelen",
        "",
        "M",
        "bool",
    ),
    "weakest_member": _C(
        "Svakeste medlem",
        "medlemmet som henger svakest sammen med resten (skåren i parentes)",
        "",
        "M",
    ),
    "affinity_mean": _C(
        "Tilknytning per par",
        "snitt over medlemsparene av partnermodellens tilknytning (høyere er tettere)",
        "skår",
        "M",
        "float",
    ),
    # digging
    "sites": _C("Steder", "tilknyttede steder (kommunesentre)", "", "F", "int"),
    "standalone_m": _C("Alene (m)", "grøft hver for seg til knutepunktet", "m", "D", "m"),
    "dig_alone_nok": _C(
        "Grave alene (MNOK engang)",
        "engangskostnaden for kommunens egen grøft til knutepunktet",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "dig_share_nok": _C(
        "Andel felles nett (MNOK engang)",
        "kommunens andel av engangskostnaden for det felles nettet",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "dig_share_stderr_nok": _C(
        "Usikkerhet i andelen (MNOK engang)",
        "standardfeil når Shapley-andelen er anslått ved trekning",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "dig_saving_nok": _C(
        "Sparer på graving (MNOK engang)", "grave alene minus andel", "MNOK engang", "D", "mnok"
    ),
    "dig_share_per_site_nok": _C(
        "Andel per sted (MNOK engang)",
        "andel av det felles nettet delt på tilknyttede steder",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "households_passed": _C(
        "Husstander passert",
        "husstander uten gigabit ved punktene grøfta når (egne tall eller anslag)",
        "husstander",
        "D",
        "float",
    ),
    "households_connected": _C(
        "Husstander tilknyttet",
        "husstander passert ganger andelen som kobler seg til",
        "husstander",
        "A",
        "float",
    ),
    "access_nok": _C(
        "Tilknytning (MNOK engang)",
        "stikkledning og terminering for de tilknyttede husstandene",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "nok_per_household_passed": _C(
        "Kr per husstand passert (engang)",
        "andel av grøfta pluss tilknytning, delt på husstander passert (som Nkoms tall per "
        "tilknytning)",
        "kr engang",
        "D",
        "nok",
    ),
    "pays_more_than_alone": _C(
        "Betaler mer enn alene", "andelen er høyere enn å grave alene", "", "D", "bool"
    ),
    "length_m": _C("Lengde (m)", "segmentets lengde", "m", "F", "m"),
    "cost_nok": _C("Kostnad (MNOK engang)", "segmentets kostnad", "MNOK engang", "D", "mnok"),
    "kind": _C("Type", "ny grøft, gjenbruk, sjø eller tilknytning", "", "F"),
    "road": _C("Veglenke", "rad i vegnettet (N1000)", "", "F", "int"),
    "serves": _C("Betjener", "kommunene som bruker segmentet på vei til knutepunktet", "", "D"),
    "n_serves": _C("Antall betjent", "antall kommuner som bruker segmentet", "", "D", "int"),
}
