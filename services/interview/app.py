from fastapi import FastAPI

from shared.ai.provider import make_provider
from shared.service import consumer_app

from services.interview.handlers import build_handlers
from services.interview.settings import InterviewSettings


def create_app(settings: InterviewSettings) -> FastAPI:
    return consumer_app("interview", settings, build_handlers(make_provider(settings.openai_api_key)))
