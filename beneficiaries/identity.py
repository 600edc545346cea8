"""Rules of Indonesian identity data: NIK, No. KK, phone numbers, and a spelling-tolerant name key.

NIK layout (16 digits): PP RR SS DDMMYY XXXX — province, regency, kecamatan of first registration,
birth date (day + 40 for women), serial. The province must exist (python-stdnum), and a Kaltim NIK's regency
must be one of Kaltim's (regions' reference data). NIKs are lifelong, so one registered outside Kaltim is normal
for someone who moved here: a warning, not an error (outside Kaltim only the province is checked: stdnum's table
of regencies misses the newer ones, and a real NIK must not be refused for that).
"""

import datetime
import functools
import re
from dataclasses import dataclass, field

from stdnum import numdb

from core.formatting import mask_number
from regions.reference import regency_codes

KALTIM_PROVINCE_CODE = "64"


@dataclass
class NikCheck:
    """The result of checking one NIK against the record it belongs to."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoded_sex: str | None = None  # "L" or "P"
    encoded_day: int | None = None
    encoded_month: int | None = None
    encoded_year2: int | None = None  # the two year digits; the century is not encoded

    @property
    def ok(self) -> bool:
        return not self.errors


def check_nik(nik: str, *, sex: str | None = None, birth_date: datetime.date | None = None) -> NikCheck:
    """Check a NIK (python-stdnum: length, digits, birth date, place code) and that the sex and birth
    date it encodes agree with the record. Messages are in Indonesian, for the user."""
    facts = _nik_facts((nik or "").strip())
    result = NikCheck(
        errors=list(facts.errors),
        warnings=list(facts.warnings),
        encoded_sex=facts.encoded_sex,
        encoded_day=facts.encoded_day,
        encoded_month=facts.encoded_month,
        encoded_year2=facts.encoded_year2,
    )
    if result.errors:
        return result
    if sex and sex != result.encoded_sex:
        encoded = "perempuan" if result.encoded_sex == "P" else "laki-laki"
        result.errors.append(f"Jenis kelamin tidak sesuai NIK: NIK ini milik seorang {encoded}.")
    if birth_date and (
        birth_date.day != result.encoded_day
        or birth_date.month != result.encoded_month
        or birth_date.year % 100 != result.encoded_year2
    ):
        result.errors.append(
            "Tanggal lahir tidak sesuai NIK: NIK menunjukkan "
            f"{result.encoded_day:02d}-{result.encoded_month:02d}-..{result.encoded_year2:02d}."
        )
    return result


def nik_errors(nik: str) -> tuple[str, ...]:
    """What is wrong with a NIK on its own, without a record to compare it with."""
    return tuple(_nik_facts((nik or "").strip()).errors)


def nik_error(nik: str) -> str | None:
    """The first thing wrong with a NIK on its own, or None; for a register of a million rows. Of sixteen digits only
    the first twelve (place and birth date) can be wrong, and many people share them: cached by those."""
    if len(nik) == 16 and nik.isdigit():
        return _place_and_date_error(nik[:12])
    errors = nik_errors(nik)
    return errors[0] if errors else None


@functools.lru_cache(maxsize=1 << 16)
def _place_and_date_error(first_twelve: str) -> str | None:
    errors = _nik_facts.__wrapped__(first_twelve + "0001").errors
    return errors[0] if errors else None


@functools.lru_cache(maxsize=4096)  # an import asks about each NIK a few times, close together
def _nik_facts(value: str) -> NikCheck:
    """What a NIK says on its own (cached: an import checks each NIK at several steps)."""
    result = NikCheck()
    if not value.isdigit():
        result.errors.append("NIK hanya boleh berisi angka.")
        return result
    if len(value) != 16:
        result.errors.append(f"NIK harus 16 digit (tertulis {len(value)} digit).")
        return result
    # python-stdnum's two NIK rules, applied to the digits we already have (its validate() cleans and
    # re-parses the string on every call, the largest cost of a 10,000-row import).
    day_code, month, year2 = int(value[6:8]), int(value[8:10]), int(value[10:12])
    if not (_is_date(2000 + year2, month, day_code % 40) and _registration_place_known(value[:4])):
        result.errors.append("NIK tidak valid: tanggal lahir atau kode wilayah di dalam NIK tidak mungkin.")
        return result
    # stdnum knows the province only for many codes (and not Kaltim's newest regency, Mahakam Ulu 64.11): a Kaltim
    # NIK's regency must be one of Kaltim's, by the official reference data.
    if value[:2] == KALTIM_PROVINCE_CODE and value[:4] not in regency_codes():
        result.errors.append(
            f"NIK tidak valid: kode kabupaten/kota {value[:2]}.{value[2:4]} tidak ada di Kalimantan Timur."
        )
        return result

    result.encoded_sex = "P" if day_code > 40 else "L"
    result.encoded_day = day_code - 40 if day_code > 40 else day_code
    result.encoded_month = month
    result.encoded_year2 = year2

    if value[:2] != KALTIM_PROVINCE_CODE:
        result.warnings.append("NIK terdaftar di luar Kalimantan Timur (pindahan?). Periksa KTP/KK.")
    return result


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)  # 2000 + yy: a leap year whenever 19yy is one, so no date is lost
    except ValueError:
        return False
    return True


@functools.cache
def _registration_place_known(prefix: str) -> bool:
    """Whether python-stdnum's table of regencies knows the province + regency digits."""
    return bool(numdb.get("id/loc").info(prefix)[0][1])


