"""The works app's admin screens: works, chapters, series, collections and stats (`works`),
comments (`comments`). Django's admin autodiscovery imports this package; importing the
modules registers their screens."""

from works.admin import comments, works

__all__ = ["comments", "works"]
