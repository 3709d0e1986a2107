//! Uptime Kuma's objects → Peekaping's: monitor types and their settings, notification
//! providers and their keys. Pure functions over Kuma's rows (snake_case keys, as the
//! database has them; the JSON backup's camelCase keys are normalised before this).
//! A `Err(reason)` means "not importable", and the reason goes into the report.

use serde_json::{Map, Value, json};

/// One Kuma object as a key → value map (a database row or a backup object).
pub type Row = Map<String, Value>;

/// A string field: strings as they are, numbers and booleans as text, null/absent as "".
pub fn s(r: &Row, k: &str) -> String {
    match r.get(k) {
        Some(Value::String(v)) => v.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// An integer field (numbers or numeric strings).
pub fn i(r: &Row, k: &str) -> Option<i64> {
    match r.get(k) {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(v)) => v.trim().parse::<f64>().ok().map(|f| f as i64),
        Some(Value::Bool(b)) => Some(*b as i64),
        _ => None,
    }
}

/// A boolean field: SQLite's 0/1, JSON's true/false, "1"/"true".
pub fn b(r: &Row, k: &str) -> bool {
    match r.get(k) {
        Some(Value::Bool(v)) => *v,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(v)) => matches!(v.trim(), "1" | "true" | "TRUE" | "True"),
        _ => false,
    }
}

/// `someKey` → `some_key` (the backup's monitor keys → the database's columns).
pub fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for (n, c) in key.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if n > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A backup object with its keys in the database's snake_case.
pub fn snake_row(obj: &Row) -> Row {
    obj.iter().map(|(k, v)| (snake(k), v.clone())).collect()
}

/// A value that may be a JSON document stored as text (Kuma keeps arrays and objects
/// in TEXT columns): parsed if it is such text, else as it is.
fn json_field(r: &Row, k: &str) -> Option<Value> {
    match r.get(k)? {
        Value::String(t) if t.trim().is_empty() => None,
        Value::String(t) => serde_json::from_str(t).ok(),
        Value::Null => None,
        other => Some(other.clone()),
    }
}

fn non_empty(v: String, default: &str) -> String {
    if v.trim().is_empty() { default.to_string() } else { v }
}

/// A Kuma Docker host (`docker_host` table): how to reach the daemon.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DockerHost {
    pub docker_type: String,
    pub docker_daemon: String,
}

/// Kuma's comparison operators (`==`, `>`, …) as the SNMP check names them.
fn snmp_operator(op: &str) -> String {
    match op.trim() {
        "" | "==" => "eq",
        "!=" => "ne",
        "<" => "lt",
        ">" => "gt",
        "<=" => "le",
        ">=" => "ge",
        other => other,
    }
    .to_string()
}

/// Kuma monitor types that Peekaping has no check for, with the reason.
pub fn unsupported_reason(kuma_type: &str) -> Option<&'static str> {
    Some(match kuma_type {
        "real-browser" => "real-browser (headless Chromium) monitors are not supported",
        "tailscale-ping" => "tailscale-ping monitors are not supported",
        "steam" | "gamedig" => "game server (steam/gamedig) monitors are not supported",
        "radius" => "RADIUS monitors are not supported",
        "globalping" => "globalping monitors are not supported",
        "manual" => "manual monitors are not supported",
        _ => return None,
    })
}

