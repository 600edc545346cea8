from django.db import migrations

# The micro-businesses that Kaltim's WRSE women and KUBE groups run, with the words regency officers write for
# them (frozen here; the office edits names and synonyms in the admin). Existing names are kept, so proposals
# that already name them keep their meaning; "Lainnya" holds what the catalogue does not know.
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


def load(apps, schema_editor):
    BusinessType = apps.get_model("programs", "BusinessType")
    for name, synonyms in CATALOGUE.items():
        business_type, created = BusinessType.objects.get_or_create(name=name, defaults={"synonyms": synonyms})
        if not created and not business_type.synonyms:
            business_type.synonyms = synonyms
            business_type.save(update_fields=["synonyms"])


class Migration(migrations.Migration):
    dependencies = [("programs", "0005_business_type_synonyms")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
