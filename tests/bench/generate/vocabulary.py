"""What every generated row is drawn from: an original vocabulary (plain English words, no
names or phrases from any real work), the weights of media, languages and fixed tags, and
the dates and sizes the archive spans."""

import datetime as dt
from itertools import accumulate

GENERATED_EMAIL_DOMAIN = "generated.invalid"
GENERATED_PASSWORD = "generated-archive-password"
BENCH_WORK_WORDS = 6000
FULL_TEXT_WORKS = 100
FULL_TEXT_MAX_CHAPTER_WORDS = 20000
EPOCH = dt.datetime(2008, 11, 1, tzinfo=dt.UTC)
END = dt.datetime(2025, 12, 31, 23, 59, tzinfo=dt.UTC)
SPAN_SECONDS = int((END - EPOCH).total_seconds())

NOUNS = (
    "lantern river harbor garden tower winter summer letter mirror signal compass engine orchard "
    "island meadow archive window candle thunder ember feather anchor bridge canyon comet "
    "crown forest glacier hollow kettle ladder meridian needle ocean paper quarry ribbon "
    "saddle thistle valley willow atlas beacon cellar dragon falcon garnet harvest ivory "
    "jasper kingdom labyrinth marble nebula oracle pebble quartz raven sparrow tapestry "
    "umbra vessel wanderer yarrow zephyr station frontier kitchen library market storm "
    "theater voyage starlight ashes clockwork tide spiral hearth mountain moth orbit"
).split()
ADJECTIVES = (
    "silver quiet hidden broken golden distant crooked gentle hollow iron lonely midnight "
    "northern painted restless scarlet secret silent stolen tangled tender velvet wild "
    "wandering winter amber bitter bright copper crimson drowned endless faded fierce "
    "forgotten frozen gilded glass hungry last lucky narrow pale patient small strange "
    "sunlit vast wicked borrowed brave careful curious early eager final heavy honest"
).split()
VERBS = (
    "finding keeping losing mending breaking chasing building crossing dancing dreaming "
    "falling flying holding learning leaving listening making reading running saving "
    "singing sleeping staying trading waiting walking watching writing burning healing"
).split()
FIRST_NAMES = (
    "Ada Bram Cora Dax Edda Finn Greta Hale Ines Jory Kael Lina Mira Nils Orla Pim Quinn Rhea "
    "Soren Tova Ulla Vane Wren Xavi Yara Zev Alba Brin Cato Della Emrys Faye Gideon Hesper "
    "Ilse Joss Kit Lior Maren Noor Otto Petra Rook Sable Tamsin Uri Vesna Wilder Yusuf Zinnia "
    "Arlo Bex Corin Dario Elin Fenn Galen Hollis Isla Juno Keir Lark Milo Nadia Oren Piper"
).split()
LAST_NAMES = (
    "Ashdown Blackwood Carrow Dunmore Everly Fairweather Greenhill Hawthorne Ironside "
    "Juniper Kestrel Larkspur Marlowe Northcott Oakley Pennywhistle Quill Ravensworth "
    "Stonebridge Thornbury Underhill Vale Whitlock Yarrow Zelenko Abernathy Brightwater "
    "Coldharbour Driftwood Emberly Foxglove Gallowmere Holloway Inglewood Jessamine Kingsley "
    "Lockhart Moorcroft Nettlefield Orchard Pemberton Quarrington Rosewood Silverton Tanager"
).split()
FILLER = (
    "the a an and but or so then when while after before because though if as of in on at "
    "to from with without over under between through into across near far again always "
    "never often soon still already only just even also very quite rather almost perhaps "
    "she he they we you it her his their our its this that these those there here"
).split()
VOCABULARY = (
    NOUNS
    + ADJECTIVES
    + VERBS
    + FILLER
    + FILLER
    + (
        "said asked looked turned waited laughed smiled whispered carried opened closed knew "
        "thought remembered wanted found left came went took gave held kept stood sat walked "
        "light dark cold warm long short old new first last small great little other same "
        "door hand voice room house road night morning evening day year time way world life "
        "eyes heart face name word story question answer silence sound rain snow wind fire"
    ).split()
)

MEDIA_WEIGHTS = {
    "TV Shows": 22,
    "Anime & Manga": 18,
    "Books & Literature": 16,
    "Movies": 12,
    "Video Games": 12,
    "Cartoons & Comics & Graphic Novels": 8,
    "Celebrities & Real People": 4,
    "Music & Bands": 3,
    "Theater": 2,
    "Other Media": 2,
    "Uncategorized Fandoms": 1,
}
LANGUAGE_WEIGHTS = {
    "en": 880,
    "zh": 30,
    "es": 20,
    "ru": 15,
    "fr": 10,
    "pt-BR": 8,
    "de": 8,
    "it": 6,
    "ja": 5,
    "ko": 4,
    "pl": 4,
    "id": 3,
    "vi": 3,
    "tr": 2,
    "nl": 2,
}
RATING_WEIGHTS = {
    "General Audiences": 30,
    "Teen And Up Audiences": 28,
    "Mature": 15,
    "Explicit": 17,
    "Not Rated": 10,
}
WARNING_WEIGHTS = {
    "No Archive Warnings Apply": 52,
    "Creator Chose Not To Use Archive Warnings": 30,
    "Graphic Depictions Of Violence": 10,
    "Major Character Death": 5,
    "Rape/Non-Con": 2,
    "Underage Sex": 1,
}
CATEGORY_WEIGHTS = {"M/M": 30, "Gen": 25, "F/M": 20, "F/F": 10, "Multi": 10, "Other": 5}
AU_SETTINGS = (
    "Modern Setting",
    "Coffee Shops & Cafés",
    "College/University",
    "Space",
    "Fantasy",
    "Canon Divergence",
    "Soulmates",
    "Royalty",
    "Pirates",
    "High School",
    "Post-Apocalypse",
    "Mermaids",
)


def zipf_cum_weights(n: int, exponent: float, offset: float = 1.0) -> list[float]:
    return list(accumulate(1.0 / (rank + offset) ** exponent for rank in range(n)))
