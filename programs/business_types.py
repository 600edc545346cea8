"""Jenis usaha as officers write them: "Gorengan", "kue  basah", "KATERING", "Perikanan" all find their type in the
catalogue, by name or synonym, whatever the case, spacing, punctuation or accents; an unknown type is kept verbatim
as "Lainnya: <text>" (a warning, never an error)."""

import functools
import unicodedata

OTHER = "Lainnya"

# The micro-businesses that Kaltim's WRSE women and KUBE groups run, with the words regency officers write for
# them; the office edits names and synonyms in the admin. "Lainnya" holds what the catalogue does not know.
CATALOGUE = {
    "Warung Sembako": "sembako\nwarung\nwarung kelontong\nkelontong\ntoko kelontong\ntoko\nkios\npracangan\n"
    "jual sembako\nwarung sembilan bahan pokok",
    "Kuliner / Makanan Olahan": "kuliner\nmakanan\nmakanan olahan\nolahan pangan\nwarung makan\nrumah makan\n"
    "warung nasi\nnasi kuning\nsoto\nbakso\nmie ayam\nlalapan\npecel\nayam geprek\njualan makanan\njual makanan",
    "Gorengan dan Jajanan": "gorengan\njajanan\ncamilan\nkeripik\npisang goreng\ntahu isi\ncilok\ncimol\npentol\n"
    "es\nminuman\nes teh\njus\njualan gorengan\njual gorengan",
    "Kue dan Roti": "kue\nroti\nkue basah\nkue kering\naneka kue\nkue tradisional\njajanan pasar\nbakery\nbolu\n"
    "cake\nkue dan roti",
    "Katering": "katering\ncatering\njasa boga\nnasi kotak\nnasi box\npesanan makanan",
    "Menjahit / Konveksi": "menjahit\njahit\npenjahit\njahit pakaian\nkonveksi\ntailor\npermak\nvermak\nbordir\nsulam",
    "Tata Rias / Salon": "salon\ntata rias\nrias\nrias pengantin\nkecantikan\nmake up\nmua\npangkas rambut\n"
    "potong rambut\nbarbershop",
    "Laundry": "laundry\nlaundri\nlondri\nbinatu\ncuci pakaian\ncuci setrika\njasa cuci",
    "Kerajinan Tangan": "kerajinan\nkerajinan tangan\nanyaman\nanyaman rotan\nrotan\nmanik-manik\nmanik\n"
    "souvenir\nhandicraft\nhandycraft\ntenun\nulap doyo\nsarung samarinda",
    "Perikanan Tangkap": "perikanan\nnelayan\nmenangkap ikan\ntangkap ikan\nmelaut\njaring\npancing",
    "Budidaya Ikan": "budidaya ikan\nbudidaya\ntambak\nkolam ikan\nkeramba\nlele\nnila\nikan air tawar\nbudidaya lele",
    "Pengolahan Hasil Perikanan": "pengolahan ikan\nolahan ikan\nikan asin\nikan asap\npengasapan ikan\namplang\n"
    "kerupuk ikan\nterasi\nabon ikan",
    "Pertanian / Hortikultura": "pertanian\ntani\npetani\nbertani\nberkebun\nkebun\nsayur\nsayuran\n"
    "hortikultura\npalawija\ncabai\ncabe",
    "Peternakan": "peternakan\nternak\nberternak\nbeternak\nternak ayam\nayam\nayam kampung\nayam petelur\nunggas\n"
    "bebek\nitik\nkambing\nsapi",
    "Bengkel": "bengkel\nbengkel motor\nbengkel las\nlas\ntambal ban\nservis\nservice\nreparasi\nperbaikan\n"
    "servis elektronik\nservis hp",
    "Pedagang Keliling": "pedagang keliling\njualan keliling\nkeliling\ngerobak\npedagang kaki lima\npkl\nasongan",
    "Konter Pulsa": "pulsa\nkonter\nkonter pulsa\ncounter\ncounter hp\njual pulsa\naksesoris hp",
    "Lainnya": "",
}


class UnlistedBusinessType(str):
    """A jenis usaha the catalogue does not know, as the officer wrote it."""


@functools.lru_cache(maxsize=4096)  # a file repeats a few dozen words in thousands of rows
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


def catalogue_load(model) -> int:
    """Make sure every type of CATALOGUE exists, with its synonyms where a type has none yet (idempotent; reference
    data, so not audited; `model` is BusinessType or a migration's historical model). Returns how many were created."""
    created = 0
    for name, synonyms in CATALOGUE.items():
        business_type, new = model.objects.get_or_create(name=name, defaults={"synonyms": synonyms})
        created += new
        if not new and not business_type.synonyms and synonyms:
            business_type.synonyms = synonyms
            business_type.save(update_fields=["synonyms"])
    return created
