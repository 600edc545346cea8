"""Work that may outlast a request (a large export, a large import): run by a Celery worker, or inline without a
broker; its progress and its result are kept for the user who asked."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        WAITING = "menunggu", _("Menunggu")
        RUNNING = "berjalan", _("Berjalan")
        DONE = "selesai", _("Selesai")
        FAILED = "gagal", _("Gagal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("pekerjaan"), max_length=200)
    function = models.CharField(max_length=200)  # the dotted path of the job function (jobs.registry)
    params = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("keterangan"), blank=True)
    result = models.FileField(_("hasil"), upload_to="jobs/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    back_url = models.CharField(max_length=500, blank=True)
    result_url = models.CharField(max_length=500, blank=True)  # the page that shows the result (an import's check)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The runner's proof of life (jobs.services.Heartbeat) and how many times the job was started.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="job_user_idx"),
            # the sweep: unfinished jobs only
            models.Index(
                fields=["status", "heartbeat_at"],
                name="job_unfinished_idx",
                condition=models.Q(status__in=["menunggu", "berjalan"]),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
