-- rtm roles, applied by `rtm init-db` (and the job) after init.sql when their passwords are set:
--   rtm_writer  the job: read and upsert the data tables, nothing else      (RTM_PG_WRITER_PASSWORD)
--   rtm_reader  Grafana: SELECT only                                        (RTM_PG_READER_PASSWORD)
-- Passwords come from the environment, never from this file: rtm sets them with ALTER ROLE
-- afterwards, and a role whose password is not given is left alone.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rtm_writer') THEN CREATE ROLE rtm_writer LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rtm_reader') THEN CREATE ROLE rtm_reader LOGIN; END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO rtm_writer, rtm_reader;
-- the sink COPYs into metric_points, score_points and forecast_sets and registers new series and
-- models; an INSERT into the views metrics and anomaly_scores does the same through their triggers
GRANT SELECT, INSERT, UPDATE ON series, models, metric_points, score_points, forecast_sets, metrics, anomaly_scores, forecasts, alerts TO rtm_writer;
GRANT USAGE ON SEQUENCE series_id_seq, models_id_seq TO rtm_writer;
GRANT SELECT ON series, models, metric_points, score_points, forecast_sets, metrics, anomaly_scores, forecasts, alerts TO rtm_reader;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON series, models, metric_points, score_points, forecast_sets, metrics, anomaly_scores, forecasts, alerts
    FROM rtm_reader;
GRANT SELECT ON metrics_1m, metrics_1h, scores_1m, scores_1h TO rtm_reader;
-- the notify stage: the job records transitions and runs the outbox; Grafana reads them
GRANT SELECT, INSERT, UPDATE ON alert_events, silences, alert_groups, notifications, notification_attempts,
    notification_receipts TO rtm_writer;
GRANT USAGE ON SEQUENCE silences_id_seq TO rtm_writer;
GRANT SELECT ON alert_events, silences, alert_groups, notifications, notification_attempts TO rtm_reader;
