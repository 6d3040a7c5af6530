"""File storage that never leaves a partial file behind.

Evidence files are stored under their SHA-256; a write that fails half-way (a full disk, an I/O
error) would leave a truncated file under the name of the complete one. This storage removes what
it wrote before re-raising, so the name either holds the whole file or nothing.
"""

import os

from django.core.files.storage import FileSystemStorage


class SafeFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except BaseException:
            full_path = self.path(name)
            if os.path.exists(full_path) and not _is_complete(full_path, content):
                os.remove(full_path)
            raise


def _is_complete(path: str, content) -> bool:
    size = getattr(content, "size", None)
    return size is not None and os.path.getsize(path) == size
