-- +goose Up
-- Identity and tenancy: the cooperative's members (practices), its suppliers,
-- the people and keys that act for them, and the trail of what they did.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE members (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL CHECK (btrim(name) <> ''),
    cvr             char(8)     NOT NULL CHECK (cvr ~ '^[0-9]{8}$'),
    provider_number text,
    status          text        NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'suspended', 'left')),
    joined_on       date        NOT NULL DEFAULT current_date,
    quality_cluster text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT members_cvr_key UNIQUE (cvr)
);

CREATE TABLE suppliers (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL CHECK (btrim(name) <> ''),
    vat_id          text        NOT NULL CHECK (btrim(vat_id) <> ''),
    order_webhook_url text,
    order_email     text,
    catalogue_feed_url text,
    status          text        NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'inactive')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT suppliers_vat_id_key UNIQUE (vat_id)
);

-- A supplier's bearer key is shown once. We keep a short public prefix to find
-- the row and a SHA-256 of the secret part: keys are 256-bit random, so a slow
-- password hash would add latency to every call without adding safety.
CREATE TABLE api_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    supplier_id  bigint      NOT NULL REFERENCES suppliers (id),
    name         text        NOT NULL DEFAULT '',
    prefix       text        NOT NULL,
    secret_hash  bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_keys_prefix_key UNIQUE (prefix)
);
CREATE INDEX api_keys_supplier_idx ON api_keys (supplier_id);

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text        NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('admin', 'board', 'member', 'supplier')),
    member_id     bigint      REFERENCES members (id),
    supplier_id   bigint      REFERENCES suppliers (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    -- A user belongs to exactly the tenant its role implies, and to no other.
    CONSTRAINT users_tenant_matches_role CHECK (
        (role = 'member'   AND member_id IS NOT NULL AND supplier_id IS NULL) OR
        (role = 'supplier' AND supplier_id IS NOT NULL AND member_id IS NULL) OR
        (role IN ('admin', 'board') AND member_id IS NULL AND supplier_id IS NULL)
    )
);

-- Server-side sessions (scs pgxstore layout) so that any replica can serve any user.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea       NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed logins, counted per account and per address to slow guessing.
CREATE TABLE login_failures (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        text        NOT NULL,
    remote_addr  text        NOT NULL,
    failed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, failed_at);
CREATE INDEX login_failures_addr_idx ON login_failures (remote_addr, failed_at);

CREATE TABLE products (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL CHECK (btrim(name) <> ''),
    gtin        text        CHECK (gtin ~ '^[0-9]{8}$|^[0-9]{12,14}$'),
    category    text        NOT NULL DEFAULT '',
    base_unit   text        NOT NULL,
    status      text        NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'candidate', 'merged')),
    merged_into bigint      REFERENCES products (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX products_gtin_key ON products (gtin) WHERE gtin IS NOT NULL AND status <> 'merged';
CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops);

-- Append-only: who did what. The trigger makes the promise hold against any
-- code path, not only ours.
CREATE TABLE audit_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    actor_user_id bigint,
    actor_api_key_id bigint,
    actor        text        NOT NULL,
    action       text        NOT NULL,
    entity       text        NOT NULL,
    entity_id    bigint,
    member_id    bigint,
    supplier_id  bigint,
    request_id   text        NOT NULL DEFAULT '',
    details      jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id);
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at);

-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- One row per run of a scheduled or hand-started job.
CREATE TABLE job_runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job         text        NOT NULL,
    trigger     text        NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status      text        NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
    counts      jsonb       NOT NULL DEFAULT '{}',
    error       text        NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_job_idx ON job_runs (job, started_at DESC);

-- +goose Down
DROP TABLE job_runs;
DROP TRIGGER audit_events_no_truncate ON audit_events;
DROP TRIGGER audit_events_no_update ON audit_events;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE products;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE api_keys;
DROP TABLE suppliers;
DROP TABLE members;
