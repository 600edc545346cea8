from django.core.management.base import BaseCommand

from accounts.models import User
from accounts.roles import Role
from complaints.models import Complaint
from complaints.selectors import overdue
from notifications.services import notify


class Command(BaseCommand):
    help = "Memberi tahu petugas tentang pengaduan yang terlambat (sekali per pengaduan). Jalankan setiap hari."

    def handle(self, *args, **options):
        sent = 0
        admins = list(User.objects.filter(groups__name=Role.ADMIN_PROVINSI.label, is_active=True))
        for complaint in overdue(Complaint.objects.select_related("regency")):
            users = list(admins)
            if not complaint.sensitive:
                users += User.objects.filter(
                    groups__name=Role.OPERATOR.label, regency_id=complaint.regency_id, is_active=True
                )
            created = notify(
                users,
                text=f"Pengaduan {complaint.number} ({complaint.regency}) melewati batas waktu",
                url=complaint.get_absolute_url(),
                key=f"complaint.overdue:{complaint.pk}",
            )
            sent += len(created)
        self.stdout.write(f"{sent} pemberitahuan pengaduan terlambat.")
