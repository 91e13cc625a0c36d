"""The works app's admin screens: works, chapters, series, collections and stats (`works`),
comments (`comments`), pseuds and former logins (`pseuds`), gifts (`gifts`), co-creator
invitations (`creatorships`). Django's admin autodiscovery imports this package; importing the
modules registers their screens."""

from works.admin import comments, creatorships, gifts, pseuds, works

__all__ = ["comments", "creatorships", "gifts", "pseuds", "works"]
