-- What a series dictionary would buy the sink: COPY of the same 1 M score rows into a table keyed
-- by text (host, metric, model, time: today's anomaly_scores) and into one keyed by integers
-- (series id, model id, time), alternated twice in one run, same indexes otherwise (BRIN on time,
-- the flagged-points partial index). 250 series (50 hosts x 5 metrics) x 4 000 points, in time
-- order as the job writes them. Client-side binary COPY, as the sink does.
--
-- Run from a scratch dir (it writes two ~100 MB files there), as a user who may create a schema:
--   mkdir -p benchmarks/target/key-width && cd benchmarks/target/key-width
--   psql -d rtm -f ../../sql/key-width.sql
-- Each COPY prints its time; the last query the table and primary-key sizes. Drops its schema at the end.
\set ON_ERROR_STOP on
\timing off
DROP SCHEMA IF EXISTS rtm_key_width CASCADE;
CREATE SCHEMA rtm_key_width;
SET search_path = rtm_key_width;
CREATE TABLE src AS
SELECT timestamptz '2026-01-01' + (s * interval '10 second') AS time,
       'bench-host-' || (k / 5) AS host,
       (ARRAY['cpu.user', 'cpu.system', 'mem.used', 'disk.read', 'net.rx'])[k % 5 + 1] AS metric,
       'ewma'::text AS model, k AS series, 1::smallint AS model_id,
       random() AS value, random() AS expected, random() - 1 AS lower, random() + 1 AS upper,
       random() * 3 AS score, false AS is_anomaly
FROM generate_series(0, 3999) s, generate_series(0, 249) k
ORDER BY s, k;
\copy (SELECT time, host, metric, model, value, expected, lower, upper, score, is_anomaly FROM src) TO 'text.bin' WITH (FORMAT binary)
\copy (SELECT time, series, model_id, value, expected, lower, upper, score, is_anomaly FROM src) TO 'int.bin' WITH (FORMAT binary)
CREATE TABLE by_text (time timestamptz NOT NULL, host text NOT NULL, metric text NOT NULL, model text NOT NULL,
    value float8 NOT NULL, expected float8, lower float8, upper float8, score float8 NOT NULL, is_anomaly boolean NOT NULL,
    PRIMARY KEY (host, metric, model, time));
CREATE TABLE by_int (time timestamptz NOT NULL, series int NOT NULL, model smallint NOT NULL,
    value float8 NOT NULL, expected float8, lower float8, upper float8, score float8 NOT NULL, is_anomaly boolean NOT NULL,
    PRIMARY KEY (series, model, time));
CREATE INDEX ON by_text USING brin (time);
CREATE INDEX ON by_int USING brin (time);
CREATE INDEX ON by_text (time DESC) WHERE is_anomaly;
CREATE INDEX ON by_int (time DESC) WHERE is_anomaly;
\echo round 1: text-keyed, then integer-keyed
\timing on
\copy by_text FROM 'text.bin' WITH (FORMAT binary)
CHECKPOINT;
\copy by_int FROM 'int.bin' WITH (FORMAT binary)
CHECKPOINT;
\timing off
TRUNCATE by_text;
TRUNCATE by_int;
CHECKPOINT;
\echo round 2: integer-keyed, then text-keyed
\timing on
\copy by_int FROM 'int.bin' WITH (FORMAT binary)
CHECKPOINT;
\copy by_text FROM 'text.bin' WITH (FORMAT binary)
\timing off
SELECT pg_size_pretty(pg_total_relation_size('by_text')) AS text_table, pg_size_pretty(pg_relation_size('by_text_pkey')) AS text_key,
       pg_size_pretty(pg_total_relation_size('by_int')) AS int_table, pg_size_pretty(pg_relation_size('by_int_pkey')) AS int_key;
DROP SCHEMA rtm_key_width CASCADE;
