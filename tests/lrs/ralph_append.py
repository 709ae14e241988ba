"""Runs a Ralph LRS on loopback for Second Look's tests (test-only).

Ralph's filesystem backend writes every POST to one file and refuses every
write after the first ("already exists and overwrite is not allowed"); this
launcher makes it append instead, then serves the API in this process.

    python3 tests/lrs/ralph_append.py PORT DATA_DIR AUTH_FILE

Environment read by Ralph is set here: the fs backend, the data folder and
the credentials file (made with `ralph auth ... -w`).
"""
import os
import sys

port, data_dir, auth_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
os.environ["RALPH_RUNSERVER_BACKEND"] = "fs"
os.environ["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = data_dir
os.environ["RALPH_AUTH_FILE"] = auth_file

from ralph.backends.data import fs  # noqa: E402
from ralph.backends.data.base import BaseOperationType  # noqa: E402

_write_bytes = fs.FSDataBackend._write_bytes


def _append(self, data, target, chunk_size, ignore_errors, operation_type):
    if operation_type in (BaseOperationType.CREATE, BaseOperationType.INDEX):
        operation_type = BaseOperationType.APPEND
    return _write_bytes(self, data, target, chunk_size, ignore_errors, operation_type)


fs.FSDataBackend._write_bytes = _append

import uvicorn  # noqa: E402
from ralph.api import app  # noqa: E402

uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
