# callcare in a container (used by docker-compose.yml).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -o /out/callcare ./cmd/callcare

FROM debian:bookworm-slim
RUN useradd --system --home /var/lib/callcare callcare && install -d -o callcare /var/lib/callcare
COPY --from=build /out/callcare /usr/local/bin/callcare
COPY callcare.example.yaml /etc/callcare/callcare.yaml
USER callcare
ENTRYPOINT ["/usr/local/bin/callcare"]
CMD ["serve", "--config", "/etc/callcare/callcare.yaml"]
