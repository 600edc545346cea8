import datetime
import random

import pytest

from beneficiaries.identity import (
    age_on,
    check_kk,
    check_nik,
    make_nik,
    mask_nik,
    name_key,
    nik_errors,
    normalize_phone,
)
from regions.reference import regency_codes

# A Samarinda Ulu (64.72.03) NIK of a man born 17 August 1985, and of a woman born the same day.
MAN = "6472031708850001"
WOMAN = "6472035708850002"


def test_valid_nik_agrees_with_record():
    result = check_nik(MAN, sex="L", birth_date=datetime.date(1985, 8, 17))
    assert result.ok and result.warnings == []
    assert (result.encoded_sex, result.encoded_day, result.encoded_month, result.encoded_year2) == ("L", 17, 8, 85)


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("647203170885001", "harus 16 digit (tertulis 15 digit)"),
        ("64720317088500011", "harus 16 digit (tertulis 17 digit)"),
        ("64720317O8850001", "hanya boleh berisi angka"),
        ("6472 0317 0885 0001", "hanya boleh berisi angka"),
        ("", "hanya boleh berisi angka"),
        ("6472033208850001", "tanggal lahir atau kode wilayah"),  # day 32
        ("6472031713850001", "tanggal lahir atau kode wilayah"),  # month 13
        ("9972031708850001", "tanggal lahir atau kode wilayah"),  # no province 99
    ],
)
def test_invalid_niks_are_errors(nik, message):
    result = check_nik(nik)
    assert not result.ok
    assert message in " ".join(result.errors)


def test_women_have_forty_added_to_the_day():
    assert check_nik(WOMAN, sex="P", birth_date=datetime.date(1985, 8, 17)).ok
    wrong = check_nik(WOMAN, sex="L", birth_date=datetime.date(1985, 8, 17))
    assert wrong.errors == ["Jenis kelamin tidak sesuai NIK: NIK ini milik seorang perempuan."]
    man_as_woman = check_nik(MAN, sex="P")
    assert "milik seorang laki-laki" in man_as_woman.errors[0]


def test_a_woman_born_on_the_first_has_41_in_her_nik():
    nik = make_nik("647203", datetime.date(1990, 3, 1), "P", 7)
    assert nik[6:8] == "41"
    result = check_nik(nik, sex="P", birth_date=datetime.date(1990, 3, 1))
    assert result.ok and (result.encoded_sex, result.encoded_day) == ("P", 1)


def test_birth_date_must_agree():
    result = check_nik(MAN, sex="L", birth_date=datetime.date(1985, 8, 18))
    assert result.errors == ["Tanggal lahir tidak sesuai NIK: NIK menunjukkan 17-08-..85."]
    assert not check_nik(MAN, birth_date=datetime.date(1986, 8, 17)).ok


def test_29_february():
    leap = make_nik("647203", datetime.date(2004, 2, 29), "P", 1)
    assert leap == "6472036902040001"
    assert check_nik(leap, sex="P", birth_date=datetime.date(2004, 2, 29)).ok
    # 29-02-23 exists neither in 1923 nor in 2023.
    assert not check_nik("6472032902230001").ok
    # 29-02-00: not in 1900, but in 2000 — valid.
    assert check_nik("6472032902000001", sex="L", birth_date=datetime.date(2000, 2, 29)).ok


def test_century_is_not_encoded_so_only_two_digits_are_compared():
    nik = make_nik("647203", datetime.date(1920, 5, 1), "L", 7)  # ...010520...
    assert check_nik(nik, sex="L", birth_date=datetime.date(1920, 5, 1)).ok
    assert check_nik(nik, sex="L", birth_date=datetime.date(2020, 5, 1)).ok  # same digits, other century
    assert not check_nik(nik, sex="L", birth_date=datetime.date(1921, 5, 1)).ok


def test_nik_validity_is_python_stdnum_s():
    """check_nik applies stdnum's rules itself (for speed); it must accept and refuse the same NIKs — except a
    Kaltim NIK whose regency is not one of Kaltim's, which stdnum lets through and we refuse."""
    from stdnum.id import nik as stdnum_nik

    rng = random.Random(2024)
    prefixes = ["6472", "6401", "6409", "3171", "7371", "1101", "9999", "6499", "0000", "6400"]
    candidates = [
        f"{rng.choice(prefixes)}{rng.randint(0, 99):02d}{rng.randint(0, 72):02d}{rng.randint(0, 13):02d}"
        f"{rng.randint(0, 99):02d}{rng.randint(0, 9999):04d}"
        for _ in range(3000)
    ]
    assert {stdnum_nik.is_valid(n) for n in candidates} == {True, False}
    for nik in candidates:
        kaltim_regency_unknown = nik.startswith("64") and nik[:4] not in regency_codes()
        assert check_nik(nik).ok == (stdnum_nik.is_valid(nik) and not kaltim_regency_unknown), nik


