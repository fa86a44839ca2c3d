#!/usr/bin/env python3
"""Checks the deployment files in Deploy/ against the binary they deploy.

Docker and Kubernetes do not run on the test machines, so the files are held to what can be
checked without them:
- every YAML file parses, and the Kubernetes objects have what their kind needs (selectors that
  match their pods, probes on declared ports, references to ConfigMaps, Secrets, Deployments and
  TriggerAuthentications that exist, a kustomization that lists every manifest);
- every `arrears` command line (Dockerfile ENTRYPOINT/CMD, compose commands, Kubernetes args,
  systemd ExecStart) names a subcommand and flags that `arrears <subcommand> --help` lists;
- every environment variable set for an `arrears` process is one that subcommand reads: its
  `--help` names it and the sources read it;
- the KEDA scaler's query runs against a migrated database and returns one integer;
- every table that Schema/ creates is classified (distributed, reference or local) in
  SCALING.md's "Which table is what", so no new table is left out of the plan for Citus.

Usage: deploy_check.py [--database-url CONNINFO]   (ARREARS_BIN names the binary)
"""

import argparse
import configparser
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "Deploy"
BINARY = os.environ.get("ARREARS_BIN", str(ROOT / ".build/debug/arrears"))
ENV_NAME = re.compile(r"\b(DATABASE_URL|ARREARS_[A-Z0-9_]+)\b")

problems = []


def problem(where, message):
    problems.append(f"{where}: {message}")


# --- what the binary offers ------------------------------------------------------------------

help_cache = {}


def subcommand_help(subcommand):
    if subcommand not in help_cache:
        result = subprocess.run([BINARY, subcommand, "--help"], capture_output=True, text=True)
        help_cache[subcommand] = result.stdout if result.returncode == 0 else None
    return help_cache[subcommand]


def read_in_sources():
    """Environment variable names that appear as string literals in Sources/."""
    names = set()
    for path in (ROOT / "Sources").rglob("*.swift"):
        names.update(re.findall(r'"(DATABASE_URL|ARREARS_[A-Z0-9_]+)"', path.read_text()))
    return names


SOURCE_NAMES = read_in_sources()


def check_process(where, argv, env_names):
    """argv: the arguments after `arrears`; env_names: the variables set for the process."""
    if not argv:
        problem(where, "no arrears subcommand")
        return
    subcommand = argv[0]
    text = subcommand_help(subcommand)
    if text is None:
        problem(where, f"`arrears {subcommand}` is not a subcommand of {BINARY}")
        return
    flags = set(re.findall(r"--[a-z][a-z0-9-]*", text))
    for argument in argv[1:]:
        if argument.startswith("--"):
            flag = argument.split("=", 1)[0]
            if flag not in flags:
                problem(where, f"`arrears {subcommand}` has no flag {flag}")
    named = set(ENV_NAME.findall(text))
    for name in sorted(env_names):
        if name not in named:
            problem(where, f"{name} is set, but `arrears {subcommand} --help` does not name it")
        elif name not in SOURCE_NAMES:
            problem(where, f"{name} is named in the help of `arrears {subcommand}` but read nowhere in Sources/")


# --- Kubernetes -------------------------------------------------------------------------------

def load_yaml(path):
    try:
        return [document for document in yaml.safe_load_all(path.read_text()) if document is not None]
    except yaml.YAMLError as error:
        problem(path.relative_to(ROOT), f"does not parse: {error}")
        return []


