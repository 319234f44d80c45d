from typing import Literal

from pydantic import BaseModel, Field, SecretStr

import axogen as ax


class Env(BaseModel):
    NODE_ENV: Literal["development", "production"] = "development"
    DB_PORT: int = 5432
    DB_PASSWORD: SecretStr
    JWT_SECRET: SecretStr = Field(min_length=32)


env = ax.load_env(Env)

config = ax.define_config(
    targets={
        "app": ax.env(
            "app/.env",
            {
                "NODE_ENV": env.NODE_ENV,
                "DB_PORT": env.DB_PORT,
                "DB_PASSWORD": env.DB_PASSWORD,
                "JWT_SECRET": env.JWT_SECRET,
            },
        ),
    },
)