@pytest.mark.parametrize("prefix", ["6499", "6400", "6404", "6473"])
def test_a_kaltim_nik_of_a_regency_kaltim_does_not_have_is_refused(prefix):
    nik = make_nik(f"{prefix}01", datetime.date(1985, 8, 17), "P", 3)
    result = check_nik(nik, sex="P", birth_date=datetime.date(1985, 8, 17))
    assert result.errors == [f"NIK tidak valid: kode kabupaten/kota 64.{prefix[2:]} tidak ada di Kalimantan Timur."]


@pytest.mark.parametrize("prefix", sorted(regency_codes()))
def test_every_kaltim_regency_is_accepted_mahakam_ulu_too(prefix):
    nik = make_nik(f"{prefix}01", datetime.date(1985, 8, 17), "L", 3)
    assert check_nik(nik, sex="L", birth_date=datetime.date(1985, 8, 17)).ok, prefix


def test_nik_from_outside_kaltim_is_only_a_warning():
    makassar = "7371015708850003"
    result = check_nik(makassar, sex="P", birth_date=datetime.date(1985, 8, 17))
    assert result.ok
    assert result.warnings == ["NIK terdaftar di luar Kalimantan Timur (pindahan?). Periksa KTP/KK."]


def test_kk():
    assert check_kk("6472030101200001") == []
    assert check_kk("647203010120000") == ["No. KK harus 16 digit (tertulis 15 digit)."]
    assert check_kk("6.47203E+15") == ["No. KK hanya boleh berisi angka."]


def test_mask():
    assert mask_nik(MAN) == "647203**********"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("081234567890", "081234567890"),
        ("+62 812-3456-7890", "081234567890"),
        ("62812 3456 7890", "081234567890"),
        ("812.3456.7890", "081234567890"),
        ("(0541) 741234", "0541741234"),
        ("", ""),
        ("081234567", "081234567"),  # 9 digits, the shortest (old landlines)
        ("08123456789012", "08123456789012"),  # 14, the longest
    ],
)
def test_phone_numbers_are_normalised(raw, normal):
    assert normalize_phone(raw) == normal


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "08abc",
        "+1 202 555 0101 99",
        "08123456",  # 8 digits
        "081234567890123",  # 15
        "1234567890",  # the right length, but not a number that starts with 0, 62 or 8
        "0812345678x",  # starts right, then a letter
    ],
)
def test_impossible_phone_numbers_are_refused(raw):
    with pytest.raises(ValueError, match=r"^Nomor HP tidak valid: tulis seperti 081234567890 atau \+6281234567890\.$"):
        normalize_phone(raw)


def test_name_key_folds_spelling_and_titles():
    assert name_key("Hj. Siti Noerhaliza") == name_key("SITI NURHALIZA")
    assert name_key("Djoko Soesilo") == name_key("Joko Susilo")
    assert name_key("Muhammad Yusuf") == name_key("Muhamad Yusup".replace("p", "f"))
    assert name_key("Siti Aminah") != name_key("Siti Aisyah")


def test_name_key_is_the_folded_words_one_space_apart():
    assert name_key("  Hj.  Siti   Noerhaliza ") == "SITI NURHALIZA"
    assert name_key("Suryani") == name_key("Suriani") == "SURIANI"  # y and i spell one sound
    assert name_key("") == name_key(None) == ""


def test_kk_and_nik_without_a_value():
    assert check_kk(None) == check_kk("") == ["No. KK hanya boleh berisi angka."]
    assert check_nik(None).errors == check_nik("").errors == ["NIK hanya boleh berisi angka."]
    assert nik_errors(None) == nik_errors("") == ("NIK hanya boleh berisi angka.",)


def test_nik_errors_without_a_record():
    assert nik_errors(" " + MAN + " ") == ()
    assert nik_errors("6472033208850001") == (
        "NIK tidak valid: tanggal lahir atau kode wilayah di dalam NIK tidak mungkin.",
    )


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (datetime.date(1990, 1, 1), datetime.date(2024, 1, 1), 34),  # a birthday on the day counts
        (datetime.date(1990, 1, 2), datetime.date(2024, 1, 1), 33),  # the day after does not
        (datetime.date(1990, 12, 31), datetime.date(2024, 1, 1), 33),
        (datetime.date(2000, 2, 29), datetime.date(2024, 2, 28), 23),
        (datetime.date(2000, 2, 29), datetime.date(2024, 2, 29), 24),
    ],
)
def test_age_in_full_years(born, day, age):
    assert age_on(born, day) == age


def test_make_nik_keeps_four_serial_digits():
    born = datetime.date(1985, 8, 17)
    assert make_nik("647203", born, "P", 10_000) == "6472035708850000"
    assert make_nik("647203", born, "L", 12_345) == "6472031708852345"
