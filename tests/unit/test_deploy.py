"""The deployment files read against the code: the Dockerfile, docker-compose.yml, .env.example
and the Kubernetes manifests name only settings the services have, the ports and commands they
use, the health endpoints they serve and the queues they consume. Core Kubernetes kinds are
validated against the Kubernetes JSON schemas (kubernetes-validate, strict); the operators' custom
resources against the schemas below, which hold the fields these manifests rely on."""

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from services.exporter.settings import ExporterSettings
from services.gateway.settings import GatewaySettings
from services.interview.settings import InterviewSettings
from services.persistence.settings import PersistenceSettings
from services.scoring.settings import ScoringSettings
from shared.contracts.topology import Names
from shared.platform.settings import check_amqp_url
from tools.stack import SERVICES

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SETTINGS = {
    "gateway": GatewaySettings,
    "interview": InterviewSettings,
    "scoring": ScoringSettings,
    "persistence": PersistenceSettings,
    "exporter": ExporterSettings,
}
# the oldest Kubernetes these manifests support (autoscaling/v2, policy/v1) and the newest schemas known
KUBERNETES_VERSIONS = ("1.29.0", kubernetes_validate.latest_version())
NON_ROOT_UID = 10001


def env_names(settings: type) -> set[str]:
    names = set()
    for name, field in settings.model_fields.items():
        alias = field.validation_alias
        names.add((alias if isinstance(alias, str) else name).upper())
    return names


ALL_ENV = set().union(*(env_names(s) for s in SETTINGS.values()))
BROKER_ENV = {"RABBITMQ_DEFAULT_USER", "RABBITMQ_DEFAULT_PASS"}  # the broker container's own settings
COMPOSE_ENV = {"GATEWAY_ADDRESS"}  # the compose file's own: where the gateway's port is published
# the parts of AMQP_URL each Deployment reads from the RabbitMQ operator's Secret, to build it with $(VAR)
AMQP_PARTS = {"AMQP_USERNAME", "AMQP_PASSWORD", "AMQP_HOST", "AMQP_PORT"}
# secrets a service's settings class has (from the shared base) but the service never uses
UNUSED_SECRETS = {"interview": {"INTERNAL_TOKEN"}, "scoring": {"INTERNAL_TOKEN"}}


def default_port(service: str) -> int:
    return SETTINGS[service].model_fields["port"].default


def _strict(properties: dict, required: tuple[str, ...] = ()) -> dict:
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


_STR = {"type": "string"}
_INT = {"type": "integer", "minimum": 1}
_NAME_REF = _strict({"name": _STR}, ("name",))
_METADATA = {"type": "object", "required": ["name", "namespace"]}


def _resource(spec: dict) -> dict:
    """A custom resource: apiVersion, kind, metadata and this spec, nothing else."""
    return _strict({"apiVersion": _STR, "kind": _STR, "metadata": _METADATA, "spec": spec},
                   ("apiVersion", "kind", "metadata", "spec"))  # fmt: skip


