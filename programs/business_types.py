"""Jenis usaha as officers write them: "Gorengan", "kue  basah", "KATERING", "Perikanan" all find their type in the
catalogue, by name or synonym, whatever the case, spacing, punctuation or accents; an unknown type is kept verbatim
as "Lainnya: <text>" (a warning, never an error)."""

import unicodedata

OTHER = "Lainnya"


class UnlistedBusinessType(str):
    """A jenis usaha the catalogue does not know, as the officer wrote it."""


def business_key(text) -> str:
    """'Kue  Basah', 'kue-basah' and 'Kué Basah' share one key: letters and digits only, accents dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch))


def synonyms_of(text: str) -> list[str]:
    """The synonyms field holds one per line (commas also separate)."""
    return [s.strip() for line in (text or "").splitlines() for s in line.split(",") if s.strip()]


def catalogue(types) -> dict[str, object]:
    """{key of a name or synonym: business type} over `types` (active BusinessType rows). A name always wins over
    another type's synonym."""
    found: dict[str, object] = {}
    for business_type in types:
        for synonym in synonyms_of(business_type.synonyms):
            found.setdefault(business_key(synonym), business_type)
    for business_type in types:
        found[business_key(business_type.name)] = business_type
    return found


def match(text, found: dict[str, object]):
    """The catalogue's type for `text`, or `UnlistedBusinessType(text)` when none fits."""
    return found.get(business_key(text)) or UnlistedBusinessType(" ".join(str(text).split()))
