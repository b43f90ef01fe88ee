"""Country codes (ISO 3166-1 alpha-2) and the names the calculator shows.

``ISO_CODES`` is the whole standard: a code outside it is a typing mistake, refused as
such. ``COUNTRY_NAMES`` names the countries a seller is likely to ask about: those the
demo zones serve, and a few that are not served (Russia, Brazil...) so that the
calculator can explain the refusal. A served country without a name here is shown by its
code.
"""

from django.utils.translation import gettext_lazy as _

_ISO_CODES_TEXT = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
ISO_CODES = frozenset(_ISO_CODES_TEXT.split())

# The 27 member states of the European Union.
_EU_TEXT = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EU_MEMBERS = tuple(_EU_TEXT.split())
SOUTH_EAST_ASIA = ("SG", "MY", "TH", "VN", "PH", "ID")

COUNTRY_NAMES = {
    "US": _("United States"),
    "GB": _("United Kingdom"),
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "HR": _("Croatia"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "FI": _("Finland"),
    "FR": _("France"),
    "DE": _("Germany"),
    "GR": _("Greece"),
    "HU": _("Hungary"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LV": _("Latvia"),
    "LT": _("Lithuania"),
    "LU": _("Luxembourg"),
    "MT": _("Malta"),
    "NL": _("Netherlands"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "SK": _("Slovakia"),
    "SI": _("Slovenia"),
    "ES": _("Spain"),
    "SE": _("Sweden"),
    "SG": _("Singapore"),
    "MY": _("Malaysia"),
    "TH": _("Thailand"),
    "VN": _("Vietnam"),
    "PH": _("Philippines"),
    "ID": _("Indonesia"),
    # Not served: asked about often enough to deserve a clear refusal in the calculator.
    "RU": _("Russia"),
    "BR": _("Brazil"),
    "CA": _("Canada"),
    "AU": _("Australia"),
    "JP": _("Japan"),
    "KR": _("South Korea"),
    "MX": _("Mexico"),
}


def country_name(code: str) -> str:
    return str(COUNTRY_NAMES.get(code, code))