def labels_match(selector, labels):
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def check_kubernetes(folder):
    objects = []  # (path, object)
    for path in sorted(folder.rglob("*.yaml")):
        for document in load_yaml(path):
            objects.append((path, document))
    by_kind = {}
    for path, document in objects:
        where = f"{path.relative_to(ROOT)} {document.get('kind', '?')}"
        for field in ("apiVersion", "kind"):
            if field not in document:
                problem(where, f"no {field}")
        if document.get("kind") != "Kustomization" and not (document.get("metadata") or {}).get("name"):
            problem(where, "no metadata.name")
        by_kind.setdefault(document.get("kind"), []).append((path, document))

    def named(kind, name):
        return next((document for _, document in by_kind.get(kind, []) if document["metadata"]["name"] == name), None)

    # The kustomization lists every manifest in its folder; alternatives/ are left out on purpose.
    for path, kustomization in by_kind.get("Kustomization", []):
        listed = {(path.parent / resource).resolve() for resource in kustomization.get("resources", [])}
        for resource in listed:
            if not resource.exists():
                problem(path.relative_to(ROOT), f"lists {resource.name}, which does not exist")
        for manifest in path.parent.glob("*.yaml"):
            if manifest != path and manifest.resolve() not in listed:
                problem(path.relative_to(ROOT), f"does not list {manifest.name}")
        if not any(image.get("name") == "arrears" for image in kustomization.get("images", [])):
            problem(path.relative_to(ROOT), "sets no image for `arrears`")

    configmaps = {document["metadata"]["name"]: document.get("data") or {} for _, document in by_kind.get("ConfigMap", [])}
    secrets = {document["metadata"]["name"]: {**(document.get("data") or {}), **(document.get("stringData") or {})}
               for _, document in by_kind.get("Secret", [])}

    def check_pod(where, pod_spec, workload):
        containers = pod_spec.get("containers") or []
        if not containers:
            problem(where, "no containers")
        for container in containers:
            name = f"{where} container {container.get('name')}"
            if not container.get("image"):
                problem(name, "no image")
            ports = {port.get("name") for port in container.get("ports", [])} | {
                port.get("containerPort") for port in container.get("ports", [])}
            for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                http = (container.get(probe) or {}).get("httpGet")
                if http and http.get("port") not in ports:
                    problem(name, f"{probe} uses port {http.get('port')}, which the container does not declare")
            env_names = set()
            for variable in container.get("env", []):
                env_names.add(variable["name"])
                reference = (variable.get("valueFrom") or {})
                if "secretKeyRef" in reference:
                    secret = reference["secretKeyRef"]
                    if secret.get("key") not in secrets.get(secret.get("name"), {}):
                        problem(name, f"{variable['name']} refers to {secret.get('name')}/{secret.get('key')}, which no Secret has")
                if "configMapKeyRef" in reference:
                    entry = reference["configMapKeyRef"]
                    if entry.get("key") not in configmaps.get(entry.get("name"), {}):
                        problem(name, f"{variable['name']} refers to {entry.get('name')}/{entry.get('key')}, which no ConfigMap has")
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    reference = source["configMapRef"]["name"]
                    if reference not in configmaps:
                        problem(name, f"envFrom names ConfigMap {reference}, which does not exist")
                    env_names.update(configmaps.get(reference, {}).keys())
                if "secretRef" in source:
                    reference = source["secretRef"]["name"]
                    if reference not in secrets:
                        problem(name, f"envFrom names Secret {reference}, which does not exist")
                    env_names.update(secrets.get(reference, {}).keys())
            if container.get("image", "").split(":")[0].split("/")[-1] == "arrears":
                if container.get("command") not in (None, ["arrears"]):
                    problem(name, "overrides the image's entrypoint; give arguments in args")
                check_process(name, [str(argument) for argument in container.get("args", [])], env_names)
                role = (container.get("args") or [None])[0]
                if workload == "Deployment" and role == "serve":
                    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
                        if ((container.get(probe) or {}).get("httpGet") or {}).get("path") != path:
                            problem(name, f"a coordinator needs a {probe} on {path}")
                if workload == "Deployment" and role == "worker":
                    if ((container.get("livenessProbe") or {}).get("httpGet") or {}).get("path") != "/healthz":
                        problem(name, "a worker needs a livenessProbe on /healthz")
                    if "ARREARS_METRICS_PORT" not in env_names and "--metrics-port" not in container.get("args", []):
                        problem(name, "a worker in Kubernetes needs its metrics endpoint (ARREARS_METRICS_PORT)")

    deployments = {}
    for path, deployment in by_kind.get("Deployment", []):
        where = f"{path.relative_to(ROOT)} Deployment {deployment['metadata']['name']}"
        template = deployment.get("spec", {}).get("template", {})
        labels = template.get("metadata", {}).get("labels", {})
        if not labels_match(deployment.get("spec", {}).get("selector", {}).get("matchLabels"), labels):
            problem(where, "spec.selector.matchLabels does not match the pod template's labels")
        deployments[deployment["metadata"]["name"]] = labels
        check_pod(where, template.get("spec", {}), "Deployment")
    for path, job in by_kind.get("Job", []):
        where = f"{path.relative_to(ROOT)} Job {job['metadata']['name']}"
        pod = job.get("spec", {}).get("template", {}).get("spec", {})
        if pod.get("restartPolicy") not in ("Never", "OnFailure"):
            problem(where, "a Job's pods need restartPolicy Never or OnFailure")
        check_pod(where, pod, "Job")

    for kind in ("Service", "PodDisruptionBudget"):
        for path, document in by_kind.get(kind, []):
            where = f"{path.relative_to(ROOT)} {kind} {document['metadata']['name']}"
            spec = document.get("spec", {})
            selector = spec.get("selector", {}) if kind == "Service" else spec.get("selector", {}).get("matchLabels", {})
            if not any(labels_match(selector, labels) for labels in deployments.values()):
                problem(where, "its selector matches no Deployment's pods")
            if kind == "PodDisruptionBudget" and ("minAvailable" in spec) == ("maxUnavailable" in spec):
                problem(where, "needs exactly one of minAvailable and maxUnavailable")
    for path, service in by_kind.get("Service", []):
        for port in service.get("spec", {}).get("ports", []):
            if "targetPort" not in port:
                problem(f"{path.relative_to(ROOT)} Service", "a port without targetPort")

    for path, scaled in by_kind.get("ScaledObject", []) + by_kind.get("HorizontalPodAutoscaler", []):
        where = f"{path.relative_to(ROOT)} {scaled['kind']} {scaled['metadata']['name']}"
        target = scaled.get("spec", {}).get("scaleTargetRef", {}).get("name")
        if target not in deployments:
            problem(where, f"scales {target}, which is no Deployment")
    keda_queries = []
    for path, scaled in by_kind.get("ScaledObject", []):
        where = f"{path.relative_to(ROOT)} ScaledObject {scaled['metadata']['name']}"
        for trigger in scaled.get("spec", {}).get("triggers", []):
            if trigger.get("type") != "postgresql":
                continue
            query = trigger.get("metadata", {}).get("query", "")
            if "tasks" not in query or "'available'" not in query:
                problem(where, "the postgresql trigger's query must count the tasks that are available")
            if "targetQueryValue" not in trigger.get("metadata", {}):
                problem(where, "the postgresql trigger needs a targetQueryValue")
            reference = (trigger.get("authenticationRef") or {}).get("name")
            authentication = named("TriggerAuthentication", reference) if reference else None
            if reference and authentication is None:
                problem(where, f"authenticationRef names {reference}, which does not exist")
            for target in (authentication or {}).get("spec", {}).get("secretTargetRef", []):
                if target.get("key") not in secrets.get(target.get("name"), {}):
                    problem(where, f"TriggerAuthentication uses {target.get('name')}/{target.get('key')}, which no Secret has")
            keda_queries.append((where, query))
    if not keda_queries:
        problem(folder.relative_to(ROOT), "no KEDA postgresql trigger scales the workers")
    return keda_queries


