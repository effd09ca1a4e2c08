"""The server voice against a real local HTTP server standing in for OpenAI: the interview's language is said
to the speech models that take instructions, and to no other."""

import pytest

from services.gateway.settings import GatewaySettings
from services.gateway.voice import Voice
from tests.fakes.openai_server import FakeOpenAI


def sent(fake: FakeOpenAI) -> dict:
    return [r for r in fake.requests if r["path"] == "/v1/audio/speech"][-1]["body"]


@pytest.mark.parametrize(("model", "told"), [("gpt-4o-mini-tts", True), ("tts-1", False), ("kokoro", False)])
async def test_the_language_goes_to_models_that_take_instructions_only(fake_openai, model, told):
    fake = fake_openai
    voice = Voice(GatewaySettings(openai_api_key="sk-test", openai_base_url=fake.base_url, openai_tts_model=model))
    audio = await voice.speak("Parlez-moi de votre dernier projet.", "fr")
    assert audio.startswith(b"ID3") and sent(fake)["model"] == model
    assert ("Français (fr)" in sent(fake).get("instructions", "")) is told
    await voice.speak("Tell me about your last project.")
    assert "instructions" not in sent(fake)  # no language: nothing said
