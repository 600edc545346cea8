"""Where uploads live: local disk (MEDIA_ROOT) by default, S3-compatible object storage (MinIO, AWS, the
province's own) when MEDIA_STORAGE_URL is set. Imported by the settings, so no Django models here.

    MEDIA_STORAGE_URL=s3://kubeprogram-media/produksi?endpoint_url=https://s3.kaltimprov.go.id&region_name=id-1

Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (never in the URL, so it can be logged). Every
object is private: the app streams a file only after the scope check of the page that shows it, and never hands
out the bucket's address; a signed URL (querystring auth, 5 minutes) is all the storage would give if asked."""

from urllib.parse import parse_qsl, urlsplit

# The options that may be given in the URL's query, and their types.
_OPTIONS = {"endpoint_url": str, "region_name": str, "addressing_style": str, "signature_version": str}


def media_storage(url: str) -> dict:
    """The STORAGES["default"] entry for MEDIA_STORAGE_URL. Raises ValueError naming what is wrong."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ValueError(f"MEDIA_STORAGE_URL harus dimulai dengan s3://, bukan {parts.scheme or '(kosong)'}://")
    if not parts.hostname:
        raise ValueError("MEDIA_STORAGE_URL tanpa nama bucket: s3://NAMA-BUCKET/awalan")
    if parts.username or parts.password:
        raise ValueError("Jangan tulis kunci akses di MEDIA_STORAGE_URL; pakai AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
    options = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    for key, value in parse_qsl(parts.query, keep_blank_values=False):
        if key not in _OPTIONS:
            raise ValueError(f"MEDIA_STORAGE_URL: pilihan {key!r} tidak dikenal (yang dikenal: {', '.join(_OPTIONS)})")
        options[key] = _OPTIONS[key](value)
    return {"BACKEND": "core.media_s3.ObjectMedia", "OPTIONS": options}
