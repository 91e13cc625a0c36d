"""The works app's admin screens: works, chapters, series, collections and stats (`works`),
comments (`comments`), pseuds and former logins (`pseuds`). Django's admin autodiscovery
imports this package; importing the modules registers their screens."""

from works.admin import comments, pseuds, works

__all__ = ["comments", "pseuds", "works"]
