"""Uploads on S3-compatible storage (MEDIA_STORAGE_URL): the objects land in the bucket, private, not on the
app server's disk; the app streams each one only after its page's scope check, as it does from local disk. The
bucket is moto's in-memory S3, so no network is needed."""

import datetime

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws

from complaints import services as complaints
from core.storage import media_storage
from jobs.models import Job
from jobs.services import job_run
from regions.models import Regency
from tests.factories import AdminProvinsiFactory, ApprovedItemFactory, OperatorFactory

BUCKET = "kube-media"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def test_the_storage_url_reads_bucket_prefix_and_endpoint():
    storage = media_storage("s3://kube-media/produksi/?endpoint_url=https://s3.kaltimprov.go.id&region_name=id-1")
    assert storage["BACKEND"] == "core.media_s3.ObjectMedia"  # S3Storage, keeping files with their rows
    assert storage["OPTIONS"] == {
        "bucket_name": "kube-media", "location": "produksi", "default_acl": "private", "querystring_auth": True,
        "querystring_expire": 300, "file_overwrite": False, "endpoint_url": "https://s3.kaltimprov.go.id",
        "region_name": "id-1",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://kube-media/", "harus dimulai dengan s3://, bukan https://"),
        ("s3:///produksi", "tanpa nama bucket"),
        ("s3://KEY:SECRET@kube-media/", "Jangan tulis kunci akses"),
        ("s3://kube-media/?acl=public-read", "pilihan 'acl' tidak dikenal"),
    ],
)
def test_a_wrong_storage_url_is_refused_at_start_with_what_is_wrong(url, message):
    with pytest.raises(ValueError, match=message):
        media_storage(url)


@pytest.fixture
def bucket(settings, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "uji")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "uji")
    settings.MEDIA_ROOT = tmp_path  # must stay empty
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": media_storage(f"s3://{BUCKET}/uji?region_name=us-east-1")}
        yield s3
    assert not any(tmp_path.iterdir()), "nothing is written to the app server's disk"


def _keys(s3) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.mark.django_db
def test_an_attachment_is_kept_in_the_bucket_privately_and_streamed_only_within_scope(bucket, client):
    data = {"received_on": datetime.date(2026, 11, 27), "channel": "telepon", "complainant_name": "Pak Rahman",
            "complainant_contact": "0812", "category": "barang", "complexity": "sederhana",
            "description": "Kompor rusak", "regency": Regency.objects.get(code="64.72")}  # fmt: skip
    complaint = complaints.complaint_record(data=data, actor=None)
    attachment = complaints.complaint_attach(
        complaint=complaint, upload=SimpleUploadedFile("surat.pdf", PDF), actor=None
    )
    key = f"uji/{attachment.file.name}"
    assert _keys(bucket) == [key]
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only: no public read

    url = reverse("complaints:attachment_file", args=[attachment.pk])
    client.force_login(OperatorFactory())  # Kota Samarinda, the complaint's regency
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store" and BUCKET not in response.get("Location", "")
    client.force_login(OperatorFactory(regency=Regency.objects.get(code="64.01")))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_background_jobs_file_is_kept_in_the_bucket_for_the_user_who_asked(bucket, client):
    ApprovedItemFactory()
    admin = AdminProvinsiFactory()
    job = Job.objects.create(user=admin, title="BNBA", function="reports.jobs.bnba_workbook",
                             params={"year": 2024, "program": "WRSE"})  # fmt: skip
    job = job_run(job.pk)
    assert job.status == "selesai" and _keys(bucket) == [f"uji/{job.result.name}"]
    client.force_login(admin)
    response = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"  # an .xlsx
    client.force_login(AdminProvinsiFactory())
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404
