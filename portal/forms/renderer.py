"""One form renderer for every page: each field as a group with its label, hint and error above
the input (Django's BoundField keeps `aria-describedby` pointing at `<id>_helptext` and
`<id>_error`, and `aria-invalid` on a refused field)."""

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "portal/forms/form.html"
    field_template_name = "portal/forms/field.html"
