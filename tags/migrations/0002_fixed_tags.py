from django.db import migrations
from django.utils.text import slugify


def create_fixed_tags(apps, schema_editor):
    from tags.fixed import CATEGORIES, MEDIA, RATINGS, WARNINGS

    Tag = apps.get_model("tags", "Tag")
    for tag_type, names in (
        ("rating", RATINGS),
        ("warning", WARNINGS),
        ("category", CATEGORIES),
        ("media", MEDIA),
    ):
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
