from django.conf import settings
from django.db import models


class StudiedObjective(models.Model):
    """A learner has read an objective's note and marked it studied."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studied_objectives")
    objective = models.ForeignKey("content.Objective", on_delete=models.CASCADE, related_name="studied_marks")
    studied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "objective"], name="studied_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} studied {self.objective.code}"
