"""REST framework's messages that the API's request fields can answer with, for the
catalogues.

REST framework is not an installed app (its catalogue would re-translate Django's own
messages on the portal's forms, see the settings), so its own translations never load and an
ERP sending ``Accept-Language: zh-CN`` got "This field may not be blank." beside Chinese
messages. These are its message ids word for word: ``makemessages`` puts them in the
project's catalogues, where they are translated (the Chinese from REST framework's own
catalogue). Never imported: gettext finds a message by its id."""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("This field may not be null."),
    gettext_noop("Not a valid string."),
    gettext_noop("This field may not be blank."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("A valid integer is required."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("String value too large."),
    gettext_noop("A valid number is required."),
    gettext_noop("Ensure that there are no more than {max_digits} digits in total."),
    gettext_noop("Ensure that there are no more than {max_decimal_places} decimal places."),
    gettext_noop(
        "Ensure that there are no more than {max_whole_digits} digits before the decimal point."
    ),
    gettext_noop("Must be a valid boolean."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("This list may not be empty."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
)
