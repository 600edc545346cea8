import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from beneficiaries import synthetic
from beneficiaries.models import MemberRole, Person
from beneficiaries.services import kube_group_create, kube_member_add
from programs.models import BudgetYear, BusinessType
from programs.services import budget_year_create
from regions.models import Regency

DEMO_PASSWORD = "demo-kaltim-2024"
DEMO_PEOPLE = 400

# (username, role, regency code, first name, last name, position)
DEMO_USERS = [
    ("admin", Role.ADMIN_PROVINSI, None, "Rina", "Wulandari", "Pengelola Program Pemberdayaan Sosial"),
    ("verifikator", Role.VERIFIKATOR, None, "Budi", "Santoso", "Verifikator Program"),
    ("operator.samarinda", Role.OPERATOR, "64.72", "Siti", "Rahmawati", "Operator Dinsos Kota Samarinda"),
    ("operator.balikpapan", Role.OPERATOR, "64.71", "Andi", "Pratama", "Operator Dinsos Kota Balikpapan"),
    ("pimpinan", Role.PIMPINAN, None, "Hj. Nurhayati", "", "Kepala Dinas Sosial"),
    ("auditor", Role.AUDITOR, None, "Yusuf", "Hidayat", "Auditor Inspektorat"),
]


class Command(BaseCommand):
    help = "Mengisi data demo (Tahun Anggaran 2024 dan satu pengguna per peran). Idempoten; ditolak di produksi."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo ditolak: pengaturan produksi aktif. Kata sandi demo tidak boleh ada di server sungguhan."
            )
        with transaction.atomic():
            if not BudgetYear.objects.filter(year=2024).exists():
                budget_year_create(
                    data={
                        "year": 2024,
                        "total_ceiling": Decimal("6500000000"),
                        "funding_source": "APBD Provinsi Kalimantan Timur",
                        "status": BudgetYear.Status.OPEN,
                        "wrse_package_value": Decimal("5000000"),
                        "kube_package_value": Decimal("25000000"),
                    },
                    actor=None,
                )
            for username, role, regency_code, first, last, position in DEMO_USERS:
                regency = Regency.objects.get(code=regency_code) if regency_code else None
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = user_create(
                        username=username,
                        password=DEMO_PASSWORD,
                        role=role,
                        regency=regency,
                        first_name=first,
                        last_name=last,
                        position=position,
                    )
                else:
                    # Re-running restores the demo state: role, regency and the known password.
                    user.regency, user.is_active = regency, True
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                    user.groups.set([Group.objects.get(name=role.label)])
                if role == Role.ADMIN_PROVINSI and not user.is_staff:
                    user.is_staff = True  # the Admin Provinsi manages users in /admin/
                    user.save(update_fields=["is_staff"])

            self._seed_registry()
            self._seed_proposals()

        self.stdout.write(self.style.SUCCESS("Data demo siap. Login demo (kata sandi sama untuk semua):"))
        for username, role, regency_code, *_ in DEMO_USERS:
            where = f" — {Regency.objects.get(code=regency_code)}" if regency_code else ""
            self.stdout.write(f"  {username:<22} {role.label}{where}")
        self.stdout.write(f"  kata sandi: {DEMO_PASSWORD}")

    def _seed_registry(self):
        """A few hundred synthetic residents and two KUBE groups, so every list shows something real."""
        if Person.objects.exists():
            return
        synthetic.insert(DEMO_PEOPLE, seed=7)
        for regency_code, name, complete in [
            ("64.72", "KUBE Tepian Sejahtera", True),
            ("64.71", "KUBE Beriman Mandiri", False),
        ]:
            people = list(Person.objects.filter(regency_id=regency_code).order_by("id")[:5])
            if len(people) < 5:
                continue
            group = kube_group_create(
                data={
                    "name": name,
                    "business_type": BusinessType.objects.get(name="Kue dan Roti"),
                    "village": people[0].village,
                    "founded": datetime.date(2023, 3, 1),
                },
                actor=None,
            )
            roles = [MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER, MemberRole.MEMBER, MemberRole.MEMBER]
            for person, role in list(zip(people, roles, strict=True))[: 5 if complete else 3]:
                kube_member_add(group=group, person=person, role=role, actor=None)

    def _seed_proposals(self):
        """A submitted WRSE proposal of Kota Samarinda with a dozen women, for the verifier's inbox."""
        from django.core.files.base import ContentFile

        from proposals.models import Proposal
        from proposals.services import proposal_add_people, proposal_attach_document, proposal_open, proposal_submit

        budget_year = BudgetYear.objects.get(year=2024)
        samarinda = Regency.objects.get(code="64.72")
        if Proposal.objects.filter(regency=samarinda, budget_year=budget_year, program="WRSE").exists():
            return
        proposal = proposal_open(regency=samarinda, budget_year=budget_year, program="WRSE", actor=None)
        women = list(
            Person.objects.filter(regency=samarinda, sex="P", birth_date__year__range=(1966, 2004)).order_by("id")[:12]
        )
        proposal_add_people(
            proposal=proposal, people=women, business_type=BusinessType.objects.get(name="Kue dan Roti"), actor=None
        )
        pdf = b"%PDF-1.4\n% contoh dokumen demo\n%%EOF\n"
        for field, name in (("cover_letter", "surat-pengantar.pdf"), ("minutes", "berita-acara.pdf")):
            upload = ContentFile(pdf, name=name)
            proposal_attach_document(proposal=proposal, field=field, upload=upload, actor=None)
        proposal_submit(proposal=proposal, actor=None)
