"""One source of truth for a repo with four services, Postgres and Redis.

`axogen generate` writes each service's .env (only the variables that service needs),
docker-compose.yml, the onboarding .env.example and, when NODE_ENV=production, the
Kubernetes ConfigMap and every service's Deployment and Service.
"""

from typing import Literal

from pydantic import BaseModel, Field, SecretStr

import axogen as ax


class Env(BaseModel):
    NODE_ENV: Literal["development", "staging", "production"] = Field(
        "development", description="Which environment the services run in."
    )
    LOG_LEVEL: Literal["debug", "info", "warn", "error"] = "info"

    DB_HOST: str = Field("localhost", description="Postgres host when the services run locally.")
    DB_PORT: int = 5432
    DB_USER: str = "postgres"
    DB_PASSWORD: SecretStr = Field(description="Postgres password.")

    REDIS_HOST: str = "localhost"
    REDIS_PORT: int = 6379

    JWT_SECRET: SecretStr = Field(min_length=32, description="Signs auth tokens; 32+ characters.")
    # issued by Stripe: `axogen env init` asks for these instead of making them up
    STRIPE_SECRET_KEY: SecretStr = Field(
        description="Stripe API key (sk_test_… in development).",
        json_schema_extra={"generate": False},
    )
    STRIPE_WEBHOOK_SECRET: SecretStr = Field(
        description="Stripe webhook signing secret (whsec_…).",
        json_schema_extra={"generate": False},
    )

    SMTP_HOST: str = "localhost"
    SMTP_PORT: int = 1025
    SMTP_USER: str = ""
    SMTP_PASSWORD: SecretStr = SecretStr("")
    MAIL_FROM: str = "no-reply@example.com"

    IN_COMPOSE: bool = Field(
        False,
        description="true when the services run in docker compose and reach each other by name.",
    )
    IMAGE_TAG: str = Field("latest", description="Docker image tag deployed to Kubernetes.")


e = ax.load_env(Env)

# ports and databases of the four services, in one place
SERVICES = {
    "auth": {"port": 3001, "db": "auth"},
    "orders": {"port": 3002, "db": "orders"},
    "payments": {"port": 3003, "db": "payments"},
    "notifications": {"port": 3004, "db": None},
}


def database_url(db: str) -> str:
    password = e.DB_PASSWORD.get_secret_value()
    host = "postgres" if e.IN_COMPOSE else e.DB_HOST
    return f"postgres://{e.DB_USER}:{password}@{host}:{e.DB_PORT}/{db}"


def service_url(name: str) -> str:
    host = f"{name}-service" if e.IN_COMPOSE else "localhost"
    return f"http://{host}:{SERVICES[name]['port']}"


redis_url = f"redis://{'redis' if e.IN_COMPOSE else e.REDIS_HOST}:{e.REDIS_PORT}"
common = {"NODE_ENV": e.NODE_ENV, "LOG_LEVEL": e.LOG_LEVEL}

service_env = {
    "auth": {
        **common,
        "PORT": SERVICES["auth"]["port"],
        "DATABASE_URL": database_url("auth"),
        "REDIS_URL": redis_url,
        "JWT_SECRET": e.JWT_SECRET,
        "JWT_EXPIRES_IN": "15m",
    },
    "orders": {
        **common,
        "PORT": SERVICES["orders"]["port"],
        "DATABASE_URL": database_url("orders"),
        "REDIS_URL": redis_url,
        "JWT_SECRET": e.JWT_SECRET,
        "AUTH_SERVICE_URL": service_url("auth"),
        "PAYMENTS_SERVICE_URL": service_url("payments"),
    },
    "payments": {
        **common,
        "PORT": SERVICES["payments"]["port"],
        "DATABASE_URL": database_url("payments"),
        "STRIPE_SECRET_KEY": e.STRIPE_SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": e.STRIPE_WEBHOOK_SECRET,
        "ORDERS_SERVICE_URL": service_url("orders"),
    },
    "notifications": {
        **common,
        "PORT": SERVICES["notifications"]["port"],
        "REDIS_URL": redis_url,
        "SMTP_HOST": e.SMTP_HOST,
        "SMTP_PORT": e.SMTP_PORT,
        "SMTP_USER": e.SMTP_USER,
        "SMTP_PASSWORD": e.SMTP_PASSWORD,
        "MAIL_FROM": e.MAIL_FROM,
    },
}


