-- rtm storage schema. Idempotent: `rtm init-db` and the job apply it at every start.
-- Long ("narrow") tables, so any metric and any model fit. Every write is an upsert on the
-- primary key, so a replay after a restart never duplicates a row.
-- With the TimescaleDB extension available, the tables become hypertables with compression,
-- retention and continuous aggregates; without it the same schema works on plain PostgreSQL 14+,
-- minus those features (the rollups are then plain views over the raw tables).
--
-- Storage settings come from session settings, which `rtm init-db` sets from the config's
-- `postgres` section (with psql: SET rtm.compress_after = '7 days'; before \i init.sql):
--   rtm.chunk_interval   '1 day'     hypertable chunk size
--   rtm.compress_after   '7 days'    compress raw chunks older than this ('0': never)
--   rtm.keep_raw         '30 days'   drop raw chunks older than this ('0': keep)
--   rtm.keep_1m          '90 days'   drop 1-minute rollups older than this ('0': keep)
--   rtm.keep_1h          '730 days'  drop 1-hour rollups older than this ('0': keep)

CREATE TABLE IF NOT EXISTS metrics (
    time    timestamptz      NOT NULL,
    host    text             NOT NULL,
    metric  text             NOT NULL,
    value   double precision NOT NULL,
    PRIMARY KEY (host, metric, time)
);

CREATE TABLE IF NOT EXISTS anomaly_scores (
    time        timestamptz      NOT NULL,
    host        text             NOT NULL,
    metric      text             NOT NULL,
    model       text             NOT NULL,   -- the detector instance name
    value       double precision NOT NULL,
    expected    double precision,            -- NULL while the model has no expectation yet
    lower       double precision,
    upper       double precision,
    score       double precision NOT NULL,   -- sigmas; comparable across models
    is_anomaly  boolean          NOT NULL,
    PRIMARY KEY (host, metric, model, time)
);

CREATE TABLE IF NOT EXISTS forecasts (
    made_at   timestamptz      NOT NULL,
    time      timestamptz      NOT NULL,
    host      text             NOT NULL,
    metric    text             NOT NULL,
    model     text             NOT NULL,
    expected  double precision NOT NULL,
    lower     double precision,
    upper     double precision,
    PRIMARY KEY (host, metric, model, made_at, time)
);

