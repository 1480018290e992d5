"""Uploads are held in memory, never spooled to the app server's disk (portal.uploads, docs/deploy.md)."""

import logging

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

IMPORT_URL = "/admin/quizzes/question/import-gift/"
MB = 1024 * 1024


def gift_of(size: int) -> SimpleUploadedFile:
    line = b"// a comment line of a large GIFT file\n"
    return SimpleUploadedFile("bank.gift", line * (size // len(line) + 1))


def test_an_upload_over_the_memory_limit_is_refused_before_it_is_read(instructor_client, caplog):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 3 * MB

    with caplog.at_level(logging.ERROR, logger="django.security"):
        response = instructor_client.post(IMPORT_URL, {"file": gift_of(3 * MB + 1)})

    assert response.status_code == 400
    assert "That request could not be understood" in response.text
    assert "larger than 2 MB" not in response.text  # the form never saw it: no temporary file was written
    assert [r.name for r in caplog.records] == ["django.security.RequestDataTooBig"]


def test_an_upload_under_the_memory_limit_reaches_the_form_and_its_message(instructor_client):
    response = instructor_client.post(IMPORT_URL, {"file": gift_of(2 * MB + 1)})

    assert response.status_code == 400
    assert "The file is larger than 2 MB." in response.text