def compose_service(name: str) -> dict[str, object]:
    """One service in compose: plain Node running the service's folder, mounted read-only."""
    depends = ["postgres", "redis"] if SERVICES[name]["db"] else ["redis"]
    port = SERVICES[name]["port"]
    folder = f"{name}-service"
    return {
        "image": "node:20-alpine",
        "working_dir": f"/srv/{folder}",
        "command": ["node", "server.js"],
        "volumes": [f"./{folder}:/srv/{folder}:ro", "./lib:/srv/lib:ro"],
        "env_file": [f"./{folder}/.env"],
        "ports": [f"{port}:{port}"],
        "depends_on": {dep: {"condition": "service_healthy"} for dep in depends},
        "restart": "unless-stopped",
    }


compose = {
    "name": "shop",
    "services": {
        "postgres": {
            "image": "postgres:16-alpine",
            # the password comes from a gitignored env file, never from this committed file
            "env_file": ["./postgres/.env"],
            "ports": [f"{e.DB_PORT}:5432"],
            "volumes": [
                "pgdata:/var/lib/postgresql/data",
                "./postgres/init:/docker-entrypoint-initdb.d:ro",
            ],
            "healthcheck": {
                "test": ["CMD-SHELL", f"pg_isready -U {e.DB_USER}"],
                "interval": "5s",
                "timeout": "3s",
                "retries": 10,
            },
        },
        "redis": {
            "image": "redis:7-alpine",
            "ports": [f"{e.REDIS_PORT}:6379"],
            "healthcheck": {"test": ["CMD", "redis-cli", "ping"], "interval": "5s", "retries": 10},
        },
        **{f"{name}-service": compose_service(name) for name in SERVICES},
    },
    "volumes": {"pgdata": {}},
}

configmap = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "shop-config", "labels": {"app.kubernetes.io/part-of": "shop"}},
    "data": {
        "NODE_ENV": e.NODE_ENV,
        "LOG_LEVEL": e.LOG_LEVEL,
        "IMAGE_TAG": e.IMAGE_TAG,
        "REDIS_URL": "redis://redis:6379",
        **{
            f"{name.upper()}_SERVICE_URL": f"http://{name}-service:{svc['port']}"
            for name, svc in SERVICES.items()
        },
    },
}


def k8s_manifests(name: str) -> list[dict[str, object]]:
    """A Deployment and a Service for one service. Its credentials come from a Secret made
    outside this repository (`kubectl create secret generic NAME-secrets …`), so this
    file holds none and can be committed."""
    port = SERVICES[name]["port"]
    app = f"{name}-service"
    labels = {"app": app, "app.kubernetes.io/part-of": "shop"}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": app, "labels": labels},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": app}},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": name,
                            "image": f"ghcr.io/shop/{app}:{e.IMAGE_TAG}",
                            "ports": [{"containerPort": port}],
                            "envFrom": [
                                {"configMapRef": {"name": "shop-config"}},
                                {"secretRef": {"name": f"{name}-secrets"}},
                            ],
                            "readinessProbe": {"httpGet": {"path": "/health", "port": port}},
                        }
                    ]
                },
            },
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": app, "labels": labels},
        "spec": {"selector": {"app": app}, "ports": [{"port": port, "targetPort": port}]},
    }
    return [deployment, service]


# The project's commands: `axogen run` lists them, `axogen run NAME --help` explains one.


def compose_cli() -> list[str]:
    """How to call Docker Compose v2 here (`docker compose`, or a standalone
    `docker-compose`); one clear error when there is neither."""
    import shutil
    import subprocess

    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    raise ax.AxogenError(
        "`docker compose` not found: install Docker Compose v2, or use `axogen run local`"
    )


def setup(ctx: ax.CommandContext) -> None:
    """Generate every config file, then check that Docker Compose is installed."""
    import shutil

    ax.live_exec("axogen generate")
    compose_cli()
    if shutil.which("kubectl") is None:
        print("note: kubectl not found; only `axogen run deploy` needs it")
    print("ready: `axogen run dev` starts everything")


def dev(ctx: ax.CommandContext) -> None:
    """Start Postgres, Redis and the four services (docker compose)."""
    compose = compose_cli()
    # inside compose the services reach Postgres, Redis and each other by name
    ax.live_exec("axogen -q generate", env={"IN_COMPOSE": "true"})
    ax.live_exec([*compose, "up"])


def local(ctx: ax.CommandContext) -> object:
    """Run the four services on this machine, without docker; output labelled."""
    ax.live_exec("axogen -q generate", env={"IN_COMPOSE": "false"})
    return ax.parallel({name: f"node {name}-service/server.js" for name in SERVICES})