# --- compose ---------------------------------------------------------------------------------

def check_compose(path):
    for document in load_yaml(path):
        services = document.get("services") or {}
        for required in ("postgres", "migrate"):
            if required not in services:
                problem(path.relative_to(ROOT), f"no {required} service")
        commands = {}
        for name, service in services.items():
            where = f"{path.relative_to(ROOT)} service {name}"
            if not service.get("image"):
                problem(where, "no image")
            if service.get("image", "").split(":")[0] != "arrears":
                continue
            command = service.get("command")
            if not isinstance(command, list):
                problem(where, "give the command as a list of arguments")
                continue
            environment = service.get("environment") or {}
            names = set(environment) if isinstance(environment, dict) else {entry.split("=", 1)[0] for entry in environment}
            check_process(where, [str(argument) for argument in command], names)
            commands.setdefault(command[0], []).append(name)
            if command[0] != "migrate":
                condition = ((service.get("depends_on") or {}).get("migrate") or {}).get("condition")
                if condition != "service_completed_successfully":
                    problem(where, "must wait for migrate (depends_on condition service_completed_successfully)")
        coordinators = len(commands.get("serve", []))
        workers = sum((services[name].get("deploy") or {}).get("replicas", 1) for name in commands.get("worker", []))
        if coordinators < 2 or workers < 2:
            problem(path.relative_to(ROOT), f"wants two coordinators and two workers, has {coordinators} and {workers}")


