import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from beneficiaries import duplicates, synthetic
from beneficiaries.models import KubeGroup, MemberRole, Person
from beneficiaries.services import kube_group_create, kube_member_add
from kubeprogram.management import demo
from kubeprogram.management.demo import SCAN, current_year, decide, one_unit, set_ceilings, submit
from kubeprogram.management.demo_register import seed_register, seed_retention_demo
from programs.models import BudgetYear, BusinessType
from programs.services import budget_year_create
from proposals.models import ProposalItem, ProposedPerson
from regions.models import Regency

DEMO_PASSWORD = "demo-kaltim-2024"
DEMO_PEOPLE = 400


# Catalogue of goods the office typically buys, with plausible 2024 prices in Samarinda (Rupiah).
DEMO_GOODS = [
    ("Mesin Jahit Portable", "unit", 2_150_000, "Mesin jahit listrik portable, 12 pola jahitan"),
    ("Mesin Obras (Overlock)", "unit", 3_400_000, "Overlock 4 benang, motor 250 W"),
    ("Kompor Gas 2 Tungku + Tabung 3 kg", "set", 850_000, "Kompor 2 tungku, selang, regulator, tabung 3 kg"),
    ("Blender", "unit", 450_000, "Blender 1,5 liter, 350 W"),
    ("Oven Gas", "unit", 1_750_000, "Oven gas 2 rak, termometer"),
    ("Mixer Roti", "unit", 600_000, "Mixer tangan dan duduk 300 W"),
    ("Gerobak Dagang", "unit", 3_500_000, "Gerobak kayu dengan kaca, roda karet"),
    ("Etalase Kaca", "unit", 1_600_000, "Etalase aluminium 1 m"),
    ("Jaring Ikan", "buah", 1_200_000, "Jaring insang nilon, 100 m"),
    ("Cool Box 100 Liter", "unit", 1_150_000, "Kotak pendingin ikan"),
    ("Loyang dan Peralatan Kue", "paket", 400_000, "Loyang, cetakan, timbangan, spatula"),
    ("Kulkas 1 Pintu", "unit", 2_300_000, "Lemari es 150 liter"),
]
DEMO_PACKAGES = [
    ("Paket Usaha Kue dan Roti (WRSE)", "WRSE", "Kue dan Roti",
     [("Oven Gas", 1), ("Mixer Roti", 1), ("Kompor Gas 2 Tungku + Tabung 3 kg", 1), ("Loyang dan Peralatan Kue", 2)]),
    ("Paket Menjahit (WRSE)", "WRSE", "Menjahit / Konveksi",
     [("Mesin Jahit Portable", 1), ("Mesin Obras (Overlock)", 1)]),
    ("Paket Warung Sembako (WRSE)", "WRSE", "Warung Sembako", [("Etalase Kaca", 1), ("Kulkas 1 Pintu", 1)]),
    ("Paket Usaha Kue dan Roti (KUBE)", "KUBE", "Kue dan Roti",
     [("Oven Gas", 3), ("Mixer Roti", 3), ("Kompor Gas 2 Tungku + Tabung 3 kg", 3), ("Loyang dan Peralatan Kue", 5),
      ("Kulkas 1 Pintu", 1), ("Etalase Kaca", 2), ("Gerobak Dagang", 1)]),
    ("Paket Perikanan Tangkap (KUBE)", "KUBE", "Perikanan Tangkap",
     [("Jaring Ikan", 8), ("Cool Box 100 Liter", 5), ("Kompor Gas 2 Tungku + Tabung 3 kg", 2)]),
]  # fmt: skip
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
    help = (
        "Mengisi data demo (Tahun Anggaran 2024 yang sudah ditutup, tahun anggaran berjalan, dan satu pengguna per "
        "peran). Idempoten; ditolak di produksi."
    )

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
            if not BudgetYear.objects.filter(year=current_year()).exists():
                budget_year_create(
                    data={
                        "year": current_year(),
                        "total_ceiling": Decimal("6500000000"),
                        "funding_source": "APBD Provinsi Kalimantan Timur",
                        "status": BudgetYear.Status.OPEN,
                        "wrse_package_value": Decimal("5000000"),
                        "kube_package_value": Decimal("25000000"),
                    },
                    actor=None,
                )
            # The demo's few records per regency would all read "data belum cukup" at the default minimum of 10: its
            # scorecard judges from 3 (the budget year's setting), and the current year has a proposal deadline.
            BudgetYear.objects.filter(year__in=[2024, current_year()], scorecard_min_count=10).update(
                scorecard_min_count=3
            )
            BudgetYear.objects.filter(year=current_year(), proposal_deadline=None).update(
                proposal_deadline=datetime.date(current_year(), 3, 31)
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
            self._seed_budget()
            self._seed_training()
            self._seed_monitoring()
            self._seed_complaints()
            demo.seed_current_season()
            demo.close_2024()
            seed_register()  # two quarters of a synthetic DTSEN extract
            seed_retention_demo()  # a staged workbook past its retention period
            duplicates.scan()  # the review page's groups, as the nightly scan would leave them

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
        """A submitted WRSE proposal of Kota Bontang with eight women in the current year, for the verifier's inbox
        (Samarinda's proposal of the year is the one played through in _seed_current_season)."""
        from proposals.models import Proposal
        from proposals.services import proposal_add_people, proposal_open

        budget_year = BudgetYear.objects.get(year=current_year())
        bontang = Regency.objects.get(code="64.74")
        if Proposal.objects.filter(regency=bontang, budget_year=budget_year, program="WRSE").exists():
            return
        proposal = proposal_open(regency=bontang, budget_year=budget_year, program="WRSE", actor=None)
        proposed = ProposedPerson.objects.filter(person=OuterRef("pk"))
        women = list(
            Person.objects.filter(regency=bontang, sex="P", birth_date__year__range=(1966, 2004))
            .exclude(kube_memberships__isnull=False)  # a KUBE group's members are proposed for KUBE
            .exclude(Exists(proposed))  # not again after an earlier year's aid
            .order_by("-id")[:8]
        )
        proposal_add_people(
            proposal=proposal, people=women, business_type=BusinessType.objects.get(name="Kue dan Roti"), actor=None
        )
        submit(proposal)

    def _seed_budget(self):
        """Goods, packages, ceilings of eight regencies (Mahakam Ulu and Penajam Paser Utara not yet
        running), approved WRSE proposals of six regencies, an approved KUBE group, and allocations, so the
        budget pages show real figures."""
        from disbursements.models import GoodsItem
        from disbursements.services import allocations_create, goods_item_save, package_lines, package_save
        from programs.models import Ceiling
        from proposals.models import ItemStatus, Proposal
        from proposals.services import (
            items_decide,
            proposal_add_groups,
            proposal_add_people,
            proposal_finish_review,
            proposal_open,
        )

        if GoodsItem.objects.exists():
            return
        budget_year = BudgetYear.objects.get(year=2024)
        goods = {
            name: goods_item_save(
                data={"name": name, "unit": unit, "unit_price": Decimal(price), "specification": spec}, actor=None
            )
            for name, unit, price, spec in DEMO_GOODS
        }
        packages = {}
        for name, program, business_type, lines in DEMO_PACKAGES:
            packages[name] = package_save(
                data={"name": name, "program": program, "business_type": BusinessType.objects.get(name=business_type)},
                lines=[(goods[g], q) for g, q in lines],
                actor=None,
            )

        cake = BusinessType.objects.get(name="Kue dan Roti")
        for code in ("64.71", "64.01", "64.02", "64.03", "64.08", "64.74"):
            regency = Regency.objects.get(code=code)
            if Proposal.objects.filter(regency=regency, budget_year=budget_year, program="WRSE").exists():
                continue
            proposal = proposal_open(regency=regency, budget_year=budget_year, program="WRSE", actor=None)
            women = (
                Person.objects.filter(regency=regency, sex="P", birth_date__year__range=(1970, 2003))
                .exclude(kube_memberships__isnull=False)
                .order_by("id")
            )
            items = proposal_add_people(proposal=proposal, people=list(women[:8]), business_type=cake, actor=None)
            submit(proposal)
            decide(proposal, items)
        samarinda = Regency.objects.get(code="64.72")
        group = KubeGroup.objects.filter(regency=samarinda, name="KUBE Tepian Sejahtera").first()
        # (An older demo database may already hold its members in the WRSE proposal: then no KUBE one.)
        if (
            group is not None
            and not ProposedPerson.objects.filter(
                budget_year=budget_year, person__kube_memberships__group=group
            ).exists()
        ):
            proposal = proposal_open(regency=samarinda, budget_year=budget_year, program="KUBE", actor=None)
            items = proposal_add_groups(proposal=proposal, groups=[group], actor=None)
            submit(proposal)
            items_decide(proposal=proposal, items=items, decision=ItemStatus.APPROVED, reason="", actor=None)
            proposal_finish_review(proposal=proposal, actor=None)

        set_ceilings(budget_year)
        wrse_package = packages["Paket Usaha Kue dan Roti (WRSE)"]
        for code in ("64.71", "64.02", "64.74"):
            approved = ProposalItem.objects.filter(
                proposal__regency=code, proposal__budget_year=budget_year, status=ItemStatus.APPROVED
            ).order_by("id")[:4]
            if approved and Ceiling.objects.filter(budget_year=budget_year, regency=code, program="WRSE").exists():
                allocations_create(
                    item_ids=[item.pk for item in approved], lines=package_lines(wrse_package), package=wrse_package,
                    actor=None,
                )  # fmt: skip
        kube_item = ProposalItem.objects.filter(group__isnull=False, status=ItemStatus.APPROVED).first()
        if kube_item is not None:
            kube_package = packages["Paket Usaha Kue dan Roti (KUBE)"]
            allocations_create(
                item_ids=[kube_item.pk], lines=package_lines(kube_package), package=kube_package, actor=None
            )

    def _seed_training(self):
        """A Bimtek session in Kota Balikpapan and Kutai Kartanegara with attendance, and BASTs for some of
        the allocated recipients who attended, so the Bimtek, BAST and realised figures show something."""
        from disbursements.models import Allocation
        from disbursements.services import handover_attach, handover_create
        from training.models import TrainingSession
        from training.services import attendance_mark, participants_invite, session_save

        if TrainingSession.objects.exists():
            return
        budget_year = BudgetYear.objects.get(year=2024)
        for code, day in (("64.71", 15), ("64.02", 22)):
            regency = Regency.objects.get(code=code)
            session = session_save(
                data={
                    "budget_year": budget_year,
                    "program": "WRSE",
                    "regency": regency,
                    "topic": "Penggunaan barang bantuan",
                    "start_date": datetime.date(2024, 7, day),
                    "end_date": datetime.date(2024, 7, day),
                    "venue": f"Aula Dinas Sosial {regency}",
                    "facilitators": "Bidang Pemberdayaan Sosial Dinsos Kaltim",
                    "capacity": 40,
                },
                actor=None,
            )
            approved = ProposalItem.objects.filter(
                proposal__regency=regency,
                proposal__budget_year=budget_year,
                proposal__program="WRSE",
                status="approved",
            ).values_list("pk", flat=True)
            attendances = participants_invite(session=session, item_ids=list(approved), actor=None)
            for n, attendance in enumerate(attendances):
                status = "absent" if n == len(attendances) - 1 else ("excused" if n == 4 else "present")
                attendance_mark(attendance=attendance, status=status, actor=None)
            allocated = list(Allocation.objects.filter(regency=regency, status="active").order_by("pk")[:2])
            # The demo replays the 2024 season: its goods were allocated before July's Bimtek and August's BASTs.
            Allocation.objects.filter(regency__in=["64.71", "64.02", "64.74"]).update(
                created_at=timezone.make_aware(datetime.datetime(2024, 7, 1, 9))
            )
            for n, allocation in enumerate(allocated):
                handover = handover_create(
                    allocation=allocation,
                    data={
                        "handed_over_on": datetime.date(2024, 8, day),
                        "place": f"Kantor Dinas Sosial {regency}",
                        # The province's verifier hands the goods over (the demo user `verifikator`).
                        "first_party_name": "Budi Santoso, S.Sos.",
                        "first_party_nip": "",
                        "first_party_position": "Verifikator Program, Dinas Sosial Provinsi Kalimantan Timur",
                        "witness_name": "Dra. Hj. Nurul Hidayah, M.Si.",
                        "witness_nip": "",
                        "witness_position": f"Kepala Dinas Sosial {regency}",
                    },
                    actor=None,
                )
                if n == 0:  # the signed BAST came back and was scanned; the other still waits for its scan
                    scan = SimpleUploadedFile("bast.pdf", SCAN, content_type="application/pdf")
                    handover_attach(handover=handover, field="signed_scan", upload=scan, actor=None)

    def _seed_monitoring(self):
        """Monitoring after the 2024 BASTs (Balikpapan and Kutai Kartanegara): visits at 3, 6 and 12 months for one
        recipient who then graduated, fewer for the others (some overdue, one with a sold machine), turnover
        thresholds, and a verification sample of Balikpapan, so the worklist, graduation and dashboard show
        something."""
        from disbursements.models import Handover
        from monitoring import schedule, services
        from monitoring.models import Visit

        if Visit.objects.exists():
            return
        budget_year = BudgetYear.objects.get(year=2024)
        services.thresholds_save(
            budget_year=budget_year,
            values={"64.71": Decimal("2000000"), "64.02": Decimal("1500000"), "64.72": Decimal("2000000")},
            actor=None,
        )
        handovers = list(Handover.objects.delivered().filter(budget_year=budget_year).order_by("regency_id", "pk"))
        plans = {  # per handover (by position): {month: (status, turnover, net income, sold?)}
            0: {3: ("berjalan", 1_200_000, 350_000, False), 6: ("berjalan", 1_600_000, 500_000, False)},
            1: {3: ("berhenti_sementara", 300_000, 50_000, False), 6: ("berhenti_sementara", 0, 0, True)},
            2: {
                3: ("berjalan", 1_500_000, 450_000, False),
                6: ("berkembang", 2_200_000, 700_000, False),
                12: ("berkembang", 3_100_000, 1_000_000, False),
            },
            3: {3: ("berjalan", 900_000, 200_000, False)},
        }
        for index, handover in enumerate(handovers):
            for month, (status, turnover, income, sold) in plans.get(index, {}).items():
                lines = list(handover.lines.select_related("goods"))
                goods = {line.pk: "dipakai" for line in lines}
                if sold:  # the oven, as the visit's note says
                    oven = next((line for line in lines if line.goods.name.startswith("Oven")), lines[0])
                    goods[oven.pk] = one_unit(oven, "dijual", "dipakai")
                services.visit_record(
                    handover=handover,
                    data={
                        "due_month": month,
                        "visited_on": schedule.due_on(handover.handed_over_on, month) + datetime.timedelta(days=6),
                        "visitor_name": "Andi Pratama" if handover.regency_id == "64.71" else "Pendamping Sosial",
                        "mode": "kunjungan" if month != 6 else "telepon",
                        "business_status": status,
                        "turnover": Decimal(turnover),
                        "net_income": Decimal(income),
                        "workers": 2 if turnover > 2_000_000 else 1,
                        # The demo's BASTs are cake packages (oven, mixer, stove …): the oven was sold.
                        "problems": "Oven gas dijual untuk biaya berobat." if sold else "",
                        "follow_up": "Dilaporkan ke Dinsos kabupaten." if sold else "",
                    },
                    goods=goods,
                    actor=None,
                )
        graduate = handovers[2] if len(handovers) > 2 else None
        if graduate is not None:
            assessment = services.assessment_save(
                handover=graduate,
                assessor_scores={},
                decision="lulus",
                note="Usaha menjahit berkembang; omzet di atas ambang kabupaten/kota.",
                submit=True,
                actor=None,
            )
            services.assessment_review(assessment=assessment, approve=True, actor=None)
            sample = services.sample_draw(
                budget_year=budget_year,
                regency=graduate.regency,
                method="semua",
                confidence=None,
                margin=None,
                actor=None,
            )
            first = sample.results.select_related("handover").order_by("position").first()
            services.verification_record(
                result=first,
                data={"outcome": "sesuai", "checked_on": first.handover.handed_over_on + datetime.timedelta(days=30)},
                actor=None,
            )

    def _seed_complaints(self):
        """A few complaints of Kota Balikpapan at each step, one of them about extortion (sensitive)."""
        from complaints import services
        from complaints.models import Complaint

        if Complaint.objects.exists():
            return
        balikpapan = Regency.objects.get(code="64.71")
        today = timezone.localdate()
        plans = [
            ("whatsapp", "belum_diterima", "Tetangga saya terdaftar penerima tetapi mesin jahitnya belum datang.", []),
            ("telepon", "barang", "Kompor yang diterima tidak menyala sejak hari pertama.",
             [("ditindaklanjuti", "Dijadwalkan cek ke rumah penerima pekan ini.", True)]),
            ("langsung", "tidak_tepat_sasaran", "Penerima di RT 05 memiliki toko besar; mohon diperiksa.",
             [("ditindaklanjuti", "Pendamping memeriksa ke lokasi.", False),
              ("selesai", "Hasil pemeriksaan: penerima memenuhi syarat (desil 1).", True)]),
            ("web", "pungli", "Ada oknum meminta uang Rp300.000 agar nama dimasukkan ke daftar.", []),
        ]  # fmt: skip
        for days_ago, (channel, category, description, steps) in zip((2, 9, 30, 4), plans, strict=True):
            complaint = services.complaint_record(
                data={
                    "received_on": today - datetime.timedelta(days=days_ago),
                    "channel": channel,
                    "anonymous": channel == "web",
                    "complainant_name": "" if channel == "web" else "Warga Balikpapan Selatan",
                    "category": category,
                    "complexity": "cek_lapangan" if category == "tidak_tepat_sasaran" else "sederhana",
                    "description": description,
                    "regency": balikpapan,
                },
                actor=None,
            )
            for status, note, public in steps:
                outcome = "tidak_terbukti" if status == "selesai" else ""
                services.complaint_step(
                    complaint=complaint, status=status, note=note, public=public, outcome=outcome, actor=None
                )
