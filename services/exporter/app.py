from fastapi import FastAPI

from services.exporter.handlers import build_handlers
from services.exporter.settings import ExporterSettings
from shared.service import consumer_app


def create_app(settings: ExporterSettings) -> FastAPI:
    return consumer_app("exporter", settings, build_handlers(settings))
