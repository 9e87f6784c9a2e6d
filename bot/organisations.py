"""International bodies by their acronyms and the names articles give them. Readers write
"UNHCR" where an article says "the UN refugee agency", and "Doctors Without Borders" where
it says "MSF"; these acronyms are not the initials of the names (bot/acronyms.py reads
those from the site itself). Pure data and two lookups."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

# Acronym: the names articles use for it, most usual first.
_TABLE = """
unhcr: UN refugee agency | United Nations refugee agency | UN High Commissioner for Refugees
    | United Nations High Commissioner for Refugees
unicef: UN children's agency | United Nations Children's Fund | UN children's fund
wfp: World Food Programme | World Food Program | UN food agency | United Nations food agency
fao: Food and Agriculture Organization | UN food and agriculture agency
who: World Health Organization | UN health agency
iaea: International Atomic Energy Agency | UN nuclear watchdog | nuclear watchdog
unrwa: UN agency for Palestinian refugees | UN Relief and Works Agency
ocha: UN humanitarian office | UN Office for the Coordination of Humanitarian Affairs
ohchr: UN human rights office | Office of the High Commissioner for Human Rights
undp: UN Development Programme | United Nations Development Programme
iom: International Organization for Migration | UN migration agency
ilo: International Labour Organization | International Labor Organization
wto: World Trade Organization
imf: International Monetary Fund
icc: International Criminal Court
icj: International Court of Justice | World Court
icrc: International Committee of the Red Cross | Red Cross
msf: Doctors Without Borders | Medecins Sans Frontieres
hrw: Human Rights Watch
rsf: Reporters Without Borders | Reporters sans Frontieres
cpj: Committee to Protect Journalists
igad: Intergovernmental Authority on Development
ecowas: Economic Community of West African States | West African bloc
sadc: Southern African Development Community
eac: East African Community
au: African Union
asean: Association of Southeast Asian Nations
opec: Organization of the Petroleum Exporting Countries
nato: North Atlantic Treaty Organization | Atlantic alliance
osce: Organization for Security and Co-operation in Europe
oecd: Organisation for Economic Co-operation and Development
gcc: Gulf Cooperation Council
sco: Shanghai Cooperation Organisation
iea: International Energy Agency
ipcc: Intergovernmental Panel on Climate Change | UN climate panel
unfccc: UN climate convention | United Nations Framework Convention on Climate Change
unclos: UN Convention on the Law of the Sea | Law of the Sea convention
npt: Non-Proliferation Treaty | nuclear non-proliferation treaty
ecb: European Central Bank
eib: European Investment Bank
ebrd: European Bank for Reconstruction and Development
adb: Asian Development Bank
afdb: African Development Bank
aiib: Asian Infrastructure Investment Bank
fed: Federal Reserve
cjeu: European Court of Justice | Court of Justice of the European Union
echr: European Court of Human Rights
icco: International Cocoa Organization | International Cocoa Organisation
ico: International Coffee Organization | International Coffee Organisation
irena: International Renewable Energy Agency
unep: UN Environment Programme | United Nations Environment Programme
unesco: UN cultural agency | United Nations Educational, Scientific and Cultural Organization
unodc: UN Office on Drugs and Crime
wmo: World Meteorological Organization | UN weather agency
imo: International Maritime Organization | UN shipping agency
icao: International Civil Aviation Organization | UN aviation agency
unctad: UN trade and development agency | UN Conference on Trade and Development
oas: Organization of American States
caricom: Caribbean Community
mercosur: Southern Common Market
apec: Asia-Pacific Economic Cooperation
saarc: South Asian Association for Regional Cooperation
csto: Collective Security Treaty Organization
eaeu: Eurasian Economic Union
pif: Pacific Islands Forum
tcmb: Central Bank of the Republic of Turkey | Turkish central bank | Central Bank of Turkey
bcrp: Central Reserve Bank of Peru | Peru's central bank | Peruvian central bank
bcra: Central Bank of Argentina | Argentina's central bank | Argentine central bank
bcb: Central Bank of Brazil | Brazil's central bank | Brazilian central bank
banxico: Bank of Mexico | Mexico's central bank | Mexican central bank
bceao: Central Bank of West African States | West African central bank
"""


@cache
def table() -> dict[str, tuple[str, ...]]:
    """Acronym (lowercase) -> its names."""
    out: dict[str, tuple[str, ...]] = {}
    for entry in re.sub(r"\n\s+\|", " |", _TABLE).strip().splitlines():
        key, names = entry.split(":", 1)
        out[key.strip()] = tuple(n.strip() for n in names.split("|"))
    return out


def name_for(acronym: str, known: Callable[[str], bool]) -> str | None:
    """The name the site uses (`known`: all of a name's words are the site's) for a body
    the reader names by its acronym, or None."""
    return next((n for n in table().get(acronym.lower(), ()) if known(n)), None)


@cache
def _names() -> tuple[re.Pattern, dict[str, str], frozenset[str]]:
    acronym_of = {n.lower(): key for key, names in table().items() for n in names}
    alternatives = "|".join(re.escape(n) for n in sorted(acronym_of, key=len, reverse=True))
    firsts = frozenset(n.split()[0] for n in acronym_of)
    return (re.compile(rf"(?<![\w-])(?:the\s+)?(?:{alternatives})(?![\w-])", re.I),
            acronym_of, firsts)


def abbreviate(question: str, known: Callable[[str], bool]) -> str:
    """The question with each body it names in words the site does not use, by its acronym
    when the site uses that ("Doctors Without Borders" on a site that writes "MSF")."""
    pattern, acronym_of, firsts = _names()
    if firsts.isdisjoint(question.lower().split()):  # most questions name no such body
        return question

    def swap(m: re.Match) -> str:
        name = re.sub(r"^the\s+", "", m.group(0), flags=re.I).lower()
        key = acronym_of[name]
        return key.upper() if not known(name) and known(key) else m.group(0)

    return pattern.sub(swap, question)
