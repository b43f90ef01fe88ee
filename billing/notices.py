"""What billing tells sellers (``notifications.kinds``): a statement issued, due in three
days, overdue; a prepaid balance below the threshold its owner set."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import notification_kind

notification_kind(
    "statement_issued",
    subject=_("Statement %(number)s for %(period)s: ¥%(total)s due on %(due)s"),
    body=_(
        "Your statement %(number)s for %(period)s is issued: ¥%(total)s, due on %(due)s. "
        "Pay it by bank transfer with the statement number in the remark; the billing page "
        "has the details and the PDF."
    ),
)
notification_kind(
    "statement_due_soon",
    subject=_("Statement %(number)s is due on %(due)s"),
    body=_(
        "Statement %(number)s is due on %(due)s and ¥%(outstanding)s is still unpaid. Unpaid "
        "after that date, new orders are refused until it is paid."
    ),
)
notification_kind(
    "statement_overdue",
    subject=_("Statement %(number)s is overdue: new orders are refused"),
    body=_(
        "Statement %(number)s was due on %(due)s and ¥%(outstanding)s is still unpaid. New "
        "orders are refused until it is paid in full; orders are accepted again as soon as "
        "finance records the payment."
    ),
)
notification_kind(
    "balance_low",
    subject=_("Prepaid balance below ¥%(threshold)s"),
    body=_(
        "Your prepaid balance is ¥%(balance)s, below the ¥%(threshold)s you asked to be told "
        "about. Top up by bank transfer so that orders are not refused."
    ),
)