/// The Peekaping type and `config` of a Kuma monitor, plus notes about settings that do
/// not carry over. `docker_host` is the row's Docker host, if it has one.
pub fn monitor_config(r: &Row, docker_host: Option<&DockerHost>) -> Result<(String, Value, Vec<String>), String> {
    let kuma_type = s(r, "type");
    if let Some(reason) = unsupported_reason(&kuma_type) {
        return Err(reason.to_string());
    }
    let mut notes = Vec::new();
    let host = s(r, "hostname");
    let port = i(r, "port").unwrap_or(0);
    let (kind, config) = match kuma_type.as_str() {
        "http" | "keyword" | "json-query" => {
            let codes = json_field(r, "accepted_statuscodes_json")
                .or_else(|| json_field(r, "accepted_statuscodes"))
                .and_then(|v| v.as_array().cloned())
                .unwrap_or_else(|| vec![json!("200-299")]);
            let codes: Vec<Value> = codes
                .into_iter()
                .map(|c| match c.as_str() {
                    Some("200-299") => json!("2XX"),
                    _ => c,
                })
                .collect();
            let auth = match s(r, "auth_method").as_str() {
                "" | "null" => "none".to_string(),
                other => other.to_string(),
            };
            let kind = match kuma_type.as_str() {
                "keyword" => "http-keyword",
                "json-query" => "http-json-query",
                _ => "http",
            };
            let encoding = match s(r, "http_body_encoding").to_ascii_lowercase().as_str() {
                "" => "json".to_string(),
                other => other.to_string(),
            };
            (
                kind,
                json!({
                    "url": s(r, "url"),
                    "method": non_empty(s(r, "method"), "GET"),
                    "headers": s(r, "headers"),
                    "body": s(r, "body"),
                    "encoding": encoding,
                    "accepted_statuscodes": codes,
                    "max_redirects": i(r, "maxredirects").unwrap_or(10).max(0),
                    "ignore_tls_errors": b(r, "ignore_tls"),
                    "check_cert_expiry": b(r, "expiry_notification"),
                    "authMethod": auth,
                    "basic_auth_user": s(r, "basic_auth_user"),
                    "basic_auth_pass": s(r, "basic_auth_pass"),
                    "authDomain": s(r, "auth_domain"),
                    "authWorkstation": s(r, "auth_workstation"),
                    "oauth_auth_method": non_empty(s(r, "oauth_auth_method"), "client_secret_basic"),
                    "oauth_token_url": s(r, "oauth_token_url"),
                    "oauth_client_id": s(r, "oauth_client_id"),
                    "oauth_client_secret": s(r, "oauth_client_secret"),
                    "oauth_scopes": s(r, "oauth_scopes"),
                    "tlsCert": s(r, "tls_cert"),
                    "tlsKey": s(r, "tls_key"),
                    "tlsCa": s(r, "tls_ca"),
                    "keyword": s(r, "keyword"),
                    "invert_keyword": b(r, "invert_keyword"),
                    "json_query": s(r, "json_path"),
                    "json_condition": non_empty(s(r, "json_path_operator"), "=="),
                    "expected_value": s(r, "expected_value"),
                }),
            )
        }
        "port" => ("tcp", json!({ "host": host, "port": port })),
        "ping" => {
            let mut c = json!({ "host": host });
            if let Some(size) = i(r, "packet_size") {
                c["packet_size"] = json!(size);
            }
            if let Some(count) = i(r, "ping_count") {
                c["count"] = json!(count);
            }
            if let Some(t) = r.get("ping_per_request_timeout").and_then(Value::as_f64) {
                c["per_ping_timeout"] = json!(t);
            }
            ("ping", c)
        }
        "dns" => (
            "dns",
            json!({
                "host": host,
                "resolver_server": non_empty(s(r, "dns_resolve_server"), "1.1.1.1"),
                "port": if port > 0 { port } else { 53 },
                "resolve_type": non_empty(s(r, "dns_resolve_type"), "A"),
            }),
        ),
        "push" => ("push", json!({})),
        "group" => ("group", json!({})),
        "docker" => {
            let Some(h) = docker_host else {
                return Err("the monitor's Docker host is missing from the source".into());
            };
            let (connection_type, daemon) = match h.docker_type.as_str() {
                "tcp" => ("tcp", h.docker_daemon.replacen("tcp://", "http://", 1)),
                _ => ("socket", h.docker_daemon.clone()),
            };
            (
                "docker",
                json!({
                    "container_id": s(r, "docker_container"),
                    "connection_type": connection_type,
                    "docker_daemon": daemon,
                }),
            )
        }
        "mqtt" => {
            let check_type = match s(r, "mqtt_check_type").as_str() {
                "" => "keyword".to_string(),
                other => other.to_string(),
            };
            (
                "mqtt",
                json!({
                    "hostname": host,
                    "port": if port > 0 { port } else { 1883 },
                    "topic": s(r, "mqtt_topic"),
                    "username": s(r, "mqtt_username"),
                    "password": s(r, "mqtt_password"),
                    "check_type": check_type,
                    "success_keyword": s(r, "mqtt_success_message"),
                    "json_path": s(r, "json_path"),
                    "expected_value": s(r, "expected_value"),
                }),
            )
        }
        "rabbitmq" => {
            let nodes = json_field(r, "rabbitmq_nodes").unwrap_or_else(|| json!([]));
            (
                "rabbitmq",
                json!({
                    "nodes": nodes,
                    "username": s(r, "rabbitmq_username"),
                    "password": s(r, "rabbitmq_password"),
                }),
            )
        }
        "kafka-producer" => {
            let brokers = json_field(r, "kafka_producer_brokers").unwrap_or_else(|| json!([]));
            let sasl = json_field(r, "kafka_producer_sasl_options")
                .filter(Value::is_object)
                .unwrap_or_else(|| json!({ "mechanism": "None" }));
            let sasl = json!({
                "mechanism": sasl.get("mechanism").and_then(Value::as_str).unwrap_or("None"),
                "username": sasl.get("username").and_then(Value::as_str).unwrap_or(""),
                "password": sasl.get("password").and_then(Value::as_str).unwrap_or(""),
            });
            (
                "kafka-producer",
                json!({
                    "brokers": brokers,
                    "topic": s(r, "kafka_producer_topic"),
                    "message": s(r, "kafka_producer_message"),
                    "allow_auto_topic_creation": b(r, "kafka_producer_allow_auto_topic_creation"),
                    "ssl": b(r, "kafka_producer_ssl"),
                    "sasl_options": sasl,
                }),
            )
        }
        "grpc-keyword" => (
            "grpc-keyword",
            json!({
                "grpcUrl": s(r, "grpc_url"),
                "grpcProtobuf": s(r, "grpc_protobuf"),
                "grpcServiceName": s(r, "grpc_service_name"),
                "grpcMethod": s(r, "grpc_method"),
                "grpcEnableTls": b(r, "grpc_enable_tls"),
                "grpcBody": s(r, "grpc_body"),
                "keyword": s(r, "keyword"),
                "invertKeyword": b(r, "invert_keyword"),
            }),
        ),
        "snmp" => {
            let version = match s(r, "snmp_version").as_str() {
                "1" | "v1" => "v1".to_string(),
                "" | "2c" | "v2c" => "v2c".to_string(),
                other => format!("v{}", other.trim_start_matches('v')),
            };
            (
                "snmp",
                json!({
                    "host": host,
                    "port": if port > 0 { port } else { 161 },
                    // Kuma keeps the SNMP community in the RADIUS password column.
                    "community": non_empty(s(r, "radius_password"), "public"),
                    "snmp_version": version,
                    "oid": s(r, "snmp_oid"),
                    "json_path": non_empty(s(r, "json_path"), "$"),
                    "json_path_operator": snmp_operator(&s(r, "json_path_operator")),
                    "expected_value": s(r, "expected_value"),
                }),
            )
        }
        "smtp" => {
            let security = match s(r, "smtp_security").as_str() {
                "secure" => "tls",
                "starttls" => "starttls",
                _ => "none",
            };
            (
                "smtp",
                json!({
                    "host": host,
                    "port": if port > 0 { port } else { 25 },
                    "security": security,
                    "ignore_tls_errors": b(r, "ignore_tls"),
                }),
            )
        }
        "websocket-upgrade" => {
            if b(r, "ws_ignore_sec_websocket_accept_header") {
                notes.push("ignoring the Sec-WebSocket-Accept header is not supported; it is checked".into());
            }
            (
                "websocket",
                json!({
                    "url": s(r, "url"),
                    "subprotocol": s(r, "ws_subprotocol"),
                    "ignore_tls_errors": b(r, "ignore_tls"),
                }),
            )
        }
        "postgres" => (
            "postgres",
            json!({
                "database_connection_string": s(r, "database_connection_string"),
                "database_query": s(r, "database_query"),
            }),
        ),
        "sqlserver" => (
            "sqlserver",
            json!({
                "database_connection_string": s(r, "database_connection_string"),
                "database_query": s(r, "database_query"),
            }),
        ),
        "mysql" => (
            "mysql",
            json!({
                "connection_string": s(r, "database_connection_string"),
                "query": s(r, "database_query"),
            }),
        ),
        "mongodb" => (
            "mongodb",
            json!({
                "connectionString": s(r, "database_connection_string"),
                "command": s(r, "database_query"),
                "jsonPath": s(r, "json_path"),
                "expectedValue": s(r, "expected_value"),
            }),
        ),
        "redis" => (
            "redis",
            json!({
                "databaseConnectionString": s(r, "database_connection_string"),
                "ignoreTls": b(r, "ignore_tls"),
            }),
        ),
        "" => return Err("the monitor has no type".into()),
        other => return Err(format!("monitor type \"{other}\" is not supported")),
    };
    if b(r, "upside_down") {
        notes.push("upside-down mode is not supported: the monitor now reports UP when the check succeeds".into());
    }
    if !s(r, "conditions").trim().is_empty() && s(r, "conditions").trim() != "[]" {
        notes.push("Kuma 2 conditions are not supported and were dropped".into());
    }
    Ok((kind.to_string(), config, notes))
}