-- Alerts: one row per alert of one model on one series, from firing to resolved (the job's alert
-- stage; times are the points' timestamps). Few rows: a plain table in both modes.
CREATE TABLE IF NOT EXISTS alerts (
    started_at  timestamptz      NOT NULL,   -- the point at which the rule fired
    host        text             NOT NULL,
    metric      text             NOT NULL,
    model       text             NOT NULL,
    ended_at    timestamptz,                 -- the point that resolved it; NULL while firing
    state       text             NOT NULL CHECK (state IN ('firing', 'resolved')),
    peak_score  double precision NOT NULL,
    flagged     integer          NOT NULL,   -- flagged points since it fired
    updated_at  timestamptz      NOT NULL,   -- the newest point it has seen
    PRIMARY KEY (host, metric, model, started_at)
);
CREATE INDEX IF NOT EXISTS alerts_firing ON alerts (started_at DESC) WHERE state = 'firing';

-- Alert delivery (the notify stage). Plain tables in both modes; few rows.
-- alert_events: the transitions of series alerts (after the rule's model agreement), written by the
-- job (an upsert on alert_id + state, so a replay after a restart adds nothing); the notifier marks
-- each one handled when it has put it into a group or found it silenced.
CREATE TABLE IF NOT EXISTS alert_events (
    alert_id    text             NOT NULL,   -- fingerprint: the same for an incident's firing and resolved
    state       text             NOT NULL CHECK (state IN ('firing', 'resolved')),
    kind        text             NOT NULL,   -- anomaly | nodata | detector (quarantined for overrunning its time budget)
    host        text             NOT NULL,
    metric      text             NOT NULL,
    models      text             NOT NULL,   -- the models that flagged it, comma separated
    severity    text             NOT NULL,
    rule        text             NOT NULL DEFAULT 'default',   -- the alert rule that made it
    value       double precision,
    expected    double precision,
    lower       double precision,
    upper       double precision,
    score       double precision NOT NULL,
    starts_at   timestamptz      NOT NULL,
    ends_at     timestamptz,
    at          timestamptz      NOT NULL,   -- the point that made the transition
    received_at timestamptz      NOT NULL DEFAULT now(),
    handled_at  timestamptz,                 -- set by the notifier
    group_key   text,                        -- the group it went to (NULL: silenced)
    silenced_by bigint,                      -- the silence that matched it
    PRIMARY KEY (alert_id, state)
);
ALTER TABLE alert_events ADD COLUMN IF NOT EXISTS rule text NOT NULL DEFAULT 'default';  -- tables made before rules
CREATE INDEX IF NOT EXISTS alert_events_unhandled ON alert_events (received_at) WHERE handled_at IS NULL;

-- silences: `rtm silence add|list|expire` and the config's silences; the notifier reads them on
-- every tick, so a new silence applies without a restart.
CREATE TABLE IF NOT EXISTS silences (
    id          bigserial   PRIMARY KEY,
    host        text        NOT NULL DEFAULT '*',   -- glob
    metric      text        NOT NULL DEFAULT '*',   -- glob
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    comment     text        NOT NULL DEFAULT '',
    created_by  text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- alert_groups: the notifier's state per group (Alertmanager's aggregation group): the alerts it
-- holds (latest transition of each, as JSON), when it first changed since its last notification,
-- when it was last notified, its notification sequence and incident episode.
CREATE TABLE IF NOT EXISTS alert_groups (
    group_key        text        PRIMARY KEY,
    labels           jsonb       NOT NULL,
    alerts           jsonb       NOT NULL DEFAULT '{}',
    changed_since    timestamptz,
    last_notified_at timestamptz,
    sequence         bigint      NOT NULL DEFAULT 0,
    episode          integer     NOT NULL DEFAULT 0
);

-- notifications: the outbox, one row per notification per channel, created in the same transaction
-- as the group's change, so none is lost or made twice; delivered in sequence order per group and
-- channel. state: pending (to send, at next_attempt_at), sent, dead (retries exhausted or refused:
-- `rtm alerts retry` sends it again). destination is redacted: never a secret.
CREATE TABLE IF NOT EXISTS notifications (
    notification_key text        NOT NULL,   -- idempotency key: <group_key>#<sequence>
    channel          text        NOT NULL,
    group_key        text        NOT NULL,
    sequence         bigint      NOT NULL,
    episode          integer     NOT NULL,
    status           text        NOT NULL,   -- firing | resolved
    repeat           boolean     NOT NULL,
    alert_count      integer     NOT NULL,
    payload          jsonb       NOT NULL,
    state            text        NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    sent_at          timestamptz,
    http_status      integer,
    last_error       text,
    receipt          text,
    destination      text        NOT NULL,
    PRIMARY KEY (notification_key, channel)
);
CREATE INDEX IF NOT EXISTS notifications_pending ON notifications (channel, group_key, sequence) WHERE state = 'pending';

-- notification_attempts: every delivery attempt, with its outcome, HTTP status and latency.
CREATE TABLE IF NOT EXISTS notification_attempts (
    notification_key text             NOT NULL,
    channel          text             NOT NULL,
    attempt          integer          NOT NULL,
    at               timestamptz      NOT NULL,
    outcome          text             NOT NULL,   -- sent | retry | dead
    http_status      integer,
    latency_ms       double precision NOT NULL,
    error            text,
    PRIMARY KEY (notification_key, channel, attempt)
);

-- notification_receipts: what a channel answered to a group's first message of an incident (e.g. a
-- Slack message's channel and ts), handed to its later messages so they can reply or update.
CREATE TABLE IF NOT EXISTS notification_receipts (
    group_key text    NOT NULL,
    channel   text    NOT NULL,
    episode   integer NOT NULL,
    receipt   text    NOT NULL,
    PRIMARY KEY (group_key, channel, episode)
);

-- Flagged points are a tiny share of all scores; dashboards list and count them by time.
CREATE INDEX IF NOT EXISTS anomaly_scores_flagged_time ON anomaly_scores (time DESC) WHERE is_anomaly;
-- Dashboards filter everything by a time range. Rows arrive roughly in time order, so a BRIN index
-- (a few pages, almost free to maintain) lets PostgreSQL skip the blocks outside the range.
CREATE INDEX IF NOT EXISTS metrics_time_brin ON metrics USING brin (time);
CREATE INDEX IF NOT EXISTS anomaly_scores_time_brin ON anomaly_scores USING brin (time);

-- Rollups, by the same names and columns in both modes, so the dashboards read them for long
-- ranges without knowing the mode:
--   metrics_1m, metrics_1h  (bucket, host, metric, value_min, value_avg, value_max, samples)
--   scores_1m,  scores_1h   (bucket, host, metric, model, score_max, anomalies, points,
--                            expected_avg, lower_min, upper_max)
-- rtm_use_rollups() says whether reading them pays: true for TimescaleDB's materialised continuous
-- aggregates; false on plain PostgreSQL, where they are views and the raw rows with their indexes
-- are faster (the dashboards' rollup branches are then pruned at plan time: the function is
-- IMMUTABLE, constant per database, and re-created when the mode changes).
DO $$
DECLARE
    chunk_interval interval := coalesce(nullif(current_setting('rtm.chunk_interval', true), ''), '1 day')::interval;
    compress_after interval := coalesce(nullif(current_setting('rtm.compress_after', true), ''), '7 days')::interval;
    keep_raw       interval := coalesce(nullif(current_setting('rtm.keep_raw', true), ''), '30 days')::interval;
    keep_1m        interval := coalesce(nullif(current_setting('rtm.keep_1m', true), ''), '90 days')::interval;
    keep_1h        interval := coalesce(nullif(current_setting('rtm.keep_1h', true), ''), '730 days')::interval;
    -- caggs re-materialise late data inside this window (the job accepts points up to 7 days
    -- late); it must end before raw data is dropped, or a refresh would erase rollups
    refresh_window interval;
    metrics_rollup text := 'SELECT %s AS bucket, host, metric, min(value) AS value_min, avg(value) AS value_avg, '
        'max(value) AS value_max, count(*) AS samples FROM metrics GROUP BY bucket, host, metric';
    scores_rollup text := 'SELECT %s AS bucket, host, metric, model, max(score) AS score_max, '
        'sum(CASE WHEN is_anomaly THEN 1 ELSE 0 END) AS anomalies, count(*) AS points, '
        'avg(expected) AS expected_avg, min(lower) AS lower_min, max(upper) AS upper_max '
        'FROM anomaly_scores GROUP BY bucket, host, metric, model';
    r record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        FOR r IN SELECT * FROM (VALUES ('metrics_1m', metrics_rollup, '1 minute'), ('metrics_1h', metrics_rollup, '1 hour'),
                                       ('scores_1m', scores_rollup, '1 minute'), ('scores_1h', scores_rollup, '1 hour'))
                 AS v(name, query, width) LOOP
            EXECUTE format('CREATE OR REPLACE VIEW %I AS ', r.name)
                || format(r.query, format('date_bin(%L::interval, time, TIMESTAMPTZ %L)', r.width, '2000-01-03 00:00:00+00'));
        END LOOP;
        CREATE OR REPLACE FUNCTION rtm_use_rollups() RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT false';
        RAISE NOTICE 'rtm: plain PostgreSQL mode (TimescaleDB not available): no compression, retention or continuous aggregates';
        RETURN;
    END IF;

    CREATE EXTENSION IF NOT EXISTS timescaledb;
    -- no default time index: chunks already prune by time, and the BRIN index is enough inside one
    PERFORM create_hypertable('metrics', 'time', chunk_time_interval => chunk_interval,
                              create_default_indexes => FALSE, if_not_exists => TRUE, migrate_data => TRUE);
    PERFORM create_hypertable('anomaly_scores', 'time', chunk_time_interval => chunk_interval,
                              create_default_indexes => FALSE, if_not_exists => TRUE, migrate_data => TRUE);
    PERFORM create_hypertable('forecasts', 'made_at', chunk_time_interval => chunk_interval,
                              create_default_indexes => FALSE, if_not_exists => TRUE, migrate_data => TRUE);
    FOR r IN SELECT * FROM (VALUES ('metrics', 'host, metric', 'time DESC'),
                                   ('anomaly_scores', 'host, metric, model', 'time DESC'),
                                   ('forecasts', 'host, metric, model', 'made_at DESC, time')) AS v(tab, segmentby, orderby) LOOP
        PERFORM set_chunk_time_interval(r.tab::regclass, chunk_interval);  -- applies to chunks created from now on
        -- compression settings cannot change once chunks are compressed: set them once
        IF NOT (SELECT compression_enabled FROM timescaledb_information.hypertables
                WHERE hypertable_schema = current_schema() AND hypertable_name = r.tab) THEN
            EXECUTE format('ALTER TABLE %I SET (timescaledb.compress, timescaledb.compress_segmentby = %L, '
                           'timescaledb.compress_orderby = %L)', r.tab, r.segmentby, r.orderby);
        END IF;
        -- policies are re-created at every start, so a changed setting takes effect
        PERFORM remove_compression_policy(r.tab::regclass, if_exists => TRUE);
        IF compress_after > INTERVAL '0' THEN
            PERFORM add_compression_policy(r.tab::regclass, compress_after => compress_after);
        END IF;
        PERFORM remove_retention_policy(r.tab::regclass, if_exists => TRUE);
        IF keep_raw > INTERVAL '0' THEN
            PERFORM add_retention_policy(r.tab::regclass, drop_after => keep_raw);
        END IF;
    END LOOP;

    refresh_window := CASE WHEN keep_raw > INTERVAL '0' THEN least(INTERVAL '7 days', keep_raw - INTERVAL '1 day')
                           ELSE INTERVAL '7 days' END;
    FOR r IN SELECT * FROM (VALUES ('metrics_1m', metrics_rollup, '1 minute', keep_1m, '1 minute'),
                                   ('metrics_1h', metrics_rollup, '1 hour', keep_1h, '30 minutes'),
                                   ('scores_1m', scores_rollup, '1 minute', keep_1m, '1 minute'),
                                   ('scores_1h', scores_rollup, '1 hour', keep_1h, '30 minutes'))
             AS v(name, query, width, keep, every) LOOP
        IF NOT EXISTS (SELECT 1 FROM timescaledb_information.continuous_aggregates
                       WHERE view_schema = current_schema() AND view_name = r.name) THEN
            EXECUTE format('DROP VIEW IF EXISTS %I', r.name);  -- the plain-mode view, if this database had one
            -- real-time: buckets not yet materialised are computed from the raw rows at query time
            EXECUTE format('CREATE MATERIALIZED VIEW %I WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS ', r.name)
                || format(r.query, format('time_bucket(%L::interval, time)', r.width)) || ' WITH NO DATA';
        END IF;
        PERFORM remove_continuous_aggregate_policy(r.name::regclass, if_exists => TRUE);
        PERFORM add_continuous_aggregate_policy(r.name::regclass, start_offset => refresh_window,
                end_offset => r.width::interval, schedule_interval => r.every::interval);
        PERFORM remove_retention_policy(r.name::regclass, if_exists => TRUE);
        IF r.keep > INTERVAL '0' THEN
            PERFORM add_retention_policy(r.name::regclass, drop_after => r.keep);
        END IF;
    END LOOP;
    CREATE OR REPLACE FUNCTION rtm_use_rollups() RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
    RAISE NOTICE 'rtm: TimescaleDB mode';
END
$$;
