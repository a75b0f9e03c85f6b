#!/usr/bin/env bash
# Checks the deployment files without a Docker engine (a few seconds):
#   - docker-compose.yml parses, and every file it references exists
#     (build context, Dockerfile, bind mounts, env files);
#   - every variable it gives the service is in docs/configuration.md's table;
#   - every COPY source of the Dockerfile exists and .dockerignore keeps it,
#     and so does every file the code embeds (include_str!/include_bytes!);
#   - the runtime stage copies only the binary and runs as a non-root USER;
#   - ports agree (SERVER_PORT, the published target port, EXPOSE), and the
#     builder's Rust is at least Cargo.toml's rust-version;
#   - `docker compose config -q`, when the compose plugin is installed.
# PyYAML comes from target/tools/venv (scripts/tools.sh installs it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

py="$root/target/tools/venv/bin/python"
if ! "$py" -c 'import yaml' 2>/dev/null; then
    scripts/tools.sh >/dev/null
fi

"$py" - <<'PY'
import json, re, sys, tomllib
from pathlib import Path
import yaml

failures = []
def check(ok, what, why=""):
    print(("ok    " if ok else "FAIL  ") + what + ("" if ok else f": {why}"))
    if not ok:
        failures.append(what)

try:
    compose = yaml.safe_load(Path("docker-compose.yml").read_text())
except yaml.YAMLError as err:
    check(False, "docker-compose.yml parses", " ".join(str(err).split()))
    sys.exit(1)
check(isinstance(compose, dict) and isinstance(compose.get("services"), dict),
      "docker-compose.yml parses, with services", "no services mapping")
if failures:
    sys.exit(1)
services = compose["services"]

# The configuration table: the first column of each row, `NAME`.
reference = Path("docs/configuration.md").read_text()
known = set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", reference, re.M))
check(len(known) > 5, f"docs/configuration.md's table lists {len(known)} variables", "table not found")

def env_names(env):
    if isinstance(env, dict):
        return list(env)
    return [item.split("=", 1)[0] for item in env or []]

def dockerignore_excludes(path):
    """Whether .dockerignore leaves `path` (or a parent) out of the context."""
    ignore = Path(".dockerignore")
    excluded = False
    for line in ignore.read_text().splitlines() if ignore.exists() else []:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pat = line.lstrip("!").strip("/")
        rx = re.escape(pat).replace(r"\*\*/", "(.*/)?").replace(r"\*\*", ".*")
        rx = rx.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        parts = Path(path).parts
        if any(re.fullmatch(rx, "/".join(parts[:i])) for i in range(1, len(parts) + 1)):
            excluded = not negate
    return excluded

built = None  # (service name, context, dockerfile)
for name, svc in services.items():
    build = svc.get("build")
    if build is not None:
        ctx = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        check(Path(ctx).is_dir(), f"{name}: build context {ctx} exists", "missing")
        check((Path(ctx) / dockerfile).is_file(), f"{name}: {dockerfile} exists", "missing")
        built = (name, Path(ctx), Path(ctx) / dockerfile)
    for vol in svc.get("volumes", []):
        src = vol.get("source") if isinstance(vol, dict) and vol.get("type") == "bind" else \
              vol.split(":")[0] if isinstance(vol, str) else None
        if src and src.startswith((".", "/")):
            check(Path(src).exists(), f"{name}: mounted {src} exists", "missing")
    env_files = svc.get("env_file", [])
    for f in [env_files] if isinstance(env_files, str) else env_files:
        f = f["path"] if isinstance(f, dict) else f
        check(Path(f).is_file(), f"{name}: env_file {f} exists", "missing")
    for dep, cond in (svc.get("depends_on") or {}).items() if isinstance(svc.get("depends_on"), dict) else []:
        if cond.get("condition") == "service_healthy":
            check("healthcheck" in services.get(dep, {}),
                  f"{name}: waits for {dep}, which has a healthcheck", "no healthcheck")

if built is None:
    check(False, "a service is built from the Dockerfile", "no service has build:")
    sys.exit(1)
name, ctx, dockerfile = built
svc = services[name]
unknown = sorted(set(env_names(svc.get("environment"))) - known)
check(not unknown, f"{name}: every environment variable is in docs/configuration.md's table",
      "unknown " + ", ".join(unknown))

# The Dockerfile: instructions with continuations joined, comments dropped.
text = re.sub(r"\\\n", " ", "\n".join(
    l for l in dockerfile.read_text().splitlines() if not l.lstrip().startswith("#")))
stages = []  # [(FROM line, [(instruction, args)])]
for line in text.splitlines():
    if not line.strip():
        continue
    instr, _, args = line.strip().partition(" ")
    instr = instr.upper()
    if instr == "FROM":
        stages.append((args.strip(), []))
    elif stages:
        stages[-1][1].append((instr, args.strip()))
