"""Demo content for issue 20, part 5: a prompt meme with prompts (one anonymous), claims and a
fill, so /collections/harbour_prompts/prompts, a prompt's page, /users/demo_author/claims and
"In response to a prompt by ..." on a work have something to show. Every prompt and story
here was written for this project."""

from tags.models import TagType
from tags.services import tag_resolve
from works.demo.content import STARFALL, VELL, create_work, demo_tags
from works.models import Challenge, Collection, Prompt, Signup
from works.services.prompt_claims import claim_add, claim_fill

MEME_NAME = "harbour_prompts"

# (title, description, fandom, characters, additional tags, anonymous)
MEME_PROMPTS = [
    (
        "The lamp that will not go out",
        "The keepers try everything to put out a lamp that keeps burning **after** the oil "
        "runs dry. Comedy or quiet horror, your choice.",
        VELL,
        ["Ysolde Marr", "Tobin Ashe"],
        ["Humour"],
        False,
    ),
    (
        "Letters left in the tide pool",
        "Someone keeps leaving letters where only the low tide can reach them.",
        VELL,
        ["Tobin Ashe"],
        ["Epistolary"],
        True,
    ),
    (
        "Exam week, but the stars are wrong",
        "The night before the navigation exam, every constellation has moved one hand west.",
        STARFALL,
        ["Renna Holt", "Ilse Varga"],
        [],
        False,
    ),
]

FILL_BODY = (
    "Ysolde had tried sand, then seawater, then a very stern talking-to.\n\n"
    "The lamp listened politely to all three and went on burning.\n\n"
    "“It's showing off,” said Tobin from the stairs. “Ignore it and it'll get bored.”\n\n"
    "They ignored it for a whole week. On the eighth night it dimmed, just a little, as if "
    "to ask whether they were still cross, and Ysolde laughed so hard she had to sit down."
)


def load_prompt_meme(*, owner, prompters, claimer):
    """The meme (run by `owner`), the prompts of `prompters` (in turn), `claimer`'s claims of
    the first two prompts, and a work of `claimer`'s filling the first one."""
    collection = Collection.objects.create(
        name=MEME_NAME,
        title="Harbour Prompts",
        owner=owner,
        description="A prompt meme: leave a prompt, claim one, fill it with a story.",
    )
    meme = Challenge.objects.create(
        collection=collection,
        kind=Challenge.Kind.PROMPT_MEME,
        request_instructions="One prompt per comment-sized idea; tag at least the fandom.",
    )
    prompts = []
    for index, (title, description, fandom, characters, extra, anonymous) in enumerate(
        MEME_PROMPTS
    ):
        user = prompters[index % len(prompters)]
        signup, _created = Signup.objects.get_or_create(
            challenge=meme, user=user, defaults={"pseud": user.pseuds.get(is_default=True)}
        )
        prompt = Prompt.objects.create(
            signup=signup,
            challenge=meme,
            side=Prompt.Side.REQUEST,
            position=signup.prompts.count() + 1,
            title=title,
            description=description,
            anonymous=anonymous,
        )
        tags = [tag_resolve(fandom, TagType.FANDOM)]
        tags += [tag_resolve(name, TagType.CHARACTER) for name in characters]
        tags += [tag_resolve(name, TagType.FREEFORM) for name in extra]
        prompt.tags.set(tags)
        prompts.append(prompt)
    filled = claim_add(user=claimer, prompt=prompts[0])
    claim_add(user=claimer, prompt=prompts[1])
    work = create_work(
        creator=claimer,
        fields={"title": "Stubborn Light", "summary": "A lamp with opinions."},
        tag_names=demo_tags(
            "General Audiences",
            ["No Archive Warnings Apply"],
            [VELL],
            characters=["Ysolde Marr", "Tobin Ashe"],
            extra=["Humour"],
        ),
        chapter={"body": FILL_BODY},
        collections=[collection],
    )
    claim_fill(claim=filled, work=work)
    return collection
