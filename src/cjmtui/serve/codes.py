"""The room code: a few random words, typed at the SSH password prompt.

It lives only in the facilitator's process (never in the session file): a new one each time
``cjmtui serve`` starts, unless ``--code`` gives one.
"""

from __future__ import annotations

import hmac
import secrets

# Short, common, unambiguous English words (no homophones of each other, no offensive ones):
# 3 of 256 give 16.7 million codes; with at most 5 wrong tries a minute per address
# (:class:`cjmtui.serve.guard.Guard`) guessing one takes years.
_WORD_LIST = """
    acid acorn actor adult agent album alarm alley amber anchor angle apple april apron arena
    arrow atlas attic autumn bacon badge bagel baker bamboo banjo barrel basil basket beach
    beaver berry bicycle bishop blanket blossom border bottle bramble bread brick bridge broom
    bucket budget bundle butter button cabin cactus camel candle canoe canyon carpet carrot
    castle cedar cellar cherry chess chimney cider circle citrus clover cobalt cocoa comet
    copper coral cotton cousin coyote crayon cricket crystal cupboard daisy dancer delta desert
    diesel dinner dolphin donkey dragon drawer dune eagle easel echo eclipse elbow ember engine
    falcon fabric feather fennel ferry fiddle finch flannel flute forest fossil fountain fox
    garden garlic ginger glacier globe goose granite gravel guitar hammer harbor harvest hazel
    helmet hermit hollow honey horizon icicle igloo island ivory jacket jasmine jelly jigsaw
    jungle kayak kettle kernel kitten koala ladder lagoon lantern lemon lentil lilac linen
    lizard lobster locket lotus magnet mango maple marble meadow melon mercury meteor mitten
    monsoon mosaic muffin mustard napkin nectar needle nickel noodle nutmeg oasis oatmeal ocean
    olive onion orbit orchard otter oyster paddle pancake panda parcel parrot pebble pepper
    piano pickle pigeon pillow pilot pine planet plum pocket pony poppy potato prairie pretzel
    puzzle quartz quill rabbit radish raisin raven record ribbon river robin rocket saddle
    saffron salmon sandal satchel season shadow shovel silver sketch sparrow spinach spring
    squash stable statue summit sunset swallow tablet teapot thimble thistle thunder tiger
    timber toffee tomato topaz tractor trumpet tulip tunnel turnip umbrella valley velvet
    violin walnut walrus wagon whistle willow window winter wizard yogurt zebra zephyr zipper
    """
WORDS = tuple(_WORD_LIST.split())


def new_code(words: int = 3) -> str:
    """A fresh room code: ``words`` random words joined by ``-`` (``"otter-maple-quill"``)."""
    return "-".join(secrets.choice(WORDS) for _ in range(words))


def normal(code: str) -> str:
    """The code as compared: case, spaces and dashes between the words do not matter."""
    return "-".join(code.replace("-", " ").split()).casefold()


def code_matches(typed: str, code: str) -> bool:
    """Whether ``typed`` is the room code (compared in constant time)."""
    return hmac.compare_digest(normal(typed).encode("utf-8"), normal(code).encode("utf-8"))
