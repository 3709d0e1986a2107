-- The whole data model of Peekaping v0.0.46 (reference §5) with its fixes:
-- separate minute/hour/day rollups, compact heartbeats keyed by an integer monitor key,
-- and tables for the features later issues add behaviour to.
-- Times are Unix milliseconds (INTEGER) unless a column says otherwise.

CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    email              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password           TEXT NOT NULL,
    active             INTEGER NOT NULL DEFAULT 1,
    twofa_secret       TEXT,
    twofa_status       INTEGER NOT NULL DEFAULT 0,
    twofa_last_token   INTEGER,
    tokens_valid_after INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

CREATE TABLE user_recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

CREATE TABLE proxies (
    id         TEXT PRIMARY KEY,
    protocol   TEXT NOT NULL,
    host       TEXT NOT NULL,
    port       INTEGER NOT NULL,
    auth       INTEGER NOT NULL DEFAULT 0,
    username   TEXT,
    password   TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- `seq` is the compact key every heartbeat and rollup row refers to; `id` is the UUID
-- the API speaks.
CREATE TABLE monitors (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    type            TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT,
    interval        INTEGER NOT NULL,
    timeout         INTEGER NOT NULL,
    max_retries     INTEGER NOT NULL DEFAULT 0,
    retry_interval  INTEGER NOT NULL,
    resend_interval INTEGER NOT NULL DEFAULT 0,
    active          INTEGER NOT NULL DEFAULT 1,
    status          INTEGER NOT NULL DEFAULT 2,
    config          TEXT NOT NULL DEFAULT '{}',
    proxy_id        TEXT REFERENCES proxies(id) ON DELETE SET NULL,
    push_token      TEXT UNIQUE,
    parent_id       TEXT REFERENCES monitors(id) ON DELETE SET NULL,
    alert_after_failures  INTEGER NOT NULL DEFAULT 0,
    alert_after_successes INTEGER NOT NULL DEFAULT 0,
    locations       TEXT,
    quorum          INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX monitors_name ON monitors(name COLLATE NOCASE);
CREATE INDEX monitors_parent ON monitors(parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE monitor_dependencies (
    monitor_id    TEXT NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
    depends_on_id TEXT NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
    PRIMARY KEY (monitor_id, depends_on_id)
) WITHOUT ROWID;

-- The hot table. One row per check: ~25 bytes of payload. `msg` is stored only when it
-- differs from the monitor's previous stored message (and on important beats, and every
-- 64th beat so readers never look far back); readers carry the last one forward.
-- No foreign key: deleting a monitor deletes its rows in the same transaction.
CREATE TABLE heartbeats (
    monitor    INTEGER NOT NULL,
    time       INTEGER NOT NULL,
    status     INTEGER NOT NULL,
    ping       INTEGER,            -- microseconds
    important  INTEGER NOT NULL DEFAULT 0,
    notified   INTEGER NOT NULL DEFAULT 0,
    retries    INTEGER NOT NULL DEFAULT 0,
    down_count INTEGER NOT NULL DEFAULT 0,
    msg        TEXT,
    PRIMARY KEY (monitor, time)
) WITHOUT ROWID;
CREATE INDEX heartbeats_important ON heartbeats(monitor, time) WHERE important = 1;

-- Rollups: one table per resolution (Peekaping's single `stats` table mixed them).
-- `bucket` is the bucket start in Unix *seconds*; ping columns are microseconds over UP beats.
CREATE TABLE stat_minutely (
    monitor     INTEGER NOT NULL,
    bucket      INTEGER NOT NULL,
    up          INTEGER NOT NULL DEFAULT 0,
    down        INTEGER NOT NULL DEFAULT 0,
    maintenance INTEGER NOT NULL DEFAULT 0,
    ping_sum    INTEGER NOT NULL DEFAULT 0,
    ping_count  INTEGER NOT NULL DEFAULT 0,
    ping_min    INTEGER,
    ping_max    INTEGER,
    PRIMARY KEY (monitor, bucket)
) WITHOUT ROWID;
CREATE TABLE stat_hourly (
    monitor     INTEGER NOT NULL,
    bucket      INTEGER NOT NULL,
    up          INTEGER NOT NULL DEFAULT 0,
    down        INTEGER NOT NULL DEFAULT 0,
    maintenance INTEGER NOT NULL DEFAULT 0,
    ping_sum    INTEGER NOT NULL DEFAULT 0,
    ping_count  INTEGER NOT NULL DEFAULT 0,
    ping_min    INTEGER,
    ping_max    INTEGER,
    PRIMARY KEY (monitor, bucket)
) WITHOUT ROWID;
CREATE TABLE stat_daily (
    monitor     INTEGER NOT NULL,
    bucket      INTEGER NOT NULL,
    up          INTEGER NOT NULL DEFAULT 0,
    down        INTEGER NOT NULL DEFAULT 0,
    maintenance INTEGER NOT NULL DEFAULT 0,
    ping_sum    INTEGER NOT NULL DEFAULT 0,
    ping_count  INTEGER NOT NULL DEFAULT 0,
    ping_min    INTEGER,
    ping_max    INTEGER,
    PRIMARY KEY (monitor, bucket)
) WITHOUT ROWID;

CREATE TABLE monitor_tls_info (
    monitor_id TEXT PRIMARY KEY REFERENCES monitors(id) ON DELETE CASCADE,
    info_json  TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE notification_channels (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    is_default INTEGER NOT NULL DEFAULT 0,
    config     TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE monitor_notifications (
    monitor_id      TEXT NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
    notification_id TEXT NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
    PRIMARY KEY (monitor_id, notification_id)
) WITHOUT ROWID;
CREATE INDEX monitor_notifications_channel ON monitor_notifications(notification_id);

-- Every delivery attempt of the notification outbox, for "last delivery failed: …".
CREATE TABLE notification_deliveries (
    id              TEXT PRIMARY KEY,
    dedup_key       TEXT NOT NULL,
    notification_id TEXT NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
    monitor_id      TEXT REFERENCES monitors(id) ON DELETE CASCADE,
    attempt         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    error           TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX notification_deliveries_channel ON notification_deliveries(notification_id, created_at);
CREATE INDEX notification_deliveries_key ON notification_deliveries(dedup_key);

CREATE TABLE notification_sent_history (
    type       TEXT NOT NULL,
    monitor_id TEXT NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
    days       INTEGER NOT NULL,
    fingerprint TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (type, monitor_id, days, fingerprint)
) WITHOUT ROWID;

CREATE TABLE tags (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    color       TEXT NOT NULL DEFAULT '#3B82F6',
    description TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE monitor_tags (
    monitor_id TEXT NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
    tag_id     TEXT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    value      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (monitor_id, tag_id, value)
) WITHOUT ROWID;
CREATE INDEX monitor_tags_tag ON monitor_tags(tag_id);

CREATE TABLE maintenances (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    description     TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    strategy        TEXT NOT NULL,
    start_date_time TEXT,
    end_date_time   TEXT,
    start_time      TEXT,
    end_time        TEXT,
    weekdays        TEXT,  -- JSON array of 0..6
    days_of_month   TEXT,  -- JSON array of 1..31 and "lastDay1"
    interval_day    INTEGER,
    cron            TEXT,
    duration        INTEGER,
    timezone        TEXT NOT NULL DEFAULT 'UTC',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE monitor_maintenances (
    monitor_id     TEXT NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
    maintenance_id TEXT NOT NULL REFERENCES maintenances(id) ON DELETE CASCADE,
    PRIMARY KEY (monitor_id, maintenance_id)
) WITHOUT ROWID;
CREATE INDEX monitor_maintenances_maintenance ON monitor_maintenances(maintenance_id);

CREATE TABLE status_pages (
    id                      TEXT PRIMARY KEY,
    slug                    TEXT NOT NULL UNIQUE,
    title                   TEXT NOT NULL,
    description             TEXT,
    icon                    TEXT,
    theme                   TEXT NOT NULL DEFAULT 'light',
    published               INTEGER NOT NULL DEFAULT 1,
    footer_text             TEXT,
    auto_refresh_interval   INTEGER NOT NULL DEFAULT 300,
    custom_css              TEXT,
    password_hash           TEXT,
    search_engine_index     INTEGER NOT NULL DEFAULT 1,
    show_tags               INTEGER NOT NULL DEFAULT 0,
    show_powered_by         INTEGER NOT NULL DEFAULT 1,
    show_certificate_expiry INTEGER NOT NULL DEFAULT 0,
    google_analytics_tag_id TEXT,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);

CREATE TABLE status_page_domains (
    status_page_id TEXT NOT NULL REFERENCES status_pages(id) ON DELETE CASCADE,
    domain         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    PRIMARY KEY (status_page_id, domain)
) WITHOUT ROWID;

CREATE TABLE status_page_sections (
    id             TEXT PRIMARY KEY,
    status_page_id TEXT NOT NULL REFERENCES status_pages(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    position       INTEGER NOT NULL DEFAULT 0,
    tag_id         TEXT REFERENCES tags(id) ON DELETE SET NULL
);
CREATE INDEX status_page_sections_page ON status_page_sections(status_page_id, position);

CREATE TABLE monitor_status_pages (
    status_page_id TEXT NOT NULL REFERENCES status_pages(id) ON DELETE CASCADE,
    monitor_id     TEXT NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
    section_id     TEXT REFERENCES status_page_sections(id) ON DELETE SET NULL,
    position       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (status_page_id, monitor_id)
) WITHOUT ROWID;
CREATE INDEX monitor_status_pages_monitor ON monitor_status_pages(monitor_id);

CREATE TABLE incidents (
    id             TEXT PRIMARY KEY,
    status_page_id TEXT NOT NULL REFERENCES status_pages(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    style          TEXT NOT NULL DEFAULT 'warning',
    resolved_at    INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX incidents_page ON incidents(status_page_id, created_at);

CREATE TABLE incident_updates (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    status      TEXT NOT NULL,
    message     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX incident_updates_incident ON incident_updates(incident_id, created_at);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    type       TEXT NOT NULL DEFAULT 'string',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    key_hash        TEXT NOT NULL,
    display_key     TEXT NOT NULL,
    scope           TEXT NOT NULL DEFAULT 'write',
    last_used       INTEGER,
    expires_at      INTEGER,
    usage_count     INTEGER NOT NULL DEFAULT 0,
    max_usage_count INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE login_state (
    key           TEXT PRIMARY KEY,
    fail_count    INTEGER NOT NULL,
    first_fail_at INTEGER NOT NULL,
    locked_until  INTEGER
);