# --- Dockerfile ------------------------------------------------------------------------------

def check_dockerfile(path):
    where = path.relative_to(ROOT)
    text = path.read_text()
    stages = re.split(r"^FROM\s", text, flags=re.MULTILINE)
    if len(stages) < 3:
        problem(where, "wants a build stage and a runtime stage")
        return
    runtime = stages[-1]
    if not runtime.startswith("debian:bookworm-slim"):
        problem(where, "the runtime stage should be debian:bookworm-slim")
    for package in ("libpq5", "libcurl4", "ca-certificates"):
        if not re.search(rf"\b{re.escape(package)}\b", runtime):
            problem(where, f"the runtime stage does not install {package}")
    if not re.search(r"^USER\s+(?!0\b|root\b)\S+", runtime, flags=re.MULTILINE):
        problem(where, "the runtime stage must run as a non-root USER")
    if "--static-swift-stdlib" not in stages[1] and "--static-swift-stdlib" not in text:
        problem(where, "the build should link the Swift runtime statically")
    entrypoint = re.search(r"^ENTRYPOINT\s+(\[.*\])\s*$", runtime, flags=re.MULTILINE)
    if not entrypoint or yaml.safe_load(entrypoint.group(1)) != ["arrears"]:
        problem(where, 'ENTRYPOINT must be ["arrears"]')
    command = re.search(r"^CMD\s+(\[.*\])\s*$", runtime, flags=re.MULTILINE)
    env_names = set(re.findall(r"^ENV\s+([A-Z0-9_]+)", runtime, flags=re.MULTILINE))
    if command:
        check_process(f"{where} CMD", yaml.safe_load(command.group(1)), env_names)


# --- systemd ---------------------------------------------------------------------------------

def environment_file(folder, path):
    """The example in Deploy/systemd that stands for an EnvironmentFile= path on a machine."""
    example = folder / (Path(path.lstrip("-")).name + ".example")
    return example if example.exists() else None