CUSTOM_RESOURCES = {
    # RabbitMQ Cluster Operator, rabbitmq.com/v1beta1
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): _resource(
        _strict(
            {
                "replicas": {"type": "integer", "enum": [1, 3, 5, 7]},
                "image": _STR,
                "resources": {"type": "object"},
                "persistence": _strict({"storage": _STR, "storageClassName": _STR}),
                "rabbitmq": _strict({"additionalConfig": _STR, "additionalPlugins": {"type": "array"}}),
            }
        )
    ),
    # MongoDB Community Operator, mongodbcommunity.mongodb.com/v1
    ("mongodbcommunity.mongodb.com/v1", "MongoDBCommunity"): _resource(
        _strict(
            {
                "members": {"type": "integer", "minimum": 1},
                "type": {"enum": ["ReplicaSet"]},
                "version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
                "security": _strict(
                    {
                        "authentication": _strict(
                            {
                                "modes": {
                                    "type": "array",
                                    "items": {"enum": ["SCRAM", "SCRAM-SHA-1", "SCRAM-SHA-256", "X509"]},
                                }
                            },
                            ("modes",),
                        )
                    }
                ),
                "users": {
                    "type": "array",
                    "minItems": 1,
                    "items": _strict(
                        {
                            "name": _STR,
                            "db": _STR,
                            "passwordSecretRef": _NAME_REF,
                            "roles": {
                                "type": "array",
                                "minItems": 1,
                                "items": _strict({"name": _STR, "db": _STR}, ("name", "db")),
                            },
                            "scramCredentialsSecretName": {
                                "type": "string",
                                "pattern": r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
                            },
                            "connectionStringSecretName": _STR,
                        },
                        ("name", "db", "passwordSecretRef", "roles", "scramCredentialsSecretName"),
                    ),
                },
                "additionalMongodConfig": {"type": "object"},
            },
            ("members", "type", "version"),
        )
    ),
    # KEDA, keda.sh/v1alpha1
    ("keda.sh/v1alpha1", "TriggerAuthentication"): _resource(
        _strict(
            {
                "secretTargetRef": {
                    "type": "array",
                    "minItems": 1,
                    "items": _strict({"parameter": _STR, "name": _STR, "key": _STR}, ("parameter", "name", "key")),
                }
            }
        )
    ),
    ("keda.sh/v1alpha1", "ScaledObject"): _resource(
        _strict(
            {
                "scaleTargetRef": _strict({"name": _STR, "kind": _STR, "apiVersion": _STR}, ("name",)),
                "minReplicaCount": {"type": "integer", "minimum": 0},
                "maxReplicaCount": _INT,
                "cooldownPeriod": _INT,
                "pollingInterval": _INT,
                "triggers": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "oneOf": [
                            _strict(
                                {
                                    "type": {"const": "rabbitmq"},
                                    "metadata": _strict(
                                        {
                                            "protocol": {"enum": ["amqp", "http", "auto"]},
                                            "host": {"type": "string", "pattern": r"^https?://[^@/]+:\d+/$"},
                                            "queueName": _STR,
                                            "mode": {"enum": ["QueueLength", "MessageRate"]},
                                            "value": {"type": "string", "pattern": r"^\d+(\.\d+)?$"},
                                            "activationValue": _STR,
                                            "vhostName": _STR,
                                        },
                                        ("queueName", "mode", "value"),
                                    ),
                                    "authenticationRef": _NAME_REF,
                                },
                                ("type", "metadata", "authenticationRef"),
                            ),
                            _strict(
                                {
                                    "type": {"enum": ["cpu", "memory"]},
                                    "metricType": {"enum": ["Utilization", "AverageValue"]},
                                    "metadata": _strict({"value": {"type": "string", "pattern": r"^\d+$"}}, ("value",)),
                                },
                                ("type", "metricType", "metadata"),
                            ),
                        ]
                    },
                },
            },
            ("scaleTargetRef", "maxReplicaCount", "triggers"),
        )
    ),
}


def manifests() -> dict[Path, list[dict]]:
    files = sorted(p for p in K8S.rglob("*.yaml") if p.name != "kustomization.yaml")
    return {p: [d for d in yaml.safe_load_all(p.read_text()) if d] for p in files}


def rendered(overlay: str, *components: str) -> list[dict]:
    """What `kubectl apply -k deploy/k8s/<overlay>` applies: the resources its kustomization lists,
    following ../base, with these components (deploy/k8s/components/<name>) added as an overlay's
    `components:` would. (Only the features these kustomizations use: resources, components and images.)"""

    def collect(directory: Path) -> list[dict]:
        kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
        allowed = {"apiVersion", "kind", "namespace", "resources", "components", "images"}
        assert set(kustomization) <= allowed, kustomization
        docs = []
        for entry in kustomization.get("resources", []) + kustomization.get("components", []):
            target = (directory / entry).resolve()
            assert target.exists(), f"{directory / 'kustomization.yaml'} lists {entry}, which does not exist"
            docs += collect(target) if target.is_dir() else [d for d in yaml.safe_load_all(target.read_text()) if d]
        return docs

    return collect(K8S / overlay) + [d for c in components for d in collect(K8S / "components" / c)]


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_every_manifest_is_valid_for_its_schema():
    checked = 0
    for path, docs in manifests().items():
        assert docs, f"{path} is empty"
        for doc in docs:
            where = f"{path.relative_to(ROOT)}: {doc.get('kind')} {doc.get('metadata', {}).get('name')}"
            custom = CUSTOM_RESOURCES.get((doc["apiVersion"], doc["kind"]))
            if custom is not None:
                jsonschema.validate(doc, custom)
            else:
                for version in KUBERNETES_VERSIONS:
                    try:
                        kubernetes_validate.validate(doc, version, strict=True)
                    except kubernetes_validate.ValidationError as error:
                        pytest.fail(
                            f"{where} is not valid for Kubernetes {version}: {error.message} at {list(error.path)}"
                        )
            checked += 1
    assert checked >= 35  # five services x (Deployment, Service, PDB), config, operators, autoscalers, policies


