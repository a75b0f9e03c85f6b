# The model-registry service as a small image: the one binary (it needs only
# glibc) on Debian bookworm-slim, run as a non-root user (uid 10001).
#
#   docker build -t model-registry .
#   docker run --rm -p 8085:8080 model-registry          # embedded SQLite
#   docker run --rm model-registry config                 # effective settings
#   docker compose up -d                                  # with PostgreSQL
#
# Configuration is environment variables (docs/configuration.md).

# --- builder ----------------------------------------------------------------
# Same Rust as the project (Cargo.toml: rust-version = "1.94").
FROM rust:1.95-slim-bookworm AS builder
WORKDIR /build

# Dependencies first, so that they are rebuilt only when the manifests or the
# lock file change: the workspace manifests, the entity crate (a member, and
# rarely changed), and stand-in sources for the model-registry crate.
COPY Cargo.toml Cargo.lock ./
COPY entity ./entity
RUN mkdir src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo build --release --locked --bin model-registry \
    && rm -rf src

# The real sources, and the files the binary embeds (include_str!): the
# OpenAPI document, and the schema that `model-registry migrate` creates.
COPY openapi ./openapi
COPY scripts/schema.sql ./scripts/schema.sql
COPY src ./src
# touch: COPY keeps the files' old mtimes, which cargo could take for
# "older than the stand-in build" and skip the rebuild.
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked --bin model-registry

# --- runtime ----------------------------------------------------------------
# No ca-certificates needed: TLS to PostgreSQL uses rustls with built-in
# (webpki) roots. bash (in bookworm-slim) serves compose's healthcheck.
FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 registry \
    && useradd --system --uid 10001 --gid registry \
        --home-dir /var/lib/model-registry --create-home registry
# The working directory holds the embedded SQLite file (model-registry.db)
# when no database is configured, so it belongs to the service's user.
WORKDIR /var/lib/model-registry
COPY --from=builder /build/target/release/model-registry /usr/local/bin/model-registry
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/model-registry"]
