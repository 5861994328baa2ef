# Andel API. Build: docker build -t andel .   (docker compose up does it for you)
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/andel ./cmd/andel

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/andel /andel
ENV ANDEL_ADDR=0.0.0.0:8080 ANDEL_ENV=production
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/andel"]
CMD ["serve"]
