from django.db import models
from django.utils.translation import gettext_lazy as _


class DumpFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSON = "json", "JSON"


class OpenDataDump(models.Model):
    """One generated file of the open dataset, kept in the default (public) storage."""

    format = models.CharField(_("format"), max_length=4, choices=DumpFormat.choices)
    file = models.FileField(_("file"), max_length=255)
    records = models.PositiveIntegerField(_("records"))
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        verbose_name = _("open data file")
        verbose_name_plural = _("open data files")
        indexes = [models.Index(fields=["format", "-generated_at"], name="opendata_latest_idx")]

    def __str__(self) -> str:
        return self.file.name