def logs(ctx: ax.CommandContext) -> None:
    """Show one service's logs."""
    follow = ["--follow"] if ctx.options.follow else []
    service = f"{ctx.args.service}-service"
    ax.live_exec([*compose_cli(), "logs", f"--tail={ctx.options.tail}", *follow, service])


def deploy(ctx: ax.CommandContext) -> None:
    """Apply the Kubernetes manifests in k8s/ and wait for every service to roll out."""
    kubectl = ["kubectl", "--context", ctx.options.environment]
    if ctx.options.dry_run:
        ax.live_exec([*kubectl, "apply", "-f", "k8s/", "--dry-run=server"])
        return
    ax.live_exec([*kubectl, "apply", "-f", "k8s/"])
    for name in SERVICES:
        ax.live_exec([*kubectl, "rollout", "status", f"deployment/{name}-service", "--timeout=5m"])


def health(ctx: ax.CommandContext) -> int:
    """Ask every service for /health; exit 1 if any is down."""
    import urllib.error
    import urllib.request

    down = 0
    for name, svc in SERVICES.items():
        url = f"http://localhost:{svc['port']}/health"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                status = f"up (HTTP {response.status})"
        except urllib.error.HTTPError as e:
            status, down = f"unhealthy (HTTP {e.code})", down + 1
        except (urllib.error.URLError, OSError) as e:
            status, down = f"down ({getattr(e, 'reason', e)})", down + 1
        print(f"{name:<14} {status:<40} {url}")
    return 1 if down else 0


def migrate(ctx: ax.CommandContext) -> None:
    """Run each service's pending migrations, in its container."""
    steps = [f"--steps={ctx.options.steps}"] if ctx.options.steps is not None else []
    for name, svc in SERVICES.items():
        if svc["db"]:
            ax.live_exec(
                [
                    *compose_cli(),
                    "run",
                    "--rm",
                    f"{name}-service",
                    "npm",
                    "run",
                    "migrate",
                    "--",
                    *steps,
                ],
                prefix=f"{name} | ",
            )


config = ax.define_config(
    targets={
        **{
            f"{name}-env": ax.env(f"{name}-service/.env", variables)
            for name, variables in service_env.items()
        },
        "postgres-env": ax.env(
            "postgres/.env",
            {
                "POSTGRES_USER": e.DB_USER,
                "POSTGRES_PASSWORD": e.DB_PASSWORD,
                "POSTGRES_MULTIPLE_DATABASES": ",".join(
                    str(s["db"]) for s in SERVICES.values() if s["db"]
                ),
            },
        ),
        "compose": ax.yaml("docker-compose.yml", compose),
        "env-example": ax.env_example(".env.example", schema=Env),
        "configmap": ax.yaml("k8s/configmap.yaml", configmap, condition=e.NODE_ENV == "production"),
        # every Deployment and Service in one file, one YAML document each
        "k8s-services": ax.yaml(
            "k8s/services.yaml",
            [manifest for name in SERVICES for manifest in k8s_manifests(name)],
            documents=True,
            condition=e.NODE_ENV == "production",
        ),
    },
    commands={
        "setup": ax.cmd(exec=setup),
        "dev": ax.cmd(exec=dev),
        "local": local,
        "deploy": ax.cmd(
            exec=deploy,
            options={
                "environment": ax.option(
                    Literal["staging", "production"], short="e", help="Cluster to deploy to."
                ),
                "dry_run": ax.option(bool, help="Let the server validate; change nothing."),
            },
        ),
        "logs": ax.cmd(
            exec=logs,
            args={
                "service": ax.arg(
                    Literal["auth", "orders", "payments", "notifications"], help="Which service."
                )
            },
            options={
                "follow": ax.option(bool, short="f", help="Keep printing new lines."),
                "tail": ax.option(int, default=100, help="Lines to show from the end."),
            },
        ),
        "health": health,
        "db": ax.group(
            help="Database tasks.",
            commands={
                "migrate": ax.cmd(
                    exec=migrate,
                    options={"steps": ax.option(int | None, help="Apply only this many.")},
                ),
                "psql": ax.cmd(
                    help="Open psql on one service's database.",
                    args={"database": ax.arg(Literal["auth", "orders", "payments"])},
                    exec=lambda ctx: ax.live_exec(
                        [
                            *compose_cli(),
                            "exec",
                            "postgres",
                            "psql",
                            "-U",
                            e.DB_USER,
                            ctx.args.database,
                        ]
                    ),
                ),
            },
        ),
    },
)
