"""Uploads never touch the app server's disk (docs/deploy.md: no state on the app servers)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import MemoryFileUploadHandler


class MemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """Django's memory handler, used alone (settings.FILE_UPLOAD_HANDLERS): a request with a file is held
    in memory, and one larger than FILE_UPLOAD_MAX_MEMORY_SIZE is refused with a 400, as Django refuses
    a form larger than DATA_UPLOAD_MAX_MEMORY_SIZE, instead of being spooled to a temporary file."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
            raise RequestDataTooBig(
                f"Upload of {content_length} bytes exceeds FILE_UPLOAD_MAX_MEMORY_SIZE "
                f"({settings.FILE_UPLOAD_MAX_MEMORY_SIZE} bytes)."
            )
        return super().handle_raw_input(input_data, META, content_length, boundary, encoding)