def check_kk(kk: str) -> list[str]:
    """Errors of a No. KK (16 digits, as text)."""
    value = (kk or "").strip()
    if not value.isdigit():
        return ["No. KK hanya boleh berisi angka."]
    if len(value) != 16:
        return [f"No. KK harus 16 digit (tertulis {len(value)} digit)."]
    return []


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of age on `day` (a birthday on `day` counts)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def mask_nik(nik: str) -> str:
    """'6472015708450001' -> '647201**********' (UU 27/2022: lists never show a whole NIK)."""
    return mask_number(nik)


RESTRICTED_LABEL = "Data dibatasi (Ps. 41 UU 27/2022)"


def is_restricted(person) -> bool:
    """Processing restricted at the person's request (UU 27/2022 Art. 41): no list, export or field page shows who
    they are until it is lifted; they stay in every count. An erased person is already the placeholder."""
    return bool(getattr(person, "restricted_at", None)) and not getattr(person, "erased_at", None)


def name_and_nik(person, mask) -> tuple[str, str]:
    """The name and the (masked) NIK a named list shows of a person, or the restriction's label and nothing."""
    if is_restricted(person):
        return RESTRICTED_LABEL, ""
    return person.full_name, mask(person.nik)


_PHONE_JUNK = re.compile(r"[\s\-().]")


def normalize_phone(raw: str) -> str:
    """'+62 812-3456-7890', '62812…', '0812…', '812…' -> '081234567890'. Raises ValueError when it
    cannot be an Indonesian number."""
    value = _PHONE_JUNK.sub("", raw or "")
    if not value:
        return ""
    if value.startswith("+62"):
        value = "0" + value[3:]
    elif value.startswith("62"):
        value = "0" + value[2:]
    elif value.startswith("8"):
        value = "0" + value
    if not value.isdigit() or not value.startswith("0") or not 9 <= len(value) <= 14:
        raise ValueError("Nomor HP tidak valid: tulis seperti 081234567890 atau +6281234567890.")
    return value


_TITLES = re.compile(r"\b(HJ|HAJJAH|HAJI|H|IR|DRS|DR|ST|SE|SH|SPD|SKM|AMD|AMK|SPD|SSOS|BIN|BINTI|BT|BN)\b")
_SPELLING = [("DJ", "J"), ("TJ", "C"), ("OE", "U"), ("SJ", "SY"), ("CH", "KH"), ("NJ", "NY"), ("PH", "F")]


def name_key(name: str) -> str:
    """A spelling-tolerant key: 'Hj. Siti Nurhaliza', 'SITI NOERHALIZA' and 'Siti  Nurhalisa' do not all
    match, but old and new spellings (oe/u, dj/j, tj/c), titles, punctuation and doubled letters are
    folded, so near-identical names in one village share a key."""
    value = re.sub(r"[^A-Z ]", " ", (name or "").upper())
    value = _TITLES.sub(" ", value)
    for old, new in _SPELLING:
        value = value.replace(old, new)
    value = re.sub(r"([A-Z])\1+", r"\1", value)  # doubled letters: 'Muhammad' = 'Muhamad'
    value = value.replace("Y", "I")  # 'Yanti' / 'Ianti' are rarer than 'Suryani' / 'Suriani'
    return " ".join(value.split())


def make_nik(place: str, birth_date: datetime.date, sex: str, serial: int) -> str:
    """Compose a NIK: 6-digit place code (PPRRSS), birth date (day + 40 for women), 4-digit serial.
    For synthetic and test data; real NIKs come from Dukcapil."""
    day = birth_date.day + (40 if sex == "P" else 0)
    return f"{place}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial % 10000:04d}"
