"""The demo's applicants: a seller at each onboarding state before a store ships (draft,
submitted, in review, changes requested, rejected, in trial, trial under review)."""

from __future__ import annotations

from accounts.models import User
from onboarding.services import (
    application_reject,
    application_request_changes,
)

from .base import (
    Company,
    Demo,
    application_draft,
    application_fields,
    application_read_by_ops,
    application_submitted,
    metrics_import,
    metrics_row,
)
from .parcels import (
    LATE,
    ON_TIME,
    refuse,
)
from .steps import S, onboard, ship_and_track, trial


def draft_seller(demo: Demo, company: Company, user: User) -> None:
    """Started yesterday: the company step only. Tried an order anyway."""
    fields = application_fields(company)
    partial = {
        name: fields[name]
        for name in (
            "company_name",
            "uscc",
            "registered_address",
            "tax_address",
            "business_scope",
            "platform",
            "store_id",
            "temu_whitelisted",
        )
    }
    with demo.clock(demo.ago(1, 3)):
        application_draft(demo, user=user, company=company, fields=partial)
    refuse(
        demo,
        company=company,
        store=None,  # not approved: no store ships yet
        user=user,
        at=demo.ago(0, 20),
        expect="service_not_active",
    )


def submitted_seller(demo: Demo, company: Company, user: User) -> None:
    """Submitted two hours ago; the scans wait for the OCR worker (`make run` starts one)."""
    metrics_import(demo, at=demo.ago(3), rows=[metrics_row(company, as_of=demo.ago(3).date())])
    application_submitted(demo, user=user, company=company, at=demo.ago(0, 3))


def in_review_seller(demo: Demo, company: Company, user: User) -> None:
    metrics_import(demo, at=demo.ago(4), rows=[metrics_row(company, as_of=demo.ago(4).date())])
    store = application_submitted(demo, user=user, company=company, at=demo.ago(2, 6))
    application_read_by_ops(demo, application=store, company=company, at=demo.ago(2, 2))


def changes_seller(demo: Demo, company: Company, user: User) -> None:
    """Typed the company name without 市: the licence check fails; operations ask for it
    as printed."""
    metrics_import(demo, at=demo.ago(6), rows=[metrics_row(company, as_of=demo.ago(6).date())])
    typed = Company(**{**company.__dict__, "name": "东莞华泰电子科技有限公司"})
    store = application_submitted(
        demo, user=user, company=typed, at=demo.ago(5, 4), licence_name=company.name
    )
    application_read_by_ops(
        demo, application=store, company=typed, at=demo.ago(5, 1), licence_name=company.name
    )
    with demo.clock(demo.ago(4, 20)):
        application_request_changes(
            application=store,
            actor=demo.ops,
            reason="公司名称与营业执照不一致：请按执照填写“东莞市华泰电子科技有限公司”后重新提交。",
        )


def rejected_seller(demo: Demo, company: Company, user: User) -> None:
    """An individual business (credit code 92…): only companies may apply."""
    store = application_submitted(demo, user=user, company=company, at=demo.ago(8))
    application_read_by_ops(demo, application=store, company=company, at=demo.ago(7, 20))
    with demo.clock(demo.ago(7, 2)):
        application_reject(
            application=store,
            actor=demo.ops,
            reason="统一社会信用代码以 92 开头，营业执照类型为个体工商户：本服务仅面向企业。",
        )


def trial_seller(demo: Demo, company: Company, user: User) -> None:
    """In trial: one parcel delivered, one on its way; a 6.5 kg parcel was refused."""
    metrics_import(demo, at=demo.ago(13), rows=[metrics_row(company, as_of=demo.ago(13).date())])
    store = onboard(demo, company, user, start=demo.ago(11))
    ship_and_track(demo, company, user, store, at=demo.ago(9), zone="sea")
    ship_and_track(demo, company, user, store, at=demo.ago(3), zone="us-west")
    refuse(
        demo,
        company=company,
        store=store,
        user=user,
        at=demo.ago(2, 4),
        expect="trial_overweight",
        weight_g=6500,
    )


def trial_review_seller(demo: Demo, company: Company, user: User) -> None:
    """One trial parcel of three arrived late: the trial goes to operations."""
    metrics_import(demo, at=demo.ago(26), rows=[metrics_row(company, as_of=demo.ago(26).date())])
    store = onboard(demo, company, user, start=demo.ago(25))
    trial(
        demo,
        company,
        user,
        store,
        start=demo.ago(23, 20),
        zone="uk",
        fates=(ON_TIME, LATE, ON_TIME),
        expect=S.TRIAL_REVIEW,
    )
