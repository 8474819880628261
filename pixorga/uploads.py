"""Uploads stop being stored once they pass ``FILE_UPLOAD_MAX_BYTES``: a huge file never fills the disk.

The oversized file still reaches the view, as an empty file whose ``size`` says how much arrived, so the service's
own size check answers with its usual French message (FILE_TOO_LARGE) instead of a reset connection.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(UploadedFile):
    def __init__(self, *, name, size, content_type, charset):
        super().__init__(file=io.BytesIO(), name=name, content_type=content_type, size=size, charset=charset)


class SizeCappedUploadHandler(FileUploadHandler):
    """First of the chain: past the cap, the chunks are no longer handed to the handlers that store them."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.FILE_UPLOAD_MAX_BYTES:
            if not self.oversized:
                self._discard_stored_parts()
            self.oversized = True
            return None
        return raw_data

    def file_complete(self, file_size):
        if not self.oversized:
            return None  # the next handler's file is the upload
        return OversizedUpload(name=self.file_name, size=file_size, content_type=self.content_type,
                               charset=self.charset)

    def _discard_stored_parts(self) -> None:
        """Close what the next handlers stored so far: the temporary file's handler would never hear of it again
        (this handler's file ends the chain), and its ``*.upload.bin`` would stay on disk as long as the request
        object lives. Closing a named temporary file deletes it."""
        handlers = getattr(self.request, "upload_handlers", ()) if self.request is not None else ()
        for handler in handlers:
            if handler is self:
                continue
            stored = getattr(handler, "file", None)
            if stored is not None:
                stored.close()
                handler.file = None
