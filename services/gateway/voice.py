"""Server voice: text to speech and speech to text through OpenAI, when it is configured.
Without it the browser's own speech synthesis and recognition are used, and typing always works."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from services.gateway.invitations import holds
from services.gateway.routes import PresentedTokenDep, SessionsDep, find_session, limited
from services.gateway.sessions import SessionRegistry
from shared.ai.language import interview_language
from shared.ai.settings import AISettings
from shared.contracts.events import LANGUAGES, Language, SessionId
from shared.contracts.session_view import SessionView

MAX_AUDIO_BYTES = 10 * 1024 * 1024
EXTENSIONS = {
    "audio/webm": "webm", "video/webm": "webm", "audio/ogg": "ogg", "audio/mpeg": "mp3", "audio/mp3": "mp3",
    "audio/mp4": "mp4", "audio/m4a": "m4a", "audio/x-m4a": "m4a", "audio/wav": "wav", "audio/x-wav": "wav",
    "audio/wave": "wav", "audio/flac": "flac", "application/octet-stream": "webm",
}  # fmt: skip
NOT_CONFIGURED = (
    "Server voice is not configured (it needs OPENAI_API_KEY). The web app uses the browser's own speech "
    "where available, and typing always works."
)
router = APIRouter(prefix="/api", tags=["voice"])


class VoiceFailed(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Voice:
    """OpenAI's speech and transcription (the SDK is imported only where server voice is configured:
    it is a third of the gateway's start-up time)."""

    def __init__(self, settings: AISettings) -> None:
        import openai

        self.openai = openai
        self.client = openai.AsyncOpenAI(
            api_key=settings.openai_key(),
            base_url=settings.openai_base_url,
            timeout=openai.Timeout(settings.openai_timeout_seconds, connect=settings.openai_connect_seconds),
            max_retries=settings.openai_max_retries,
        )
        self.settings = settings

    async def speak(self, text: str, language: Language | None = None) -> bytes:
        """`language`, the interview's, is said to the models known to take instructions (OpenAI's gpt-4o
        speech models); others (tts-1, another server's model) are not sent them and follow the text."""
        model = self.settings.openai_tts_model
        instructions = (
            f"Speak in {LANGUAGES[language]} ({language}), as a native speaker would."
            if language is not None and model.startswith("gpt-4o") and "tts" in model
            else self.openai.omit
        )
        try:
            speech = await self.client.audio.speech.create(
                model=model,
                voice=self.settings.openai_tts_voice,
                input=text,
                instructions=instructions,
                response_format="mp3",
            )
        except self.openai.OpenAIError as error:
            raise VoiceFailed(503, f"Server voice is unavailable right now ({type(error).__name__}).") from None
        return speech.content

    async def transcribe(self, audio: bytes, media_type: str, language: Language | None = None) -> str:
        try:
            transcript = await self.client.audio.transcriptions.create(
                model=self.settings.openai_transcribe_model,
                file=(f"answer.{EXTENSIONS[media_type]}", audio, media_type),
                language=language or self.openai.omit,
            )
        except self.openai.BadRequestError as error:
            raise VoiceFailed(422, f"The recording could not be transcribed: {error.message[:200]}") from None
        except self.openai.OpenAIError as error:
            raise VoiceFailed(503, f"Transcription is unavailable right now ({type(error).__name__}).") from None
        return transcript.text


async def get_voice(request: Request) -> Voice:
    voice: Voice | None = request.app.state.voice
    if voice is None:
        raise HTTPException(501, NOT_CONFIGURED)
    return voice


VoiceDep = Annotated[Voice, Depends(get_voice)]
NOT_THE_CANDIDATE = (
    "Server voice is for the candidate of an interview in progress: send its session_id and the candidate "
    "token it started with (X-Candidate-Token)."
)


async def speaking_candidate(
    sessions: SessionRegistry, session_id: str, token: str | None
) -> tuple[SessionView, Language]:
    """The interview whose candidate asks, and its language: server voice spends the operator's OpenAI key,
    so only the candidate of an open interview may use it (every interview started since candidate tokens
    has one)."""
    view = (await find_session(sessions, session_id)).view
    if not holds(token, view.candidate_token_hash):
        raise HTTPException(403, NOT_THE_CANDIDATE)
    if view.is_closed or view.context is None:
        raise HTTPException(409, "This interview has ended: there is nothing more to read aloud or to answer.")
    return view, interview_language(view.context)


@router.get("/voice")
async def voice_capabilities(request: Request) -> dict[str, bool]:
    """Whether the server speaks and listens (otherwise the browser's own speech, or typing)."""
    return {"server_voice": request.app.state.voice is not None}


class SpeechRequest(BaseModel):
    session_id: SessionId = Field(description="The interview; send its candidate token as X-Candidate-Token")
    question_number: int = Field(ge=1, strict=True, description="The question of it to read aloud")


@router.post(
    "/tts",
    dependencies=[limited("voice")],
    response_class=Response,
    responses={200: {"content": {"audio/mpeg": {}}}, 501: {}},
)
async def text_to_speech(
    body: SpeechRequest, voice: VoiceDep, sessions: SessionsDep, token: PresentedTokenDep
) -> Response:
    """A question of the candidate's interview read aloud, in the interview's language, as MP3 (only its
    questions: the key is not a speech service for anything else)."""
    view, language = await speaking_candidate(sessions, body.session_id, token)
    question = view.questions.get(body.question_number)
    if question is None:
        raise HTTPException(404, f"Question {body.question_number} of this interview has not been asked.")
    try:
        audio = await voice.speak(question, language)
    except VoiceFailed as failure:
        raise HTTPException(failure.status, str(failure)) from None
    return Response(audio, media_type="audio/mpeg")


@router.post("/transcribe", dependencies=[limited("voice")], responses={501: {}, 413: {}, 415: {}, 429: {}})
async def transcribe(
    request: Request,
    voice: VoiceDep,
    sessions: SessionsDep,
    token: PresentedTokenDep,
    session_id: SessionId,
) -> dict[str, str]:
    """The words in a recording of the candidate's answer: send the audio itself as the body (e.g.
    Content-Type: audio/webm), the interview as the query's `session_id` and its candidate token as
    X-Candidate-Token. The transcription is told the interview's language."""
    _, language = await speaking_candidate(sessions, session_id, token)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in EXTENSIONS:
        raise HTTPException(
            415, "Send the recording itself as the body, with its audio Content-Type: " + ", ".join(sorted(EXTENSIONS))
        )
    audio = await request.body()  # at most MAX_AUDIO_BYTES: the gateway's BodyLimit says 413 beyond
    if not audio:
        raise HTTPException(422, "The recording is empty.")
    try:
        return {"text": await voice.transcribe(audio, media_type, language)}
    except VoiceFailed as failure:
        raise HTTPException(failure.status, str(failure)) from None
