"""Sellers (the enterprises) and the people who sign in.

A seller user belongs to exactly one ``Seller``, as its owner or as a staff member.
Operations and finance staff have no seller: they work only in the admin.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Seller(models.Model):
    """An enterprise seller (卖家). Always a company, never a person."""

    company_name = models.CharField(_("company name"), max_length=200)
    # Where customs alerts go by SMS (besides e-mail): a mainland mobile number as E.164,
    # "+86" and 11 digits (accounts.phones). Blank: alerts by e-mail only.
    alert_phone = models.CharField(
        _("mobile number for alerts"), max_length=14, blank=True, default="", db_default=""
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alert_phone="")
                | models.Q(alert_phone__regex=r"^\+861[3-9][0-9]{9}$"),
                name="accounts_seller_alert_phone_e164",
            )
        ]

    def __str__(self) -> str:
        return self.company_name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Signs in with an e-mail address."""

    class SellerRole(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Staff member")

    # Django drops an inherited field set to None; the stub types AbstractUser.username as a field.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    seller = models.ForeignKey(
        Seller,
        verbose_name=_("seller"),
        related_name="users",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    seller_role = models.CharField(
        _("role at the seller"), max_length=10, choices=SellerRole.choices, blank=True
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stub types AbstractUser.objects as contrib's UserManager, whose create_user takes a
    # username; this model signs in by e-mail, so its manager derives from BaseUserManager.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            # A seller user has a role, a staff user has neither seller nor role,
            # and admin staff never belong to a seller.
            models.CheckConstraint(
                condition=(
                    models.Q(seller__isnull=True, seller_role="")
                    | models.Q(seller__isnull=False, is_staff=False)
                    & models.Q(seller_role__in=["owner", "member"])
                ),
                name="accounts_user_seller_role_consistent",
            ),
            models.UniqueConstraint(
                fields=["seller"],
                condition=models.Q(seller_role="owner"),
                name="accounts_user_one_owner_per_seller",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_seller_user(self) -> bool:
        return self.seller_id is not None