check(len(stages) >= 2, f"{dockerfile} is multi-stage ({len(stages)} stages)", "one stage")

def copy_parts(args):
    words = json.loads(args) if args.startswith("[") else args.split()
    flags = [w for w in words if w.startswith("--")]
    paths = [w for w in words if not w.startswith("--")]
    return flags, paths[:-1], paths[-1]

for _, instrs in stages:
    for instr, args in instrs:
        if instr in ("COPY", "ADD"):
            flags, sources, _ = copy_parts(args)
            if any(f.startswith("--from") for f in flags):
                continue
            for src in sources:
                found = list(ctx.glob(src)) if any(c in src for c in "*?[") else [ctx / src]
                check(all(p.exists() for p in found) and found, f"COPY source {src} exists", "missing")
                inside = [p for f in found for p in ([f] + list(f.rglob("*")))]
                dropped = [str(p.relative_to(ctx)) for p in inside
                           if p.is_file() and dockerignore_excludes(p.relative_to(ctx))]
                check(not dropped, f"COPY source {src} is in the build context",
                      ".dockerignore excludes " + ", ".join(dropped[:3]))

# Files the code embeds (include_str!/include_bytes!) must be copied too.
copied = [src for _, instrs in stages for i, a in instrs if i in ("COPY", "ADD")
          and not any(f.startswith("--from") for f in copy_parts(a)[0]) for src in copy_parts(a)[1]]
for rs in sorted(Path(".").glob("src/**/*.rs")) + sorted(Path(".").glob("entity/**/*.rs")):
    for inc in re.findall(r'include_(?:str|bytes)!\(\s*"([^"]+)"', rs.read_text()):
        target = (rs.parent / inc).resolve().relative_to(Path.cwd().resolve()).as_posix()
        in_copy = any(target == c.rstrip("/") or target.startswith(c.rstrip("/") + "/") for c in copied)
        check(in_copy and not dockerignore_excludes(target),
              f"{target} (embedded by {rs}) is copied into the builder",
              "not in the build context" if in_copy else "no COPY brings it in")

# The runtime stage: the binary only, a non-root user.
runtime = stages[-1][1]
copies = [a for i, a in runtime if i in ("COPY", "ADD")]
users = [a for i, a in runtime if i == "USER"]
binary_copy = len(copies) == 1 and copy_parts(copies[0])[0][:1] and \
    [Path(s).name for s in copy_parts(copies[0])[1]] == ["model-registry"]
check(bool(binary_copy), "runtime stage copies only the model-registry binary", f"copies {copies}")
user = users[-1].split(":")[0] if users else "root"
check(user not in ("root", "0"), f"runtime stage runs as a non-root USER ({user})", "root")
entry = [a for i, a in runtime if i == "ENTRYPOINT"]
dest = copy_parts(copies[0])[2] if copies else None
check(bool(entry) and dest is not None and json.loads(entry[-1])[0] == dest,
      f"ENTRYPOINT runs the copied binary ({dest})", f"{entry}")

# Ports: SERVER_PORT = the published container port = EXPOSE.
env = svc.get("environment") or {}
env = env if isinstance(env, dict) else dict(e.split("=", 1) for e in env if "=" in e)
port = str(env.get("SERVER_PORT", "8080"))
targets = {str(p).split(":")[-1].split("/")[0] if not isinstance(p, dict) else str(p["target"])
           for p in svc.get("ports", [])}
exposed = {a.split("/")[0] for i, a in runtime if i == "EXPOSE"}
check(targets <= {port} and exposed == {port},
      f"ports agree: SERVER_PORT {port}, published {sorted(targets)}, EXPOSE {sorted(exposed)}", "mismatch")

# The builder's Rust against Cargo.toml's rust-version.
need = tomllib.loads(Path("Cargo.toml").read_text())["package"].get("rust-version", "0")
m = re.match(r"rust:(\d+)\.(\d+)", stages[0][0])
have = tuple(map(int, m.groups())) if m else None
check(have is not None and have >= tuple(map(int, need.split(".")[:2])),
      f"builder image {stages[0][0].split()[0]} has Rust >= {need}", "older or not rust:X.Y")

if failures:
    print(f"\n{len(failures)} problem(s) in the deployment files", file=sys.stderr)
    sys.exit(1)
PY

if docker compose version >/dev/null 2>&1; then
    docker compose -f docker-compose.yml config -q ||
        { echo "FAIL  docker compose config -q (see above)" >&2; exit 1; }
    echo "ok    docker compose config -q"
else
    echo "skip  docker compose config -q (no compose plugin installed)"
fi
echo "check-deploy: all deployment checks passed"
