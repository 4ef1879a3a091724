"""The office's forms. They check the form of the input only; the services decide the rest and
their field messages are put back on these forms (`portal.views.base.apply_service_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Concat
from django.urls import reverse_lazy
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from documents.models import ExportOnBehalfOf
from legalaid.models import (
    District,
    GuardianRelationship,
    Language,
    Lawyer,
    Matter,
    PartyRole,
)


def district_name(district: District, language: str | None = None) -> str:
    """A district by its name in the reader's language (nl, fr, de), both names otherwise."""
    code = (language or get_language() or "en")[:2]
    return {"nl": district.name_nl, "fr": district.name_fr, "de": district.name_de}.get(
        code, str(district)
    )


def language_name(language: Language) -> str:
    """A language by its name in the reader's language (Django's own translations)."""
    try:
        return str(get_language_info(language.code)["name_translated"])
    except KeyError:
        return language.name


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return district_name(obj)


class LanguageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return language_name(obj)


def lines(value: str) -> list[str]:
    """One value a line (or separated by commas), blanks left out."""
    return [part.strip() for part in value.replace(",", "\n").splitlines() if part.strip()]


class IntakeForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    national_number = forms.CharField(
        label=_("National number"),
        required=False,
        max_length=20,
        help_text=_("11 digits, as on the identity card. Leave empty if unknown."),
    )
    nationality = forms.RegexField(
        regex=r"^[A-Za-z]{2}$",
        label=_("Nationality"),
        required=False,
        help_text=_("Two-letter country code, for example BE or RO."),
        error_messages={"invalid": _("Give a two-letter country code, for example BE.")},
    )
    victim_language = LanguageChoiceField(
        queryset=Language.objects.all(), label=_("The victim's own language")
    )
    district = DistrictChoiceField(
        queryset=District.objects.all(),
        label=_("Judicial district"),
        # The language field below follows the district chosen (htmx; without it, the service
        # fills in the district's language, or asks for it in Brussels).
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("portal:office:intake_language"),
                "hx-target": "#language-field",
                "hx-swap": "innerHTML",
            }
        ),
    )
    language = LanguageChoiceField(
        queryset=Language.objects.filter(proceedings=True),
        label=_("Language of the proceedings"),
        required=False,
        empty_label=_("The district's language"),
        help_text=_("Filled in from the district. In Brussels, choose Dutch or French."),
    )
    chosen_lawyer = forms.CharField(
        label=_("Lawyer chosen by the minor"),
        required=False,
        max_length=170,
        help_text=_("Type the lawyer's name; leave empty if the minor chose nobody."),
        widget=forms.TextInput(attrs={"list": "panel-lawyers", "autocomplete": "off"}),
    )
    facts_started_on = forms.DateField(
        label=_("Facts started on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    prosecutor_notice_number = forms.CharField(
        label=_("Prosecutor's notice number"), required=False, max_length=40
    )
    adult_at_intake_reason = forms.CharField(
        label=_("Reason to register a victim of 18 or older"),
        required=False,
        max_length=300,
        help_text=_("Only when the victim is 18 or older today."),
    )

    def clean_chosen_lawyer(self) -> Lawyer | None:
        name = " ".join(self.cleaned_data["chosen_lawyer"].split())
        if not name:
            return None
        found = list(lawyers_named(name)[:2])
        if not found:
            raise forms.ValidationError(_("No active lawyer of the panel has this name."))
        if len(found) > 1:
            raise forms.ValidationError(_("Several lawyers have this name: type it in full."))
        return found[0]


def lawyers_named(name: str) -> QuerySet[Lawyer]:
    """Active lawyers of any bar called "Family, Given" or "Given Family" (case ignored; what
    follows " — ", the bar in the pages' suggestions, is left out)."""
    name = name.split(" — ", 1)[0].strip()
    lawyers = Lawyer.objects.filter(active=True)
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return lawyers.filter(family_name__iexact=family, given_name__iexact=given)
    full = Concat("given_name", Value(" "), "family_name", output_field=CharField())
    return lawyers.annotate(full=full).filter(full__iexact=name)


class PartyForm(forms.Form):
    # Blank first, so that a row left untouched is left out, not refused.
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *PartyRole.choices])
    full_name = forms.CharField(label=_("Full name"), max_length=160)
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line."),
    )
    handles = forms.CharField(
        label=_("Online handles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line, as on the platform (for example @name)."),
    )

    def as_party(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "full_name": data["full_name"],
            "aliases": lines(data["aliases"]),
            "handles": lines(data["handles"]),
        }


