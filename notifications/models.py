"""Notifications (pemberitahuan): an event that needs someone, for that person, unread until opened."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("pemberitahuan"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=100)  # what it is about, so one event notifies a person once
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]
        indexes = [
            models.Index(fields=["user", "created_at"], name="notification_user_idx"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self):
        return self.text
