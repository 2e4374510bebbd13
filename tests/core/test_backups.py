"""`redthread backup` and `redthread restore`: the database and the media come back as
they were, checked by row counts and checksums; a damaged archive is refused."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from redthread.accounts.models import User
from redthread.core.backups import RestoreError, backup_create, backup_restore, table_row_counts
from redthread.registry.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    root = Path(settings.MEDIA_ROOT)
    (root / "uploads").mkdir(parents=True)
    (root / "uploads" / "avtal.pdf").write_bytes(b"%PDF-1.7 a contract")
    return root


def test_a_restore_brings_back_rows_and_files(world, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    before = table_row_counts()
    Organisation.objects.filter(pk=world.other_company.pk).delete()
    User.objects.create_user("efter@example.test", "ett långt lösenord")
    (media / "uploads" / "avtal.pdf").unlink()
    (media / "ny.txt").write_text("after the backup")
    call_command("restore", str(archive), "--yes")
    assert table_row_counts() == before
    assert Organisation.objects.filter(pk=world.other_company.pk).exists()
    assert not User.objects.filter(email="efter@example.test").exists()
    assert (media / "uploads" / "avtal.pdf").read_bytes() == b"%PDF-1.7 a contract"
    assert not (media / "ny.txt").exists()


def test_a_damaged_archive_is_refused_before_anything_changes(world, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    manifest = backup_create(path=archive)
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(broken, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name == manifest["database_file"] and data is not None:
                content = data.read()[:-100] + b"x" * 100
                import io

                member.size = len(content)
                target.addfile(member, io.BytesIO(content))
            else:
                target.addfile(member, data)
    users = User.objects.count()
    User.objects.create_user("kvar@example.test", "ett långt lösenord")
    with pytest.raises(RestoreError, match="checksum"):
        backup_restore(path=broken)
    assert User.objects.count() == users + 1  # nothing was touched
    with pytest.raises(CommandError):
        call_command("restore", str(broken), "--yes")


def test_the_manifest_counts_every_table(world, media, tmp_path):
    manifest = backup_create(path=tmp_path / "b.tar.gz")
    assert manifest["tables"]["accounts_user"] == User.objects.count()
    assert "media/uploads/avtal.pdf" in manifest["files"]
