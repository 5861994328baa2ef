-- +goose Up
-- Patronage refund: surplus runs (a period's surplus, allocated to members
-- by their patronage), their computations and every member's figures, the
-- payouts and the members' capital accounts, and the bank details payouts
-- go to.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- A member's bank account for payouts (Danish registration number and
-- account number).
CREATE TABLE member_bank_accounts (
    member_id  bigint      PRIMARY KEY REFERENCES members (id),
    reg_no     char(4)     NOT NULL CHECK (reg_no ~ '^[0-9]{4}$'),
    account_no text        NOT NULL CHECK (account_no ~ '^[0-9]{1,10}$'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text        NOT NULL DEFAULT ''
);

CREATE TABLE surplus_runs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('patronage', 'redemption')),
    status          text        NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'approved', 'distributed', 'cancelled')),
    period          text        NOT NULL, -- "2025" or "2025-01-01/2025-06-30"
    period_from     date        NOT NULL,
    period_to       date        NOT NULL, -- inclusive
    currency        char(3)     NOT NULL,
    -- redemption runs: the patronage run whose retained amounts are paid
    -- (NULL with member_id: every retained amount of that member)
    source_run_id   bigint      REFERENCES surplus_runs (id),
    -- single-member redemption
    member_id       bigint      REFERENCES members (id),
    computation     integer     NOT NULL DEFAULT 0, -- the current one
    snapshot_sha256 text        NOT NULL DEFAULT '',
    income              numeric(18,2) NOT NULL DEFAULT 0,
    costs               numeric(18,2) NOT NULL DEFAULT 0,
    reserve             numeric(18,2) NOT NULL DEFAULT 0,
    distributable       numeric(18,2) NOT NULL DEFAULT 0,
    cash_total          numeric(18,2) NOT NULL DEFAULT 0,
    retained_total      numeric(18,2) NOT NULL DEFAULT 0,
    carry_forward_total numeric(18,2) NOT NULL DEFAULT 0,
    carry_forward_in_total numeric(18,2) NOT NULL DEFAULT 0,
    members         integer     NOT NULL DEFAULT 0,
    missing_bank_details integer NOT NULL DEFAULT 0,
    prepared_by_user_id bigint,
    prepared_by     text        NOT NULL,
    prepared_at     timestamptz NOT NULL DEFAULT now(),
    approved_by_user_id bigint,
    approved_by     text,
    approved_at     timestamptz,
    approved_sha256 text,
    distributed_at  timestamptz,
    cancelled_at    timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (period_from <= period_to),
    CHECK (kind = 'redemption' OR (source_run_id IS NULL AND member_id IS NULL)),
    CHECK (status IN ('draft', 'cancelled') OR approved_sha256 = snapshot_sha256),
    -- Two whole-cooperative patronage runs never cover the same day.
    CONSTRAINT surplus_runs_no_overlap EXCLUDE USING gist (
        kind WITH =, daterange(period_from, period_to, '[]') WITH &&
    ) WHERE (status <> 'cancelled' AND kind = 'patronage')
);
CREATE INDEX surplus_runs_status_idx ON surplus_runs (status, id);

-- Every computation of a run, kept: the inputs snapshot exactly as hashed.
CREATE TABLE surplus_computations (
    run_id      bigint      NOT NULL REFERENCES surplus_runs (id),
    computation integer     NOT NULL,
    snapshot    text        NOT NULL,
    sha256      text        NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    computed_by text        NOT NULL,
    PRIMARY KEY (run_id, computation)
);

-- Every member's figures of every computation. The bulk tables below have
-- no per-row foreign keys: a run over 100,000 members writes each of them
-- in one statement, and a row-by-row key check would double its time. Rows
-- are only ever inserted by statements that select from a computation of a
-- locked run (figures, then payouts and capital entries from the figures),
-- and the statement trigger below refuses figures for a run not in draft.
CREATE TABLE surplus_allocations (
    run_id            bigint        NOT NULL,
    computation       integer       NOT NULL,
    member_id         bigint        NOT NULL,
    patronage         numeric(18,2) NOT NULL,
    share             numeric(12,10) NOT NULL,
    allocation        numeric(18,2) NOT NULL,
    cash              numeric(18,2) NOT NULL,
    retained          numeric(18,2) NOT NULL,
    carry_forward_in  numeric(18,2) NOT NULL,
    carry_forward_out numeric(18,2) NOT NULL,
    payout            numeric(18,2) NOT NULL,
    bank_reg_no       text          NOT NULL DEFAULT '',
    bank_account_no   text          NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, computation, member_id),
    CHECK (cash + retained = allocation),
    CHECK (payout + carry_forward_out = cash + carry_forward_in)
);
CREATE INDEX surplus_allocations_member_idx ON surplus_allocations (member_id, run_id);

-- Cash paid: one payout per member and run, ever.
CREATE TABLE surplus_payouts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id     bigint        NOT NULL,
    member_id  bigint        NOT NULL,
    amount     numeric(18,2) NOT NULL CHECK (amount > 0),
    reg_no     text          NOT NULL,
    account_no text          NOT NULL,
    reference  text          NOT NULL,
    created_at timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT surplus_payouts_once UNIQUE (run_id, member_id)
);

