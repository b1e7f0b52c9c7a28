# syntax=docker/dockerfile:1
# safetyrisk: one static-ish binary (cgo for DuckDB; links libstdc++ dynamically).
# Built and run by docker-compose.yml; `docker build -t safetyrisk .` on its own works too.
# Build note: no `go mod download` (it would fetch DuckDB's libraries for five platforms);
# `go build` fetches only linux's, and BuildKit caches modules and the build cache.

FROM golang:1.26-bookworm AS build
WORKDIR /src
ARG VERSION=dev
COPY go.mod go.sum ./
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.Version=${VERSION}" \
      -o /out/safetyrisk ./cmd/safetyrisk

FROM debian:bookworm-slim
# ca-certificates for TLS, tzdata for Asia/Shanghai; libstdc++6 is already in the slim image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/safetyrisk /usr/local/bin/safetyrisk
ENV TZ=Asia/Shanghai
WORKDIR /data
VOLUME ["/data"]
EXPOSE 9822
ENTRYPOINT ["safetyrisk"]
CMD ["serve", "--lake", "/data/lake", "--listen", ":9822"]
