# syntax=docker/dockerfile:1
# callcare's images, used by docker-compose.yml:
#   callcare (the last stage, the default): the service, small, not root
#   setup: the one-shot step that builds the prompts and writes Asterisk's
#          passwords from the compose secrets (deploy/compose/setup.sh)
#
#   docker build -t callcare .
#   docker build --target setup -t callcare-setup .

# The program. cgo for SQLite (github.com/mattn/go-sqlite3); Debian 12, as
# the images below, so the C library matches.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/callcare ./cmd/callcare \
    && mkdir -p /out/state

# The one-shot setup: espeak-ng and sox speak the prompts; Debian's packages
# bring Asterisk's English core sounds and hold music. Runs as root: it
# hands the files it writes to Asterisk's user.
FROM debian:bookworm-slim AS setup
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        espeak-ng sox asterisk-core-sounds-en-wav asterisk-moh-opsound-wav \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/callcare /usr/local/bin/callcare
COPY deploy/compose/setup.sh /usr/local/bin/callcare-setup
ENTRYPOINT ["/usr/local/bin/callcare-setup"]

# The service: the program and the C library it needs, nothing else (no
# shell); runs as the image's nonroot user (65532). The database lives on
# the volume at /var/lib/callcare; the ARI password comes from a file or the
# environment, never from the image.
FROM gcr.io/distroless/base-debian12:nonroot AS callcare
COPY --from=build /out/callcare /usr/local/bin/callcare
COPY --from=build --chown=65532:65532 /out/state /var/lib/callcare
COPY callcare.example.yaml /etc/callcare/callcare.yaml
USER 65532:65532
WORKDIR /var/lib/callcare
ENTRYPOINT ["/usr/local/bin/callcare"]
CMD ["serve", "--config", "/etc/callcare/callcare.yaml"]