class BasePartyFormSet(forms.BaseFormSet):
    """The rows typed so far come back (after "Add a defendant") as new rows, never as "initial"
    ones, so that a row left empty is simply left out."""

    def initial_form_count(self) -> int:
        return super().initial_form_count() if self.is_bound else 0

    def total_form_count(self) -> int:
        if self.is_bound:
            return int(super().total_form_count())
        return min(len(self.initial or []) + self.extra, self.max_num)


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=1, max_num=30, validate_max=True
)


class CasePageForm(forms.Form):
    """A form of the case page: its errors are summarised once at the top of the page."""

    template_name = "portal/forms/fields.html"


class NoteForm(CasePageForm):
    body = forms.CharField(
        label=_("New office note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by the office only, never by the lawyer's client or the guardian."),
    )


class GuardianGrantForm(CasePageForm):
    full_name = forms.CharField(label=_("Guardian's full name"), max_length=160)
    relationship = forms.ChoiceField(label=_("Relationship"), choices=GuardianRelationship.choices)
    preferred_language = LanguageChoiceField(
        queryset=Language.objects.filter(code__in=["nl", "fr", "de", "en"]),
        label=_("Guardian's language"),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)


class RevokeForm(CasePageForm):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=300)


class PanelFilterForm(forms.Form):
    """The panel's filters (GET): each narrows the list; empty means any."""

    district = DistrictChoiceField(
        queryset=District.objects.all(), required=False, label=_("District"), empty_label=_("Any")
    )
    language = LanguageChoiceField(
        queryset=Language.objects.all(), required=False, label=_("Language"), empty_label=_("Any")
    )
    matter = forms.ModelChoiceField(
        queryset=Matter.objects.all(), required=False, label=_("Matter"), empty_label=_("Any")
    )
    load = forms.ChoiceField(
        required=False,
        label=_("Load"),
        choices=[("", _("Any")), ("room", _("Has room")), ("full", _("At capacity"))],
    )


class LawyerForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=0,
        max_value=200,
        help_text=_("The most open pro-deo designations at once."),
    )
    active = forms.BooleanField(label=_("On the list (active)"), required=False)
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        label=_("Languages"),
        widget=forms.CheckboxSelectMultiple,
    )
    districts = forms.ModelMultipleChoiceField(
        queryset=District.objects.all(),
        label=_("Districts served"),
        widget=forms.CheckboxSelectMultiple,
    )
    matters = forms.ModelMultipleChoiceField(
        queryset=Matter.objects.all(),
        label=_("Matters"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].label_from_instance = language_name  # type: ignore[attr-defined]
        self.fields["districts"].label_from_instance = district_name  # type: ignore[attr-defined]


class LeaveForm(CasePageForm):
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class PanelImportForm(forms.Form):
    file = forms.FileField(
        label=_("The yearly list (CSV)"),
        help_text=_(
            "One lawyer a line, columns separated by ; or , (download the template). "
            "Nothing is imported before you confirm."
        ),
    )


class FairnessForm(forms.Form):
    since = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The period cannot end before it starts."))
        return data


class DesignateForm(CasePageForm):
    lawyer = forms.CharField(
        label=_("Lawyer"),
        max_length=250,
        help_text=_("Type the lawyer's name and choose among the suggestions."),
        widget=forms.TextInput(attrs={"list": "all-lawyers", "autocomplete": "off"}),
    )
    cross_district = forms.BooleanField(
        label=_("Cross-district override: a lawyer of another district or bar"),
        required=False,
        help_text=_("Recorded in the audit trail. A conflict of interest still binds."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean_lawyer(self) -> Lawyer:
        found = list(lawyers_named(" ".join(self.cleaned_data["lawyer"].split()))[:2])
        if not found:
            raise forms.ValidationError(_("No active lawyer has this name."))
        if len(found) > 1:
            raise forms.ValidationError(_("Several lawyers have this name: type it in full."))
        return found[0]


class CloseForm(CasePageForm):
    reason = forms.CharField(
        label=_("Why the case is closed"),
        max_length=300,
        help_text=_("For example: the proceedings ended and the compensation was paid."),
    )


class PersonalDataExportForm(CasePageForm):
    """A person's copy of their file (GDPR articles 15 and 20), asked from the case page."""

    on_behalf_of = forms.ChoiceField(
        label=_("Who asks for the copy"),
        choices=ExportOnBehalfOf.choices,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of the copy"),
        choices=[
            ("", _("The person's language")),
            ("nl", "Nederlands"),
            ("fr", "Français"),
            ("de", "Deutsch"),
        ],
        required=False,
    )
