"""Reusable reads over tags."""

from django.db import models


class TagQuerySet(models.QuerySet):
    def of_type(self, tag_type):
        return self.filter(type=tag_type)

    def canonical(self):
        return self.filter(canonical=True)

    def search(self, prefix):
        return self.filter(name__istartswith=prefix)
