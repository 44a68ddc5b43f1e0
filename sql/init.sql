-- rtm storage schema. Idempotent: `rtm init-db` and the job apply it at every start.
-- Long ("narrow") tables, so any metric and any model fit. Every write is an upsert on the
-- primary key, so a replay after a restart never duplicates a row.
-- With the TimescaleDB extension available, the tables become hypertables; without it the same
-- schema works on plain PostgreSQL 14+.

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

-- Flagged points are a tiny share of all scores; dashboards list and count them by time.
CREATE INDEX IF NOT EXISTS anomaly_scores_flagged_time ON anomaly_scores (time DESC) WHERE is_anomaly;
-- Dashboards filter everything by a time range. Rows arrive roughly in time order, so a BRIN index
-- (a few pages, almost free to maintain) lets PostgreSQL skip the blocks outside the range.
CREATE INDEX IF NOT EXISTS metrics_time_brin ON metrics USING brin (time);
CREATE INDEX IF NOT EXISTS anomaly_scores_time_brin ON anomaly_scores USING brin (time);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
        PERFORM create_hypertable('metrics', 'time', if_not_exists => TRUE, migrate_data => TRUE);
        PERFORM create_hypertable('anomaly_scores', 'time', if_not_exists => TRUE, migrate_data => TRUE);
        PERFORM create_hypertable('forecasts', 'made_at', if_not_exists => TRUE, migrate_data => TRUE);
        RAISE NOTICE 'rtm: TimescaleDB mode';
    ELSE
        RAISE NOTICE 'rtm: plain PostgreSQL mode (TimescaleDB not available)';
    END IF;
END
$$;
