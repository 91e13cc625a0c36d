"""The generated users: N/10 of them, prolific creators rarer than occasional ones."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models

from archive.models import Pseud
from tests.bench.generate.sinks import Sink, Table
from tests.bench.generate.vocabulary import (
    ADJECTIVES,
    EPOCH,
    GENERATED_EMAIL_DOMAIN,
    GENERATED_PASSWORD,
    NOUNS,
    SPAN_SECONDS,
    zipf_cum_weights,
)


class UserPool:
    """New users with ids after the highest, built in memory; works draw their creators from
    `creator_pool` with `creator_cw` (a few very prolific, many with one or two works)."""

    def __init__(self, *, rng: random.Random, n_works: int, seed: int):
        User = get_user_model()
        start = (User.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        user_ids = list(range(start, start + max(10, n_works // 10)))
        password = make_password(GENERATED_PASSWORD, salt=f"generated{seed}")
        self.rows: list[tuple] = []
        self.usernames: dict[int, str] = {}
        # Each user's default pseud (named as the login, as archive.models.pseuds makes it):
        # works are posted under it (work_rows' creator rows).
        pseud_start = (Pseud.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.pseud_ids: dict[int, int] = {}
        self.pseud_rows: list[tuple] = []
        for user_id in user_ids:
            username = f"{rng.choice(ADJECTIVES)}{rng.choice(NOUNS)}{user_id}"
            self.usernames[user_id] = username
            joined = EPOCH + dt.timedelta(seconds=rng.randrange(SPAN_SECONDS))
            email = f"{username}@{GENERATED_EMAIL_DOMAIN}"
            self.rows.append((user_id, password, username, email, False, False, True, joined))
            pseud_id = pseud_start + len(self.pseud_rows)
            self.pseud_ids[user_id] = pseud_id
            self.pseud_rows.append((pseud_id, user_id, username, True, joined))
        self.creator_pool = user_ids[:]
        rng.shuffle(self.creator_pool)
        self.creator_cw = zipf_cum_weights(len(self.creator_pool), 0.8, offset=10)

    def write(self, sink: Sink) -> None:
        fields = [
            "id",
            "password",
            "username",
            "email",
            "is_superuser",
            "is_staff",
            "is_active",
            "date_joined",
        ]
        sink.write(Table(get_user_model(), fields), self.rows)
        pseud_fields = ["id", "user", "name", "is_default", "created_at"]
        sink.write(Table(Pseud, pseud_fields), self.pseud_rows)
