from bot.discord_app.render import (
    CLOSEST_COLOR,
    CLOSEST_NOTE,
    COLOR,
    answer_embeds,
    closest_embeds,
)
from bot.models import Answer, Hit


def test_closest_passages_are_muted_and_say_they_may_not_answer():
    hit = Hit("T", "https://x.org/t", 0, "The Rhone glacier melts.", "The Rhone glacier melts.",
              1.0)
    ans = Answer("q", False, (hit, hit), ("T",), ("rhone",), "closest", 0.2)
    embeds = closest_embeds(ans)
    assert len(embeds) == 2 and all(e.colour == CLOSEST_COLOR for e in embeds)
    assert embeds[0].author.name == CLOSEST_NOTE
    assert "glacier" in embeds[0].description
    assert all(e.colour == COLOR for e in answer_embeds(ans))
