from fastapi import FastAPI

from shared.service import consumer_app

from services.exporter.handlers import build_handlers
from services.exporter.settings import ExporterSettings


def create_app(settings: ExporterSettings) -> FastAPI:
    return consumer_app("exporter", settings, build_handlers(settings))
