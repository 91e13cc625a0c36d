"""AO3's fixed canonical tags (ratings, warnings, categories, media).

The names are frozen here as tags/fixed.py listed them when this migration was written, so
later changes to that module cannot change what this migration creates.
"""

from django.db import migrations
from django.utils.text import slugify

FIXED_TAGS = [
    (
        "rating",
        [
            "Not Rated",
            "General Audiences",
            "Teen And Up Audiences",
            "Mature",
            "Explicit",
        ],
    ),
    (
        "warning",
        [
            "Creator Chose Not To Use Archive Warnings",
            "No Archive Warnings Apply",
            "Graphic Depictions Of Violence",
            "Major Character Death",
            "Rape/Non-Con",
            "Underage Sex",
        ],
    ),
    ("category", ["Gen", "F/M", "M/M", "F/F", "Multi", "Other"]),
    (
        "media",
        [
            "Anime & Manga",
            "Books & Literature",
            "Cartoons & Comics & Graphic Novels",
            "Celebrities & Real People",
            "Movies",
            "Music & Bands",
            "Other Media",
            "Theater",
            "TV Shows",
            "Video Games",
            "Uncategorized Fandoms",
        ],
    ),
]


def create_fixed_tags(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for tag_type, names in FIXED_TAGS:
        for name in names:
            slug = slugify(name, allow_unicode=True) or f"{tag_type}-{len(name)}"
            if tag_type == "category":
                slug = f"category-{slug}"
            Tag.objects.get_or_create(
                name=name, defaults={"type": tag_type, "canonical": True, "slug": slug}
            )


class Migration(migrations.Migration):
    dependencies = [("tags", "0001_initial")]
    operations = [migrations.RunPython(create_fixed_tags, migrations.RunPython.noop)]
