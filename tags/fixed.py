"""AO3's fixed canonical tag sets and media, created by a data migration."""

RATINGS = [
    "Not Rated",
    "General Audiences",
    "Teen And Up Audiences",
    "Mature",
    "Explicit",
]
WARNINGS = [
    "Creator Chose Not To Use Archive Warnings",
    "No Archive Warnings Apply",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "Rape/Non-Con",
    "Underage Sex",
]
CATEGORIES = ["Gen", "F/M", "M/M", "F/F", "Multi", "Other"]
MEDIA = [
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
]

# Ratings behind the adult-content notice.
ADULT_RATINGS = {"Not Rated", "Mature", "Explicit"}
DEFAULT_RATING = "Not Rated"
DEFAULT_WARNING = "Creator Chose Not To Use Archive Warnings"

# The CSS symbol classes of AO3's blurbs (ul.required-tags).
RATING_CLASSES = {
    "General Audiences": "rating-general-audience",
    "Teen And Up Audiences": "rating-teen",
    "Mature": "rating-mature",
    "Explicit": "rating-explicit",
    "Not Rated": "rating-notrated",
}
CATEGORY_CLASSES = {
    "Gen": "category-gen",
    "F/M": "category-het",
    "M/M": "category-slash",
    "F/F": "category-femslash",
    "Multi": "category-multi",
    "Other": "category-other",
}
