from pathlib import Path

from pydantic import Field, SecretStr

from shared.settings import ServiceSettings


class PersistenceSettings(ServiceSettings):
    port: int = Field(8001, validation_alias="PERSISTENCE_PORT")
    data_dir: Path = Path("./interview_data")
    mongodb_url: str | None = None
    mongodb_database: str = "interviewer"
    admin_token: SecretStr | None = None
