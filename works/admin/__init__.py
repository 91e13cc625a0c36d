"""The works app's admin screens: works, chapters, series, collections and stats (`works`),
comments (`comments`), pseuds and former logins (`pseuds`), gifts (`gifts`), co-creator
invitations (`creatorships`), archive imports and the old accounts waiting to be claimed
(`archive_imports`), challenges and tag sets (`challenges`, issue 20). Django's admin
autodiscovery imports this package; importing the modules registers their screens."""

from works.admin import archive_imports, challenges, comments, creatorships, gifts, pseuds, works

__all__ = ["archive_imports", "challenges", "comments", "creatorships", "gifts", "pseuds", "works"]