-- The members' capital accounts: retained allocations credited, redemptions
-- debited; one entry per run, member and patronage run it concerns.
CREATE TABLE capital_entries (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id     bigint        NOT NULL,
    run_id        bigint        NOT NULL,
    source_run_id bigint        NOT NULL,
    kind          text          NOT NULL CHECK (kind IN ('retained', 'redemption')),
    amount        numeric(18,2) NOT NULL CHECK ((kind = 'retained' AND amount > 0) OR (kind = 'redemption' AND amount < 0)),
    created_at    timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT capital_entries_once UNIQUE (run_id, member_id, source_run_id)
);
CREATE INDEX capital_entries_member_idx ON capital_entries (member_id, id);

-- An approved run is frozen: its computations and figures are append-only,
-- none is added once the run has left draft, and the run's own figures
-- and snapshot hash cannot change after approval. This holds against any
-- code path, not only ours.
-- +goose StatementBegin
CREATE FUNCTION surplus_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: a computation is never changed', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION surplus_draft_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT status FROM surplus_runs WHERE id = NEW.run_id) IS DISTINCT FROM 'draft' THEN
        RAISE EXCEPTION 'surplus run % is not a draft: its computation is frozen', NEW.run_id;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
-- Figures are COPYed (100,000 members), so the check is once per statement.
-- +goose StatementBegin
CREATE FUNCTION surplus_allocations_draft_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT run_id FROM new_rows) n JOIN surplus_runs r ON r.id = n.run_id
               WHERE r.status <> 'draft') THEN
        RAISE EXCEPTION 'surplus run is not a draft: its figures are frozen';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION surplus_runs_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'draft' AND (
        NEW.computation IS DISTINCT FROM OLD.computation OR
        NEW.snapshot_sha256 IS DISTINCT FROM OLD.snapshot_sha256 OR
        NEW.approved_sha256 IS DISTINCT FROM OLD.approved_sha256 OR
        NEW.approved_by_user_id IS DISTINCT FROM OLD.approved_by_user_id OR
        NEW.period_from IS DISTINCT FROM OLD.period_from OR NEW.period_to IS DISTINCT FROM OLD.period_to OR
        NEW.kind IS DISTINCT FROM OLD.kind OR NEW.source_run_id IS DISTINCT FROM OLD.source_run_id OR
        NEW.member_id IS DISTINCT FROM OLD.member_id OR
        NEW.income IS DISTINCT FROM OLD.income OR NEW.costs IS DISTINCT FROM OLD.costs OR
        NEW.reserve IS DISTINCT FROM OLD.reserve OR NEW.distributable IS DISTINCT FROM OLD.distributable OR
        NEW.cash_total IS DISTINCT FROM OLD.cash_total OR NEW.retained_total IS DISTINCT FROM OLD.retained_total OR
        NEW.carry_forward_total IS DISTINCT FROM OLD.carry_forward_total OR
        NEW.carry_forward_in_total IS DISTINCT FROM OLD.carry_forward_in_total) THEN
        RAISE EXCEPTION 'surplus run % is %: its figures and snapshot are frozen', OLD.id, OLD.status;
    END IF;
    IF OLD.status IN ('distributed', 'cancelled') AND NEW.status <> OLD.status THEN
        RAISE EXCEPTION 'surplus run % is %: final', OLD.id, OLD.status;
    END IF;
    IF NEW.status = 'approved' AND NEW.approved_sha256 IS DISTINCT FROM
        (SELECT sha256 FROM surplus_computations WHERE run_id = NEW.id AND computation = NEW.computation) THEN
        RAISE EXCEPTION 'surplus run %: the approved hash is not the hash of its snapshot', NEW.id;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER surplus_computations_append_only BEFORE UPDATE OR DELETE ON surplus_computations
    FOR EACH ROW EXECUTE FUNCTION surplus_append_only();
CREATE TRIGGER surplus_allocations_append_only BEFORE UPDATE OR DELETE ON surplus_allocations
    FOR EACH ROW EXECUTE FUNCTION surplus_append_only();
CREATE TRIGGER surplus_computations_draft_only BEFORE INSERT ON surplus_computations
    FOR EACH ROW EXECUTE FUNCTION surplus_draft_only();
CREATE TRIGGER surplus_allocations_draft_only AFTER INSERT ON surplus_allocations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION surplus_allocations_draft_only();
CREATE TRIGGER surplus_runs_frozen BEFORE UPDATE ON surplus_runs
    FOR EACH ROW EXECUTE FUNCTION surplus_runs_frozen();
CREATE TRIGGER surplus_no_truncate BEFORE TRUNCATE ON surplus_computations
    FOR EACH STATEMENT EXECUTE FUNCTION surplus_append_only();

-- +goose Down
DROP TABLE capital_entries;
DROP TABLE surplus_payouts;
DROP TABLE surplus_allocations;
DROP TABLE surplus_computations;
DROP TABLE surplus_runs;
DROP FUNCTION surplus_runs_frozen();
DROP FUNCTION surplus_draft_only();
DROP FUNCTION surplus_allocations_draft_only();
DROP FUNCTION surplus_append_only();
DROP TABLE member_bank_accounts;
