"""The structured case model and its JSON reading."""

from tohip.case.io import read_case_file
from tohip.case.schema import Case

__all__ = ["Case", "read_case_file"]
