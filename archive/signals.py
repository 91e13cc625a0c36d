"""What archive tells the other apps about users. Sent with `sender=User`, synchronously,
inside the service's transaction: a receiver's writes commit or roll back with it.

works answers both (works/services/moderation.py): a ban hides the user's works, a lifted ban
shows again the works it hid.
"""

from django.dispatch import Signal

# A moderator suspended or banned a user: `sanction` (a UserSanction), `moderator`.
user_sanctioned = Signal()

# A moderator lifted a suspension or ban: `sanction`, `moderator`.
sanction_lifted = Signal()
