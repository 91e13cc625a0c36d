"""Page builders: what each page shows, built from the visibility API (works.models.visibility)."""
