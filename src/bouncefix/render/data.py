"""Reports as plain data (dicts): the JSON schema, defined with the model
(``MessageReport.to_dict``)."""

from __future__ import annotations

from ..model import SCHEMA_VERSION, recipient_dict, report_dict

__all__ = ["SCHEMA_VERSION", "recipient_dict", "report_dict"]
