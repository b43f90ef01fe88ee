"""Why a field comes back None (``OcrResult.unsure``): codes, translated by the apps."""

LABEL_NOT_FOUND = "label_not_found"  # its label was not found on the page
NOT_READ = "not_read"  # the label was found, no value beside it
READINGS_DISAGREE = "readings_disagree"  # the readings of the value differ, none prevails
NOT_A_NAME = "not_a_name"  # a company name that does not end as names do (公司, 商行 …)
NO_REGION = "no_region"  # a company name that does not begin with a region's name
USCC_DISAGREE = "uscc_readings_disagree"  # two readings are valid codes, but different ones
USCC_UNCONFIRMED = "uscc_unconfirmed"  # one reading is a valid code; no other says the same
USCC_CHECK_FAILS = "uscc_check_fails"  # no reading passes the check character
USCC_NOT_READ = "uscc_not_read"  # nothing code-like was read

REASONS = (
    LABEL_NOT_FOUND,
    NOT_READ,
    READINGS_DISAGREE,
    NOT_A_NAME,
    NO_REGION,
    USCC_DISAGREE,
    USCC_UNCONFIRMED,
    USCC_CHECK_FAILS,
    USCC_NOT_READ,
)
