"""`manage.py render_samples --out DIR`: every kind in every language from the demo data."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.kinds import AVAILABLE_KINDS, LANGUAGES
from documents.models import Document
from legalaid.models import Case
from tests.documents.pdf import read_pdf


def test_render_samples_loads_the_demo_data_and_writes_every_kind_in_every_language(
    db: None, tmp_path: Path
) -> None:
    out = tmp_path / "samples"
    stdout = io.StringIO()

    call_command("render_samples", "--out", str(out), stdout=stdout)

    expected = sorted(
        f"{kind}.{language}.pdf" for kind in AVAILABLE_KINDS for language in LANGUAGES
    )
    assert sorted(p.name for p in out.iterdir()) == expected
    case = next(c for c in Case.objects.select_related("victim") if c.victim.given_names == "Lena")
    for path in out.iterdir():
        pdf = read_pdf(path.read_bytes())
        assert pdf.pages > 0
        assert case.reference in pdf.text
        assert list(pdf.attachments) == ["snapshot.json"]
    assert f"{len(expected)} documents of case {case.reference}" in stdout.getvalue()
    assert Document.objects.count() == 0  # samples are not issued documents


@pytest.mark.parametrize("where", ["under_a_file", "a_file"])
def test_render_samples_refuses_a_folder_it_cannot_write_to(
    db: None, tmp_path: Path, where: str
) -> None:
    blocker = tmp_path / "blocker.txt"
    blocker.write_text("not a folder")
    out = blocker / "samples" if where == "under_a_file" else blocker

    with pytest.raises(CommandError) as refused:
        call_command("render_samples", "--out", str(out))

    assert str(out) in str(refused.value)
    assert "choose another --out" in str(refused.value)
    assert not Case.objects.exists()  # refused before loading anything


def test_a_worker_starts_with_the_renderer_warm_and_its_shared_objects_frozen() -> None:
    """What every render shares (fonts, stylesheet) is loaded once at start and kept out of the
    garbage collector's full passes; rendering still works afterwards."""
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import gc, django; django.setup(); from documents import renderer; "
        "before = gc.get_freeze_count(); renderer.warm_up(); "
        "pdf = renderer.html_to_pdf('<html lang=\"fr\"><body><p>Bonjour</p></body></html>').pdf; "
        "print(before, gc.get_freeze_count(), pdf[:5].decode())"
    )
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2], env=env,
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip

    before, after, header = result.stdout.split()
    assert int(before) == 0
    assert int(after) > 50_000
    assert header == "%PDF-"
