from django.core.management.base import BaseCommand

from kubeprogram.media import media_orphans, media_orphans_delete


class Command(BaseCommand):
    help = "Berkas media yang tidak dirujuk baris mana pun (lebih dari sehari); --delete menghapusnya."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="hapus berkasnya (tercatat di log audit)")

    def handle(self, *args, delete=False, **options):
        names = media_orphans()
        for name in names:
            self.stdout.write(name)
        if delete:
            media_orphans_delete(names)
            self.stderr.write(f"{len(names)} berkas yatim dihapus.")
        else:
            self.stderr.write(f"{len(names)} berkas yatim (tambahkan --delete untuk menghapusnya).")
