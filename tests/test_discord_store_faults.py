"""The bot when the store fails a side write: the answer still goes out (fake Discord)."""

from __future__ import annotations

from bot.errors import StoreError
from tests.fake_discord.server import option, slash
from tests.test_discord import assert_within_limits, embeds_of, start_bot  # noqa: F401


async def test_answer_goes_out_without_the_more_button_when_remembering_fails(
        start_bot):  # noqa: F811 (the fixture, imported above)
    h = await start_bot()

    def locked(text: str) -> int:
        raise StoreError("store unavailable: the database is locked by another process")

    h.bot.service.remember_question = locked
    p = await h.send(slash("ask", [option("question", "Kuril Islands Pacific fleet Russia")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert_within_limits(fu.body)
    assert "Kuril" in embeds_of(fu)[0]["description"]
    labels = [c.get("label") for row in fu.body.get("components") or [] for c in row["components"]]
    assert "More passages" not in labels
    assert any(label.startswith("Summarise") for label in labels)  # needs no stored question