def check_systemd(folder):
    units = sorted(folder.glob("*.service"))
    for required in ("arrears-serve.service", "arrears-worker@.service", "arrears-migrate.service"):
        if not (folder / required).exists():
            problem(folder.relative_to(ROOT), f"no {required}")
    for unit in units:
        where = unit.relative_to(ROOT)
        parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
        parser.optionxform = str
        # Repeated keys (EnvironmentFile=, Environment=) are kept, one per line.
        lines = {}
        for raw in unit.read_text().splitlines():
            line = raw.strip()
            if line and not line.startswith(("#", ";", "[")) and "=" in line:
                key, value = line.split("=", 1)
                lines.setdefault(key.strip(), []).append(value.strip())
        parser.read_string(unit.read_text())
        for section in ("Unit", "Service", "Install"):
            if not parser.has_section(section):
                problem(where, f"no [{section}] section")
        env_names = set()
        for value in lines.get("Environment", []):
            for assignment in shlex.split(value):
                env_names.add(assignment.split("=", 1)[0])
        for value in lines.get("EnvironmentFile", []):
            example = environment_file(folder, value)
            if example is None:
                problem(where, f"EnvironmentFile={value} has no example beside the unit ({Path(value).name}.example)")
                continue
            for raw in example.read_text().splitlines():
                line = raw.strip()
                if line and not line.startswith("#") and "=" in line:
                    env_names.add(line.split("=", 1)[0].strip())
                elif line.startswith("#") and re.match(r"#\s*(DATABASE_URL|ARREARS_[A-Z0-9_]+)=", line):
                    # A commented-out setting is one the operator may switch on: it must work too.
                    env_names.add(line.lstrip("#").strip().split("=", 1)[0])
        starts = lines.get("ExecStart", [])
        if len(starts) != 1:
            problem(where, "wants exactly one ExecStart")
            continue
        argv = shlex.split(starts[0])
        if Path(argv[0]).name != "arrears":
            problem(where, "ExecStart does not run arrears")
            continue
        check_process(where, argv[1:], env_names)
        if not lines.get("User"):
            problem(where, "runs as root: set User=")


# --- SCALING.md: every table classified -------------------------------------------------------

# At the start of a line: the partitions arrears_queue_maintain creates (`EXECUTE format('CREATE
# TABLE %I …`) are classified with their parent.
CREATE_TABLE = re.compile(r"^\s*CREATE TABLE\s+(?:IF NOT EXISTS\s+)?([a-z_][a-z0-9_]*)", re.IGNORECASE | re.MULTILINE)


def check_scaling(path):
    text = path.read_text()
    section = re.search(r"^### Which table is what\n(.*?)(?=^#)", text, re.MULTILINE | re.DOTALL)
    if not section:
        problem(path.relative_to(ROOT), 'no section "### Which table is what"')
        return
    classified = set(re.findall(r"`([a-z_][a-z0-9_]*)`", section.group(1)))
    for schema in sorted((ROOT / "Schema").glob("*.sql")):
        for table in CREATE_TABLE.findall(schema.read_text()):
            if table not in classified:
                problem(path.relative_to(ROOT), f'table {table} (Schema/{schema.name}) is not classified under "Which table is what"')


# --- the KEDA query against a real database ------------------------------------------------

def check_queries(queries, database_url):
    for where, query in queries:
        result = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", database_url, "-c", query],
                                capture_output=True, text=True)
        if result.returncode != 0:
            problem(where, f"the query fails on a migrated database: {result.stderr.strip()}")
        elif not re.fullmatch(r"-?\d+", result.stdout.strip()):
            problem(where, f"the query must return one integer, returned {result.stdout.strip()!r}")


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--database-url", help="a migrated database to run the KEDA query on")
    options = arguments.parse_args()
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"deploy_check: no arrears binary at {BINARY} (set ARREARS_BIN)")
    for path in sorted(DEPLOY.rglob("*.y*ml")):
        load_yaml(path)
    queries = check_kubernetes(DEPLOY / "kubernetes")
    check_compose(DEPLOY / "compose.yaml")
    check_dockerfile(DEPLOY / "Dockerfile")
    check_systemd(DEPLOY / "systemd")
    check_scaling(DEPLOY / "SCALING.md")
    if options.database_url:
        check_queries(queries, options.database_url)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(f"deploy_check: {len(problems)} problem(s) in Deploy/")
    checked = sorted(help_cache)
    print(f"deploy_check: Deploy/ is consistent with {BINARY} (subcommands checked: {', '.join(checked)})")


if __name__ == "__main__":
    main()
