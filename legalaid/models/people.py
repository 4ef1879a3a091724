"""The bar and its office, users and their roles, lawyers of the panel, victims and guardians.

Identity data (names, birth date, national number, contact) lives only in the fields each model
lists in `IDENTITY_FIELDS`: they are masked in the audit trail, never shown in lists, and
encrypted at rest (`legalaid.models.encrypted`), with blind indexes for the exact look-ups.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import crypto
from .encrypted import EncryptedDateField, EncryptedTextField
from .reference import District, Language, Matter


class Bar(models.Model):
    name = models.CharField(max_length=120, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="bars")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LegalAidOffice(models.Model):
    """The bar's legal-aid office (BJB / BAJ): it keeps the panel and designates lawyers."""

    bar = models.OneToOneField(Bar, on_delete=models.PROTECT, related_name="office")
    name = models.CharField(max_length=160)
    email = models.EmailField(blank=True)
    acceptance_deadline_hours = models.PositiveSmallIntegerField(
        default=4, help_text="Hours a proposed lawyer has to accept a designation."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE = "office", _("Legal-aid office staff")
    LAWYER = "lawyer", _("Lawyer")
    GUARDIAN = "guardian", _("Guardian")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A person who signs in. The role decides what they may see; `office` scopes staff to a bar."""

    role = models.CharField(max_length=10, choices=Role.choices)
    office = models.ForeignKey(
        LegalAidOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    # The language of the pages and e-mails, chosen by the user (blank: the browser's).
    language = models.CharField(max_length=5, blank=True, choices=settings.LANGUAGES)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.OFFICE) | Q(office__isnull=False),
                name="office_staff_belong_to_an_office",
            ),
        ]


class Lawyer(models.Model):
    IDENTITY_FIELDS = ()  # a lawyer's professional details are not a victim's identity

    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="lawyer"
    )
    bar = models.ForeignKey(Bar, on_delete=models.PROTECT, related_name="lawyers")
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    languages = models.ManyToManyField(Language, related_name="+")
    districts = models.ManyToManyField(District, related_name="lawyers")
    matters = models.ManyToManyField(Matter, related_name="lawyers")
    youth_certified = models.BooleanField(
        default=False, help_text="Holds the youth-law certificate."
    )
    capacity = models.PositiveSmallIntegerField(
        help_text="Maximum number of open pro-deo designations."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The engine's load figures, kept by the designation services in the same transaction as the
    # designation they count (never typed in): a proposal claims a place with a conditional update
    # `open_designations < capacity`, so capacity holds under parallel intakes; leaving the active
    # statuses gives the place back.
    open_designations = models.PositiveIntegerField(
        default=0, editable=False, help_text="Designations proposed or accepted, open now."
    )
    last_designated_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the latest proposal was made."
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(open_designations__gte=0), name="lawyer_open_designations_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_name}"


class LeavePeriod(models.Model):
    lawyer = models.ForeignKey(Lawyer, on_delete=models.CASCADE, related_name="leaves")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="leave_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer}: {self.starts_on} - {self.ends_on}"


class Victim(models.Model):
    """A minor victim. Lists show the pseudonym only; identity stays in `IDENTITY_FIELDS`."""

    IDENTITY_FIELDS = (
        "given_names",
        "family_name",
        "date_of_birth",
        "national_number",
        "nationality",
    )

    BLIND_INDEX_FIELDS = ("national_number_index", "person_index")

    pseudonym = models.CharField(max_length=20, unique=True)
    given_names = EncryptedTextField(max_length=120)
    family_name = EncryptedTextField(max_length=120)
    date_of_birth = EncryptedDateField()
    # NULL, not "", when unknown: the uniqueness of its index below must ignore the unknown ones.
    national_number = EncryptedTextField(max_length=11, null=True, blank=True)
    nationality = EncryptedTextField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")
    # Blind indexes (legalaid.crypto) of the identity above, for exact look-ups: the national
    # number, and the normalised names with the date of birth (repeat victims).
    national_number_index = models.CharField(  # noqa: DJ001 - NULL when unknown, as above
        max_length=64, null=True, blank=True, editable=False
    )
    person_index = models.CharField(max_length=64, editable=False)
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", help_text="The victim's own language."
    )
    earlier_record = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_records",
        help_text="An earlier record of the same person (repeat victimisation).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pseudonym"]
        constraints = [
            # Later records of the same person (repeat victimisation) repeat the number; two
            # different people never share one.
            models.UniqueConstraint(
                fields=["national_number_index"],
                condition=Q(earlier_record__isnull=True),
                name="national_number_unique_per_person",
            ),
        ]
        indexes = [models.Index(fields=["person_index"], name="victim_person_idx")]

    def __str__(self) -> str:
        return self.pseudonym

    def refresh_blind_indexes(self) -> None:
        """Set the blind indexes from the identity fields (services call it before saving)."""
        number = self.national_number
        self.national_number_index = crypto.national_number_index(number) if number else None
        self.person_index = crypto.person_index(
            self.given_names, self.family_name, self.date_of_birth
        )

    @property
    def first_record_id(self) -> int:
        """The first record of this person: later records point to it directly."""
        return self.earlier_record_id or self.pk

    def eighteenth_birthday(self) -> dt.date:
        born = self.date_of_birth
        try:
            return born.replace(year=born.year + 18)
        except ValueError:  # born on 29 February
            return dt.date(born.year + 18, 3, 1)

    def is_minor_on(self, day: dt.date) -> bool:
        return day < self.eighteenth_birthday()


class GuardianRelationship(models.TextChoices):
    PARENT = "parent", _("Parent")
    APPOINTED = "appointed", _("Appointed guardian")
    INSTITUTION = "institution", _("Institution")


class Guardian(models.Model):
    IDENTITY_FIELDS = ("full_name", "email", "phone")

    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="guardian"
    )
    relationship = models.CharField(max_length=12, choices=GuardianRelationship.choices)
    full_name = EncryptedTextField(max_length=160)
    email = EncryptedTextField(max_length=254, blank=True, validators=[validate_email])
    phone = EncryptedTextField(max_length=40, blank=True)
    preferred_language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Guardian #{self.pk} ({self.get_relationship_display()})"


class GuardianAccessQuerySet(models.QuerySet["GuardianAccess"]):
    def valid_on(self, day: dt.date) -> GuardianAccessQuerySet:
        """Not revoked, and the ward still a minor on `day` (access ends at the 18th birthday)."""
        return self.filter(revoked_at__isnull=True, ends_on__gt=day)


class GuardianAccess(models.Model):
    """A guardian's access to one case: granted by office or lawyer, revocable, ends at 18."""

    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="accesses")
    case = models.ForeignKey(
        "legalaid.Case", on_delete=models.PROTECT, related_name="guardian_accesses"
    )
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    ends_on = models.DateField(help_text="The ward's 18th birthday: access ends that day.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = EncryptedTextField(max_length=300, blank=True)

    objects = GuardianAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name_plural = "guardian accesses"
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "case"],
                condition=Q(revoked_at__isnull=True),
                name="one_open_access_per_guardian_and_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Access #{self.pk}"
