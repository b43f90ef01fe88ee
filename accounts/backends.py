"""The portal's authentication backend."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model


class SellerModelBackend(AuthenticationBackend):
    """allauth's backend (log in by e-mail address), reading a signed-in user's seller in the
    same query.

    Every portal page shows the seller (the navigation, the dashboard's heading) and every
    seller view scopes its queries by it, so loading it with the user saves a query on each
    signed-in request. Staff users have no seller: the outer join finds none. The class keeps
    its name and path so that sessions signed in before allauth stay valid.
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("seller").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
