"""Collection pages: profile, works, fandoms, prompts. The pages their owner and moderators
use to run them live in works.views.collection_management; the reads behind both in
works.pages.collections.
"""

from django.shortcuts import get_object_or_404, render

from works.listing.pages import work_list_response
from works.models import Collection, CollectionPrompt
from works.pages.collections import (
    collection_detail_context,
    collection_or_404,
    collection_works_queryset,
    fandom_counts,
    mystery_count,
    prompt_counts,
)
from works.pages.prompt_meme import prompt_detail_context, prompt_index_context, prompt_meme_of
from works.services import collections as services

# Reading ------------------------------------------------------------------------------------


def collection_index(request):
    """/collections: every collection, top-level ones with their sub-collections."""
    collections = Collection.objects.filter(parent=None).prefetch_related("children")
    return render(request, "works/collections/collection_index.html", {"collections": collections})


def collection_detail(request, name):
    """/collections/<name>: what the collection is, its sub-collections, prompts and latest
    works."""
    context = collection_detail_context(collection_or_404(name), request.user)
    return render(request, "works/collections/collection_detail.html", context)


def collection_works(request, name):
    """/collections/<name>/works: the shared listing of its approved, visible works."""
    collection = get_object_or_404(Collection, name=name)
    works = collection_works_queryset(collection)
    return work_list_response(
        request,
        works=works,
        template="works/collections/collection_works.html",
        heading_in=collection.title,
        heading_in_url=collection.get_absolute_url(),
        extra_context={
            "collection": collection,
            "mystery_count": mystery_count(works, request.user),
        },
    )


def collection_fandoms(request, name):
    """/collections/<name>/fandoms: the fandoms of its works a reader can see, with counts.
    Mystery works are not counted: their fandoms are part of the secret."""
    collection = get_object_or_404(Collection, name=name)
    context = {"collection": collection, "fandoms": fandom_counts(collection, request.user)}
    return render(request, "works/collections/collection_fandoms.html", context)


def collection_prompts(request, name):
    """/collections/<name>/prompts: each prompt with its number of works; a prompt meme's
    prompts with their claims and fills (works.pages.prompt_meme)."""
    collection = collection_or_404(name)
    challenge = prompt_meme_of(collection)
    if challenge is not None:
        context = prompt_index_context(request, collection, challenge)
        return render(request, "works/challenges/prompt_meme/prompt_index.html", context)
    context = {
        "collection": collection,
        "prompts": prompt_counts(collection, request.user),
        "is_staff": services.is_collection_staff(collection, request.user),
    }
    return render(request, "works/collections/collection_prompts.html", context)


def collection_prompt(request, name, position):
    """/collections/<name>/prompts/<day>: the works of the collection answering the prompt;
    in a prompt meme, /collections/<name>/prompts/<id> is one prompt with its claims and fills."""
    collection = get_object_or_404(Collection, name=name)
    challenge = prompt_meme_of(collection)
    if challenge is not None:
        context = prompt_detail_context(request, collection, challenge, position)
        return render(request, "works/challenges/prompt_meme/prompt_detail.html", context)
    prompt = get_object_or_404(
        CollectionPrompt.objects.select_related("tag"), collection=collection, position=position
    )
    works = collection_works_queryset(collection).filter(tags=prompt.tag)
    return work_list_response(
        request,
        works=works,
        template="works/collections/prompt_detail.html",
        heading_in=prompt.tag.name,
        heading_in_url=prompt.tag.get_works_url(),
        extra_context={
            "collection": collection,
            "prompt": prompt,
            "mystery_count": mystery_count(works, request.user),
        },
    )