/// Kuma notification `type` → (our provider, key renames Kuma → ours, extra fixed keys).
type KeyMap = &'static [(&'static str, &'static str)];

fn provider_keys(kuma_type: &str) -> Option<(&'static str, KeyMap)> {
    Some(match kuma_type {
        "webhook" => (
            "webhook",
            &[
                ("webhookURL", "webhook_url"),
                ("webhookContentType", "webhook_content_type"),
                ("webhookCustomBody", "webhook_custom_body"),
                ("webhookAdditionalHeaders", "webhook_additional_headers"),
            ],
        ),
        "discord" => (
            "discord",
            &[
                ("discordWebhookUrl", "webhook_url"),
                ("discordUsername", "bot_display_name"),
                ("discordPrefixMessage", "custom_message_prefix"),
                ("discordChannelType", "message_type"),
                ("postName", "thread_name"),
                ("threadId", "thread_id"),
            ],
        ),
        "slack" => (
            "slack",
            &[
                ("slackwebhookURL", "slack_webhook_url"),
                ("slackusername", "slack_username"),
                ("slackiconemo", "slack_icon_emoji"),
                ("slackchannel", "slack_channel"),
                ("slackrichmessage", "slack_rich_message"),
                ("slackchannelnotify", "slack_channel_notify"),
            ],
        ),
        "telegram" => (
            "telegram",
            &[
                ("telegramBotToken", "bot_token"),
                ("telegramChatID", "chat_id"),
                ("telegramMessageThreadID", "message_thread_id"),
                ("telegramServerUrl", "server_url"),
                ("telegramSendSilently", "send_silently"),
                ("telegramProtectContent", "protect_content"),
                ("telegramUseTemplate", "use_template"),
                ("telegramTemplate", "template"),
                ("telegramTemplateParseMode", "template_parse_mode"),
            ],
        ),
        "smtp" => (
            "smtp",
            &[
                ("smtpHost", "smtp_host"),
                ("smtpPort", "smtp_port"),
                ("smtpSecure", "smtp_secure"),
                ("smtpUsername", "username"),
                ("smtpPassword", "password"),
                ("smtpFrom", "from"),
                ("smtpTo", "to"),
                ("smtpCC", "cc"),
                ("smtpBCC", "bcc"),
                ("customSubject", "custom_subject"),
                ("customBody", "custom_body"),
            ],
        ),
        "ntfy" => (
            "ntfy",
            &[
                ("ntfyserverurl", "server_url"),
                ("ntfytopic", "topic"),
                ("ntfyPriority", "priority"),
                ("ntfyusername", "username"),
                ("ntfypassword", "password"),
                ("ntfyaccesstoken", "token"),
            ],
        ),
        "pushover" => (
            "pushover",
            &[
                ("pushoveruserkey", "pushover_user_key"),
                ("pushoverapptoken", "pushover_app_token"),
                ("pushoverdevice", "pushover_device"),
                ("pushovertitle", "pushover_title"),
                ("pushoverpriority", "pushover_priority"),
                ("pushoversounds", "pushover_sounds"),
                ("pushoversounds_up", "pushover_sounds_up"),
                ("pushoverttl", "pushover_ttl"),
            ],
        ),
        "gotify" => (
            "gotify",
            &[
                ("gotifyserverurl", "server_url"),
                ("gotifyapplicationToken", "application_token"),
                ("gotifyPriority", "priority"),
            ],
        ),
        "teams" => ("microsoft_teams", &[("webhookUrl", "webhook_url")]),
        "matrix" => (
            "matrix",
            &[
                ("homeserverUrl", "homeserver_url"),
                ("internalRoomId", "internal_room_id"),
                ("accessToken", "access_token"),
            ],
        ),
        "mattermost" => (
            "mattermost",
            &[
                ("mattermostWebhookUrl", "webhook_url"),
                ("mattermostusername", "username"),
                ("mattermostchannel", "channel"),
                ("mattermosticonurl", "icon_url"),
                ("mattermosticonemo", "icon_emoji"),
            ],
        ),
        "signal" => (
            "signal",
            &[
                ("signalURL", "signal_url"),
                ("signalNumber", "signal_number"),
                ("signalRecipients", "signal_recipients"),
            ],
        ),
        "GoogleChat" => ("google_chat", &[("googleChatWebhookURL", "webhook_url")]),
        "rocket.chat" => (
            "rocket_chat",
            &[
                ("rocketwebhookURL", "webhook_url"),
                ("rocketchannel", "channel"),
                ("rocketusername", "username"),
                ("rocketiconemo", "icon_emoji"),
            ],
        ),
        "PagerDuty" => (
            "pagerduty",
            &[
                ("pagerdutyIntegrationKey", "pagerduty_integration_key"),
                ("pagerdutyIntegrationUrl", "pagerduty_integration_url"),
                ("pagerdutyPriority", "pagerduty_priority"),
                ("pagerdutyAutoResolve", "pagerduty_auto_resolve"),
            ],
        ),
        "Opsgenie" => (
            "opsgenie",
            &[("opsgenieApiKey", "api_key"), ("opsgenieRegion", "region"), ("opsgeniePriority", "priority")],
        ),
        "HomeAssistant" => (
            "home_assistant",
            &[
                ("homeAssistantUrl", "home_assistant_url"),
                ("longLivedAccessToken", "long_lived_access_token"),
                ("notificationService", "notification_service"),
            ],
        ),
        "pushbullet" => ("pushbullet", &[("pushbulletAccessToken", "pushbullet_access_token")]),
        "line" => ("line", &[("lineChannelAccessToken", "channel_access_token"), ("lineUserID", "user_id")]),
        "apprise" => ("apprise", &[("appriseURL", "apprise_url")]),
        _ => return None,
    })
}