def test_a_broken_manifest_fails_validation():
    """The validators can fail: a misspelt field is rejected, strictly."""
    deployment = by_kind(manifests()[K8S / "base" / "scoring.yaml"], "Deployment")["scoring"]
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[0], strict=True)
    scaled = by_kind(manifests()[K8S / "keda" / "scaledobjects.yaml"], "ScaledObject")["scoring"]
    trigger = {**scaled["spec"]["triggers"][0], "metadata": {"queueName": "x", "mode": "QueueLenght", "value": "5"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {**scaled, "spec": {**scaled["spec"], "triggers": [trigger]}},
            CUSTOM_RESOURCES[("keda.sh/v1alpha1", "ScaledObject")],
        )


def test_every_manifest_is_applied_by_an_overlay():
    listed = set()
    for directory in (K8S / "hpa", K8S / "keda", K8S / "base", *(K8S / "components").iterdir()):
        if directory.is_dir():
            listed |= {
                (directory / e).resolve()
                for e in yaml.safe_load((directory / "kustomization.yaml").read_text())["resources"]
            }
    orphans = [p.relative_to(ROOT) for p in manifests() if p.resolve() not in listed]
    assert not orphans, f"not listed in any kustomization.yaml: {orphans}"


@pytest.mark.parametrize("overlay", ["hpa", "keda"])
def test_each_service_has_a_deployment_a_service_and_a_disruption_budget(overlay):
    docs = rendered(overlay)
    deployments, services, budgets = (
        by_kind(docs, "Deployment"),
        by_kind(docs, "Service"),
        by_kind(docs, "PodDisruptionBudget"),
    )
    assert set(deployments) == set(services) == set(SERVICES)
    assert set(budgets) == set(SERVICES) | {"interviewer-rabbitmq", "interviewer-mongodb"}
    config = by_kind(docs, "ConfigMap")["interviewer-config"]
    secret = by_kind(docs, "Secret")["interviewer"]
    for name in SERVICES:
        pod = deployments[name]["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert container["command"] == ["python", "-m", f"services.{name}"]
        assert container["ports"] == [{"name": "http", "containerPort": default_port(name)}]
        assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert pod["securityContext"]["runAsNonRoot"] and pod["securityContext"]["runAsUser"] == NON_ROOT_UID
        # else Kubernetes gives every pod GATEWAY_PORT=tcp://10.x.x.x:80 and the like for each Service, the names
        # of the services' own port settings, and the services stop at start (an int was expected)
        assert {f"{s.upper()}_PORT" for s in services} & ALL_ENV and pod["enableServiceLinks"] is False
        assert container["securityContext"]["readOnlyRootFilesystem"]
        assert {m["mountPath"] for m in container["volumeMounts"]} >= {"/tmp"}
        assert container["resources"]["limits"]["memory"]
        assert services[name]["spec"]["selector"].items() <= labels.items()
        assert services[name]["spec"]["ports"][0]["targetPort"] == "http"
        assert budgets[name]["spec"]["selector"]["matchLabels"].items() <= labels.items()
        # the settings, whole; of the secrets, only what this service reads
        assert container["envFrom"] == [{"configMapRef": {"name": "interviewer-config"}}]
        # every setting named reaches a field of this service's settings
        named = set(config["data"]) | set(secret["stringData"]) | {e["name"] for e in container.get("env", [])}
        unknown = {n for n in named - AMQP_PARTS if n not in ALL_ENV}
        assert not unknown, f"not a setting of any service: {unknown}"
        assert {e["name"] for e in container.get("env", [])} - AMQP_PARTS <= env_names(SETTINGS[name])
        from_secret = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
        for variable, ref in from_secret.items():
            if ref["name"] == "interviewer":
                assert ref["key"] == variable and variable in secret["stringData"], (name, variable)
        app_secrets = {v for v, ref in from_secret.items() if ref["name"] == "interviewer"}
        assert app_secrets == set(secret["stringData"]) & env_names(SETTINGS[name]) - UNUSED_SECRETS.get(name, set())
    # the URLs the gateway and exporter use point at the Services
    assert config["data"]["PERSISTENCE_URL"] == f"http://persistence:{default_port('persistence')}"
    assert config["data"]["EXPORTER_URL"] == f"http://exporter:{default_port('exporter')}"
    assert config["data"]["BIND_HOST"] == "0.0.0.0"
    # where invitation links and sign-in point: a placeholder that cannot pass for a real address
    assert re.fullmatch(r"https://[a-z0-9.-]+\.invalid", config["data"]["PUBLIC_URL"])
    assert config["data"]["OPEN_INTERVIEWS"] == "false"  # else anyone reaching the Ingress starts interviews
    assert {"AMQP_URL", "MONGODB_URL"}.isdisjoint(secret["stringData"]), "the operators' Secrets hold these"


def env_of(deployment: dict) -> dict[str, dict]:
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    return {e["name"]: e for e in container.get("env", [])}


@pytest.mark.parametrize("overlay", ["hpa", "keda"])
def test_pods_stop_gracefully_and_wait_long_enough_to_start(overlay):
    for name, deployment in by_kind(rendered(overlay), "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        # endpoints drain during the preStop sleep, then the service has its 30 s
        assert container["lifecycle"]["preStop"] == {"exec": {"command": ["sleep", "5"]}}, name
        assert pod["terminationGracePeriodSeconds"] >= 35, name
        startup = container["startupProbe"]
        # longer than the 60 s a service waits for the broker at start, so it exits saying why rather than killed
        assert startup["periodSeconds"] * startup["failureThreshold"] > 60, name


@pytest.mark.parametrize("overlay", ["hpa", "keda"])
def test_the_autoscalers_own_the_replica_count(overlay):
    docs = rendered(overlay)
    scaled = {h["spec"]["scaleTargetRef"]["name"] for h in by_kind(docs, "HorizontalPodAutoscaler").values()}
    scaled |= {s["spec"]["scaleTargetRef"]["name"] for s in by_kind(docs, "ScaledObject").values()}
    assert scaled == {"interview", "scoring"}
    for name, deployment in by_kind(docs, "Deployment").items():
        assert ("replicas" in deployment["spec"]) == (name not in scaled), name  # else every apply resets it


def test_the_broker_and_database_urls_come_from_the_operators_secrets():
    """Nothing `kubectl apply -k` sends can overwrite them: they are read from the Secrets the operators write."""
    docs = rendered("hpa")
    rabbit = by_kind(docs, "RabbitmqCluster")["interviewer-rabbitmq"]
    mongo = by_kind(docs, "MongoDBCommunity")["interviewer-mongodb"]
    default_user = f"{rabbit['metadata']['name']}-default-user"
    (user,) = mongo["spec"]["users"]
    for name, deployment in by_kind(docs, "Deployment").items():
        env = env_of(deployment)
        parts = {"username", "password", "host", "port"}
        refs = {e["valueFrom"]["secretKeyRef"]["key"]: n for n, e in env.items() if n in AMQP_PARTS}
        assert set(refs) == parts and all(
            env[n]["valueFrom"]["secretKeyRef"]["name"] == default_user for n in refs.values()
        )
        names = list(env)
        assert all(names.index(n) < names.index("AMQP_URL") for n in refs.values())  # $(VAR) sees earlier ones only
        url = env["AMQP_URL"]["value"]
        assert url == "amqp://$({username}):$({password})@$({host}):$({port})/".format(**refs), name
        # as the kubelet expands it with what the operator writes (a base64url password: nothing to percent-encode)
        written = {"username": "default_user_bH3zLw9Qk2", "password": "x-Y_z0Ab9", "port": "5672"}
        written["host"] = f"{rabbit['metadata']['name']}.{rabbit['metadata']['namespace']}.svc"
        for key, variable in refs.items():
            url = url.replace(f"$({variable})", written[key])
        check_amqp_url(url)
        if name == "persistence":
            assert env["MONGODB_URL"]["valueFrom"]["secretKeyRef"] == {
                "name": user["connectionStringSecretName"],
                "key": "connectionString.standard",
            }
        else:
            assert "MONGODB_URL" not in env, name


def test_the_operators_clusters_have_disruption_budgets():
    """Neither operator makes one: base/ has one per cluster, selecting the labels each operator gives its pods."""
    docs = rendered("hpa")
    budgets = by_kind(docs, "PodDisruptionBudget")
    rabbit = by_kind(docs, "RabbitmqCluster")["interviewer-rabbitmq"]
    mongo = by_kind(docs, "MongoDBCommunity")["interviewer-mongodb"]
    assert budgets["interviewer-rabbitmq"]["spec"] == {
        "maxUnavailable": 1,
        "selector": {"matchLabels": {"app.kubernetes.io/name": rabbit["metadata"]["name"]}},
    }
    assert budgets["interviewer-mongodb"]["spec"] == {
        "maxUnavailable": 1,
        "selector": {"matchLabels": {"app": f"{mongo['metadata']['name']}-svc"}},
    }
    assert rabbit["spec"]["replicas"] == mongo["spec"]["members"] == 3  # one of three away keeps a majority
    assert re.fullmatch(r"rabbitmq:\d+\.\d+\.\d+-management", rabbit["spec"]["image"])  # an exact release


def test_autoscaling_targets_the_ai_services_and_their_queues():
    hpas = by_kind(rendered("hpa"), "HorizontalPodAutoscaler")
    assert {h["spec"]["scaleTargetRef"]["name"] for h in hpas.values()} == {"interview", "scoring"}
    assert all(h["spec"]["metrics"][0]["resource"]["name"] == "cpu" for h in hpas.values())
    keda = rendered("keda")
    assert not by_kind(keda, "HorizontalPodAutoscaler"), "KEDA makes its own HPA; a second one would fight it"
    scaled = by_kind(keda, "ScaledObject")
    auth = by_kind(keda, "TriggerAuthentication")
    assert set(scaled) == {"interview", "scoring"}
    for name, obj in scaled.items():
        assert obj["spec"]["scaleTargetRef"]["name"] == name
        (queue,) = [t for t in obj["spec"]["triggers"] if t["type"] == "rabbitmq"]
        assert queue["metadata"]["queueName"] == Names("interviewer").queue(name)
        assert queue["authenticationRef"]["name"] in auth
        # the management API counts the events replicas hold unacknowledged (PREFETCH each); AMQP only the ready
        rabbit = by_kind(keda, "RabbitmqCluster")["interviewer-rabbitmq"]["metadata"]
        assert queue["metadata"]["protocol"] == "http"
        assert queue["metadata"]["host"] == f"http://{rabbit['name']}.{rabbit['namespace']}.svc:15672/"
    # the operator's default user, from its own Secret
    refs = auth["interviewer-rabbitmq"]["spec"]["secretTargetRef"]
    assert {(r["parameter"], r["name"], r["key"]) for r in refs} == {
        ("username", "interviewer-rabbitmq-default-user", "username"),
        ("password", "interviewer-rabbitmq-default-user", "password"),
    }
    assert by_kind(keda, "ConfigMap")["interviewer-config"]["data"]["BROKER_NAMESPACE"] == "interviewer"


def test_the_network_policies_admit_what_the_services_use():
    """The optional component: default-deny, then each Service's port from the pods that call it."""
    docs = rendered("hpa", "network-policies")
    policies = by_kind(docs, "NetworkPolicy")
    assert policies["default-deny-ingress"]["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    labels = {n: d["spec"]["template"]["metadata"]["labels"] for n, d in by_kind(docs, "Deployment").items()}

    def admitted(target: str, port: int) -> set[str]:
        """The Deployments whose pods a policy selecting `target`'s pods admits on `port`."""
        callers = set()
        for policy in policies.values():
            selector = policy["spec"]["podSelector"].get("matchLabels", {})
            if not selector.items() <= labels[target].items() or not policy["spec"]["podSelector"]:
                continue
            for rule in policy["spec"].get("ingress", []):
                ports = rule.get("ports", [{"port": port}])
                if not any(p["port"] <= port <= p.get("endPort", p["port"]) for p in ports):
                    continue
                for source in rule["from"]:
                    pods = source.get("podSelector")
                    if pods is None or "namespaceSelector" in source:
                        continue
                    for name, pod_labels in labels.items():
                        exact = pods.get("matchLabels", {}).items() <= pod_labels.items()
                        listed = all(pod_labels.get(e["key"]) in e["values"] for e in pods.get("matchExpressions", []))
                        callers |= {name} if exact and listed else set()
        return callers

    assert admitted("gateway", default_port("gateway")) == set()  # from the Ingress controller's namespace only
    assert admitted("persistence", default_port("persistence")) == {"gateway", "exporter", "scoring"}
    assert admitted("exporter", default_port("exporter")) == {"gateway"}
    assert admitted("interview", default_port("interview")) == admitted("scoring", default_port("scoring")) == set()
    rabbit = policies["interviewer-rabbitmq"]["spec"]["ingress"][0]
    assert rabbit["ports"] == [{"protocol": "TCP", "port": 5672}]
    assert all(pod.items() >= rabbit["from"][0]["podSelector"]["matchLabels"].items() for pod in labels.values())
    mongo = policies["interviewer-mongodb"]["spec"]["ingress"][0]
    assert mongo["from"][0]["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "persistence"}
    budgets = by_kind(docs, "PodDisruptionBudget")
    for name in ("interviewer-rabbitmq", "interviewer-mongodb"):  # the same pods as the budgets select
        assert policies[name]["spec"]["podSelector"] == budgets[name]["spec"]["selector"]


def test_the_operators_resources_match_the_urls_the_services_use():
    docs = rendered("hpa")
    mongo = by_kind(docs, "MongoDBCommunity")["interviewer-mongodb"]
    (user,) = mongo["spec"]["users"]
    assert {
        "name": "readWrite",
        "db": by_kind(docs, "ConfigMap")["interviewer-config"]["data"]["MONGODB_DATABASE"],
    } in user["roles"]
    assert user["passwordSecretRef"]["name"] in by_kind(docs, "Secret")


# docker compose


def dotenv(path: Path) -> dict[str, str]:
    pairs = [line.split("=", 1) for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    return {k: v for k, v in pairs}


def compose_command() -> list[str]:
    """Debian's docker-compose, or the Docker CLI's compose plugin: both validate without an engine."""
    if binary := shutil.which("docker-compose"):
        return [binary]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    pytest.fail("docker-compose is missing: make test-tools (apt-get install docker-compose)")


def compose_config(folder: Path, *flags: str) -> subprocess.CompletedProcess:
    """`docker compose config` in `folder`, with none of this shell's variables (CI sets AMQP_URL and
    MONGODB_URL for the tests, and they would win over both .env and the file's defaults)."""
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return subprocess.run(
        [*compose_command(), "config", *flags], cwd=folder, env=env, capture_output=True, text=True, timeout=60
    )


def fresh_clone(folder: Path) -> Path:
    """What `git clone` gives, with this working tree's version of each file: the tracked files only
    (no .env, no secrets/), so the uncommitted docker-compose.yml is the one checked."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree but not yet in git is not copied
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    assert (folder / "docker-compose.yml").is_file() and not (folder / ".env").exists()
    return folder


def resolved(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    assert "variable is not set" not in result.stderr, result.stderr  # each one the file uses has a default
    return yaml.safe_load(result.stdout)


@pytest.fixture(scope="module")
def compose(tmp_path_factory) -> dict:
    """docker-compose.yml as Docker Compose resolves it in a fresh clone: no .env, nothing copied by hand."""
    return resolved(compose_config(fresh_clone(tmp_path_factory.mktemp("clone"))))


def environments(config: dict) -> dict[str, dict[str, str]]:
    return {name: service.get("environment", {}) for name, service in config["services"].items()}


def test_env_example_names_only_real_settings():
    names = set(dotenv(ROOT / ".env.example"))
    assert not names - ALL_ENV - BROKER_ENV - COMPOSE_ENV, (
        f"not a setting: {names - ALL_ENV - BROKER_ENV - COMPOSE_ENV}"
    )
    assert {"AMQP_URL", "MONGODB_URL", "ADMIN_TOKEN", "OPENAI_API_KEY"} <= names
    # who may start interviews, what candidates see, single sign-on: settable without editing the compose file
    assert {"OPEN_INTERVIEWS", "CANDIDATE_TOKEN_REQUIRED", "CANDIDATE_REPORT", "SELF_IDENTIFICATION"} <= names
    assert {"OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_NAME"} <= names


def test_env_example_credentials_agree():
    env = dotenv(ROOT / ".env.example")
    user, password = env["RABBITMQ_DEFAULT_USER"], env["RABBITMQ_DEFAULT_PASS"]
    assert env["AMQP_URL"] == f"amqp://{user}:{password}@rabbitmq:5672/"
    assert re.match(r"^mongodb://mongodb:27017/\?replicaSet=rs0$", env["MONGODB_URL"])


def test_env_example_lists_exactly_what_a_dot_env_can_change():
    """Each name in .env.example is one the compose file reads (else setting it in .env would do nothing),
    and each one the compose file reads is in .env.example."""

    def strings(node) -> list[str]:
        if isinstance(node, dict):
            return [s for k, v in node.items() for s in strings(k) + strings(v)]
        return [s for item in node for s in strings(item)] if isinstance(node, list) else [str(node)]

    text = " ".join(strings(yaml.safe_load((ROOT / "docker-compose.yml").read_text())))  # without the comments
    interpolated = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text))
    assert interpolated == set(dotenv(ROOT / ".env.example"))


def test_compose_starts_from_a_fresh_clone_with_its_defaults(compose, monkeypatch):
    env = environments(compose)
    broker = env["rabbitmq"]
    amqp_url = f"amqp://{broker['RABBITMQ_DEFAULT_USER']}:{broker['RABBITMQ_DEFAULT_PASS']}@rabbitmq:5672/"
    command = compose["services"]["mongodb"]["command"]
    replica_set = command[command.index("--replSet") + 1]
    for name in SERVICES:
        assert env[name]["AMQP_URL"] == amqp_url, name  # the broker's own user, from the same file
        assert not env[name]["ADMIN_TOKEN"] and not env[name]["OPENAI_API_KEY"]  # optional: open, offline AI
    assert env["persistence"]["MONGODB_URL"] == f"mongodb://mongodb:27017/?replicaSet={replica_set}"
    assert env["persistence"]["MONGODB_DATABASE"] == "interviewer"
    # each service reads its settings from exactly this environment: all valid, no secret required
    for name in SERVICES:
        for variable in ALL_ENV | set(env[name]):
            monkeypatch.delenv(variable, raising=False)
        for variable, value in env[name].items():
            monkeypatch.setenv(variable, value)
        settings = SETTINGS[name]()
        assert settings.amqp_url == amqp_url and settings.deployment_environment == "production"
        assert getattr(settings, "admin_token", None) is None and getattr(settings, "openai_api_key", None) is None
        if isinstance(settings, PersistenceSettings):
            assert settings.mongodb_url == env["persistence"]["MONGODB_URL"]  # the store is MongoDB


def test_env_example_holds_the_compose_defaults(tmp_path, compose):
    """Copying .env.example to .env unchanged changes nothing."""
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    assert environments(resolved(compose_config(tmp_path))) == environments(compose)


def test_a_dot_env_overrides_the_defaults(tmp_path):
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    env = dotenv(ROOT / ".env.example") | {
        "RABBITMQ_DEFAULT_PASS": "s3cret",
        "AMQP_URL": "amqp://interviewer:s3cret@rabbitmq:5672/",
        "ADMIN_TOKEN": "a-long-random-token",
        "OPENAI_MODEL": "gpt-4.1",
        "MONGODB_DATABASE": "hiring",
        "MONGODB_URL": "",  # set and empty: SQLite, not the default MongoDB
        "GATEWAY_ADDRESS": "0.0.0.0",
    }
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    resolved_env = environments(resolved(compose_config(tmp_path)))
    assert resolved_env["rabbitmq"]["RABBITMQ_DEFAULT_PASS"] == "s3cret"
    for name in SERVICES:
        assert resolved_env[name]["AMQP_URL"] == "amqp://interviewer:s3cret@rabbitmq:5672/"
        assert resolved_env[name]["ADMIN_TOKEN"] == "a-long-random-token"
        assert resolved_env[name]["OPENAI_MODEL"] == "gpt-4.1"
    assert resolved_env["persistence"]["MONGODB_DATABASE"] == "hiring"
    assert resolved_env["persistence"]["MONGODB_URL"] == ""
    published = resolved(compose_config(tmp_path))["services"]["gateway"]["ports"]
    assert [published_at(port) for port in published] == ["0.0.0.0:8000"]


def published_at(port: str | dict) -> str:
    """`host_ip:published` of a port as the installed Compose writes it: short ("127.0.0.1:8000:8000/tcp") or long."""
    if isinstance(port, dict):
        return f"{port.get('host_ip', '0.0.0.0')}:{port['published']}"
    return port.rsplit(":", 1)[0]


def test_compose_runs_every_service_with_a_readiness_healthcheck(compose):
    services = compose["services"]
    assert set(services) == set(SERVICES) | {"rabbitmq", "mongodb"}
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"gateway", "rabbitmq"}  # the rest scale freely: no fixed host port to clash on
    # this host only, unless GATEWAY_ADDRESS says otherwise
    assert [published_at(port) for port in services["gateway"]["ports"]] == ["127.0.0.1:8000"]
    for name in SERVICES:
        service = services[name]
        assert service["command"] == ["python", "-m", f"services.{name}"]
        assert service["restart"] == "unless-stopped"
        assert f"127.0.0.1:{default_port(name)}/readyz" in " ".join(service["healthcheck"]["test"])
        assert service["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
        assert "env_file" not in service  # a fresh clone has no .env: every value is in `environment`
        assert set(service["environment"]) <= ALL_ENV, set(service["environment"]) - ALL_ENV
        assert service["environment"]["AMQP_URL"].startswith("amqp://interviewer:")
        assert "container_name" not in service  # --scale needs generated names
    assert services["persistence"]["depends_on"]["mongodb"]["condition"] == "service_healthy"
    assert services["persistence"]["environment"]["PERSISTENCE_URL"]
    assert services["gateway"]["environment"]["PERSISTENCE_URL"] == f"http://persistence:{default_port('persistence')}"
    assert "--replSet" in services["mongodb"]["command"]
    assert set(compose["volumes"]) >= {"rabbitmq-data", "mongodb-data", "interview-data"}


def mount_targets(service: dict) -> set[str]:
    """Where a service's volumes are mounted, short ("name:/data:rw") or long form as the installed Compose writes it."""
    return {v["target"] if isinstance(v, dict) else v.split(":")[1] for v in service.get("volumes", [])}


def test_compose_runs_the_services_hardened_as_the_pods(compose):
    """Read-only, no capabilities, no privilege gain: what the Kubernetes pods have. Writable: /tmp everywhere and
    persistence's DATA_DIR (the SQLite store, when MONGODB_URL is empty), which the image sets to /data."""
    services = compose["services"]
    assert re.search(r"^\s+BIND_HOST=0\.0\.0\.0 DATA_DIR=/data$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    for name in SERVICES:
        service = services[name]
        assert service["read_only"] is True and service["tmpfs"] == ["/tmp"], name
        assert service["cap_drop"] == ["ALL"] and service["security_opt"] == ["no-new-privileges:true"], name
        assert service["stop_grace_period"] == "30s" and service["logging"] == {"driver": "local"}, name
        assert "DATA_DIR" not in service["environment"]  # the image's /data
    assert "/data" in mount_targets(services["persistence"])
    assert mount_targets(services["exporter"]) == {"/secrets"}
    # exact releases of the broker and the database
    assert re.fullmatch(r"rabbitmq:\d+\.\d+\.\d+-management", services["rabbitmq"]["image"])
    assert re.fullmatch(r"mongo:\d+\.\d+\.\d+", services["mongodb"]["image"])


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_build_context():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    expected = {".git", ".venv*", ".env", "secrets", ".*_cache", ".hypothesis", "test-output", "interview_data"}
    assert expected <= ignored
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert not {s for line in copied for s in line.split()} & ignored  # what the image needs stays in the context


def test_compose_refuses_an_invalid_file(tmp_path):
    """The validation can fail: a misspelt key is an error, not ignored."""
    text = (ROOT / "docker-compose.yml").read_text().replace("restart: unless-stopped", "restrat: unless-stopped", 1)
    (tmp_path / "docker-compose.yml").write_text(text)
    result = compose_config(tmp_path, "-q")
    assert result.returncode != 0 and "restrat" in result.stderr


def test_dockerfile_builds_one_slim_non_root_image():
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert len(stages) == 2 and all(s.endswith("-slim") for s in stages), stages
    assert re.search(rf"^USER {NON_ROOT_UID}$", text, re.MULTILINE)
    assert "BIND_HOST=0.0.0.0" in text
    for name in SERVICES:
        assert str(default_port(name)) in re.search(r"^EXPOSE (.+)$", text, re.MULTILINE).group(1)


def test_the_github_workflow_runs_the_readme_test_command_on_real_servers():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    (job,) = workflow["jobs"].values()
    assert set(job["services"]) == {"rabbitmq", "mongodb"}
    assert job["services"]["mongodb"]["image"].startswith("mongo:")
    broker = job["services"]["rabbitmq"]["env"]
    user, password = broker["RABBITMQ_DEFAULT_USER"], broker["RABBITMQ_DEFAULT_PASS"]
    assert job["env"]["AMQP_URL"] == f"amqp://{user}:{password}@127.0.0.1:5672/"
    assert job["env"]["MONGODB_URL"].startswith("mongodb://127.0.0.1:27017")
    runs = [step.get("run", "") for step in job["steps"]]
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and any(r.startswith("make test") for r in runs)
    (test_step,) = [s for s in job["steps"] if s.get("run", "").startswith("make test")]
    assert "rabbitmqctl" in test_step["env"]["RABBITMQCTL"]


def test_the_wheel_the_image_installs_holds_every_file_the_code_reads(tmp_path):
    """The Dockerfile installs the project as a wheel: every file beside the code (web pages, SQL, prompts)
    must be in it, or the container fails where the checkout works."""
    for name in ("pyproject.toml", "README.md", "constraints.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    for package in ("shared", "services"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", "dist", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (wheel,) = (tmp_path / "dist").glob("interviewer-*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    data_files = {
        path.relative_to(ROOT).as_posix()
        for package in ("shared", "services")
        for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    }
    assert {"shared/ai/prompts/assess_answer.md", "services/gateway/web/index.html"} <= data_files
    assert data_files - packaged == set()
