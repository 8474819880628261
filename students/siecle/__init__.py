"""SIECLE import: a pure module (no Django) turning an upload into learner records.

    with open_upload(uploaded_file) as xml:
        result = parse_siecle(xml, expected_uai=organization.uai)

or, in one call, parse_siecle_upload(uploaded_file, expected_uai=organization.uai).
"""
from .errors import SiecleErrorCode, SiecleFileError, SiecleIssue, SkipReason, StudentRef
from .parser import parse_siecle, parse_siecle_upload
from .records import LearnerRecord, SiecleParseResult
from .upload import DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_XML_BYTES, open_upload

__all__ = [
    "DEFAULT_MAX_UPLOAD_BYTES",
    "DEFAULT_MAX_XML_BYTES",
    "LearnerRecord",
    "SiecleErrorCode",
    "SiecleFileError",
    "SiecleIssue",
    "SiecleParseResult",
    "SkipReason",
    "StudentRef",
    "open_upload",
    "parse_siecle",
    "parse_siecle_upload",
]