/// Our provider key and `config` for a Kuma notification's config object.
pub fn notification_config(kuma: &Row) -> Result<(String, Value), String> {
    let kuma_type = s(kuma, "type");
    let Some((provider, keys)) = provider_keys(&kuma_type) else {
        return Err(if kuma_type.is_empty() {
            "the notification has no type".into()
        } else {
            format!("notification provider \"{kuma_type}\" is not supported")
        });
    };
    let mut out = Map::new();
    for (from, to) in keys {
        if let Some(v) = kuma.get(*from).filter(|v| !v.is_null()) {
            out.insert((*to).to_string(), v.clone());
        }
    }
    match provider {
        "webhook" => {
            if let Some(Value::String(h)) = out.get("webhook_additional_headers").cloned() {
                let parsed =
                    if h.trim().is_empty() { json!({}) } else { serde_json::from_str(&h).unwrap_or(json!({})) };
                out.insert("webhook_additional_headers".into(), parsed);
            }
        }
        "ntfy" => {
            let auth = match s(kuma, "ntfyAuthenticationMethod").as_str() {
                "usernamePassword" => "basic",
                "accessToken" => "token",
                _ if !s(kuma, "ntfyusername").is_empty() => "basic",
                _ => "none",
            };
            out.insert("authentication_type".into(), json!(auth));
        }
        "discord" => {
            if let Some(t) = out.get("message_type").and_then(Value::as_str) {
                let ours = match t {
                    "createNewForumPost" => "send_to_new_forum_post",
                    "postToThread" => "send_to_thread",
                    _ => "send_to_channel",
                };
                out.insert("message_type".into(), json!(ours));
            }
        }
        _ => {}
    }
    Ok((provider.to_string(), Value::Object(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(v: Value) -> Row {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn camel_keys_become_columns() {
        assert_eq!(snake("retryInterval"), "retry_interval");
        assert_eq!(snake("maxretries"), "maxretries");
        assert_eq!(snake("accepted_statuscodes"), "accepted_statuscodes");
        assert_eq!(snake("databaseConnectionString"), "database_connection_string");
    }

    #[test]
    fn keyword_monitor_maps_to_http_keyword() {
        let r = row(json!({"type": "keyword", "url": "http://127.0.0.1/", "keyword": "ok", "invert_keyword": 1,
            "accepted_statuscodes_json": "[\"200-299\",\"301\"]", "upside_down": 1}));
        let (kind, c, notes) = monitor_config(&r, None).unwrap();
        assert_eq!(kind, "http-keyword");
        assert_eq!(c["keyword"], "ok");
        assert_eq!(c["invert_keyword"], true);
        assert_eq!(c["accepted_statuscodes"], json!(["2XX", "301"]));
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn unsupported_types_and_providers_give_reasons() {
        assert!(monitor_config(&row(json!({"type": "real-browser"})), None).unwrap_err().contains("real-browser"));
        assert!(monitor_config(&row(json!({"type": "docker"})), None).unwrap_err().contains("Docker host"));
        assert!(notification_config(&row(json!({"type": "bark"}))).unwrap_err().contains("bark"));
    }

    #[test]
    fn ntfy_auth_methods_map() {
        let (p, c) = notification_config(&row(json!({"type": "ntfy", "ntfytopic": "t",
            "ntfyAuthenticationMethod": "accessToken", "ntfyaccesstoken": "x"})))
        .unwrap();
        assert_eq!(p, "ntfy");
        assert_eq!(c["authentication_type"], "token");
        assert_eq!(c["token"], "x");
    }
}
