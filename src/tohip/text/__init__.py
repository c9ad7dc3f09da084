"""Reading clinical free text into the structured case. Importing this package is cheap; spaCy
and medspaCy load on the first call of :func:`extract_text`."""

from tohip.text.types import Evidence, Extraction

__all__ = ["Evidence", "Extraction", "extract_text"]


def __getattr__(name: str) -> object:
    if name == "extract_text":
        from tohip.text.extract import extract_text

        return extract_text
    raise AttributeError(name)
