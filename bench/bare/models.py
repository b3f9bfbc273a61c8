from __future__ import annotations

from django.db import models


class Row(models.Model):
    """The portal's stories table, read as a plain table."""

    objects: models.Manager[Row]

    title = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "progress_changestory"

    def __str__(self) -> str:
        return self.title
