//! Database monitor types, each against a real server on loopback where one can run here,
//! with failing paths asserting the message the user reads:
//! - `postgres`: PostgreSQL on 127.0.0.1:5432, trust auth, database `test` (`.ci/services/postgres.sh`).
//! - `mysql`: MariaDB on 127.0.0.1:3306, root without password (`.ci/services/mariadb.sh`);
//!   a user with a password is created by the test.
//! - `redis`: Redis on 127.0.0.1:6379 (`.ci/services/redis.sh`); an ACL user with a password
//!   is created by the test.
//! - `mongodb`: the wire-compatible nx-27017 on 127.0.0.1:27017 (`.ci/services/mongo.sh`), or
//!   the server `PEEKAPING_TEST_MONGO_URL` names.
//! - `sqlserver`: no SQL Server can run here, so a protocol-level fake speaks TDS 7.4:
//!   PRELOGIN (encryption not supported), LOGIN7 with the password de-obfuscated and checked
//!   (LOGINACK + ENVCHANGE + DONE, or ERROR 18456 + DONE), SQL_BATCH (COLMETADATA + ROW +
//!   DONE for `SELECT 1`, ERROR 208 for an unknown table); the check itself is tiberius.
//!
//! Every type is also checked against a refused port and a listener that accepts and
//! never answers.

mod support;

use serde_json::{Value, json};
use support::{free_port, monitor, started_server, wait_beat};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener that accepts connections and never says a word; its port.
async fn silent_listener() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    port
}

fn assert_refused(msg: &str, port: u16) {
    assert!(msg.contains(&format!("Cannot connect to 127.0.0.1:{port}")), "{msg}");
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
}

// ---------------------------------------------------------------- postgres

async fn postgres_admin(sql: &str) {
    let (client, conn) =
        tokio_postgres::connect("host=127.0.0.1 port=5432 user=postgres dbname=test", tokio_postgres::NoTls)
            .await
            .expect("PostgreSQL on 127.0.0.1:5432 is needed (.ci/services/postgres.sh)");
    let io = tokio::spawn(conn);
    client.batch_execute(sql).await.unwrap();
    drop(client);
    let _ = io.await;
}

#[tokio::test]
async fn postgres_runs_the_query_and_says_why_it_is_down() {
    // A role that exists but may not log in: the server's refusal is what the user reads.
    postgres_admin(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'peekaping_nologin') THEN \
         CREATE ROLE peekaping_nologin NOLOGIN PASSWORD 'Hidden-Pa55word'; END IF; END $$;",
    )
    .await;
    let s = started_server().await;
    let pg = |conn: &str, query: &str| json!({"database_connection_string": conn, "database_query": query});
    let url = "postgres://postgres@127.0.0.1:5432/test";
    let up = monitor(&s, "postgres", "pg up", pg(url, ""), 2).await;
    let tls = monitor(
        &s,
        "postgres",
        "pg tls many rows",
        pg("host=127.0.0.1 port=5432 user=postgres dbname=test sslmode=require", "SELECT generate_series(1, 200000)"),
        3,
    )
    .await;
    let bad_query = monitor(&s, "postgres", "pg bad query", pg(url, "SELECT * FROM nope"), 2).await;
    let no_db = monitor(&s, "postgres", "pg no db", pg("postgres://postgres@127.0.0.1:5432/nope", ""), 2).await;
    let no_login = monitor(
        &s,
        "postgres",
        "pg no login",
        pg("postgres://peekaping_nologin:Hidden-Pa55word@127.0.0.1:5432/test", ""),
        2,
    )
    .await;
    let verify =
        monitor(&s, "postgres", "pg verify", pg("postgres://postgres@127.0.0.1:5432/test?sslmode=verify-full", ""), 2)
            .await;
    let port = free_port();
    let refused =
        monitor(&s, "postgres", "pg refused", pg(&format!("postgres://postgres@127.0.0.1:{port}/test"), ""), 1).await;
    let silent = silent_listener().await;
    let hang = monitor(
        &s,
        "postgres",
        "pg hang",
        pg(&format!("postgres://postgres@127.0.0.1:{silent}/test?sslmode=disable"), ""),
        1,
    )
    .await;

    let msg = wait_beat(&s, &up, 1).await;
    assert!(msg.starts_with("Query returned 1 row in ") && msg.ends_with(" ms"), "{msg}");
    let msg = wait_beat(&s, &tls, 1).await;
    assert!(msg.starts_with("Query returned more than 100 rows"), "{msg}");
    let msg = wait_beat(&s, &bad_query, 0).await;
    assert_eq!(msg, "Query failed: relation \"nope\" does not exist");
    let msg = wait_beat(&s, &no_db, 0).await;
    assert_eq!(msg, "PostgreSQL 127.0.0.1:5432 refused the connection: database \"nope\" does not exist");
    let msg = wait_beat(&s, &no_login, 0).await;
    assert!(msg.contains("role \"peekaping_nologin\" is not permitted to log in"), "{msg}");
    assert!(!msg.contains("Hidden-Pa55word"), "{msg}");
    let msg = wait_beat(&s, &verify, 0).await;
    assert!(msg.contains("certificate"), "a self-signed server certificate fails verify-full: {msg}");
    let msg = wait_beat(&s, &refused, 0).await;
    assert_refused(&msg, port);
    let msg = wait_beat(&s, &hang, 0).await;
    assert_eq!(msg, "Timed out after 1 s waiting for the server's reply");
}

// ---------------------------------------------------------------- mysql

async fn mysql_admin(sql: &str) {
    let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url("mysql://root@127.0.0.1:3306/test").unwrap())
        .await
        .expect("MariaDB on 127.0.0.1:3306 is needed (.ci/services/mariadb.sh)");
    use mysql_async::prelude::Queryable;
    conn.query_drop(sql).await.unwrap();
    conn.disconnect().await.unwrap();
}

#[tokio::test]
async fn mysql_runs_the_query_and_says_why_it_is_down() {
    for sql in [
        "CREATE USER IF NOT EXISTS 'peekaping_mon'@'%' IDENTIFIED BY 'Right-Pa55word'",
        "CREATE USER IF NOT EXISTS 'peekaping_mon'@'localhost' IDENTIFIED BY 'Right-Pa55word'",
        "GRANT SELECT ON test.* TO 'peekaping_mon'@'%'",
        "GRANT SELECT ON test.* TO 'peekaping_mon'@'localhost'",
    ] {
        mysql_admin(sql).await;
    }
    let s = started_server().await;
    let my = |conn: &str, query: &str| json!({"connection_string": conn, "query": query});
    let root = "mysql://root@127.0.0.1:3306/test";
    let up = monitor(&s, "mysql", "my up", my(root, ""), 2).await;
    let user =
        monitor(&s, "mysql", "my user", my("mysql://peekaping_mon:Right-Pa55word@127.0.0.1:3306/test", ""), 2).await;
    let wrong =
        monitor(&s, "mysql", "my wrong pw", my("mysql://peekaping_mon:Wrong-Pa55word@127.0.0.1:3306/test", ""), 2)
            .await;
    let bad_query = monitor(&s, "mysql", "my bad query", my(root, "SELECT * FROM nope"), 2).await;
    let many = monitor(&s, "mysql", "my many rows", my(root, "SELECT seq FROM seq_1_to_500000"), 3).await;
    let port = free_port();
    let refused = monitor(&s, "mysql", "my refused", my(&format!("mysql://root@127.0.0.1:{port}/test"), ""), 1).await;
    let silent = silent_listener().await;
    let hang = monitor(&s, "mysql", "my hang", my(&format!("mysql://root@127.0.0.1:{silent}/test"), ""), 1).await;

    let msg = wait_beat(&s, &up, 1).await;
    assert!(msg.starts_with("Query returned 1 row in "), "{msg}");
    let msg = wait_beat(&s, &user, 1).await;
    assert!(msg.starts_with("Query returned 1 row in "), "{msg}");
    let msg = wait_beat(&s, &wrong, 0).await;
    assert!(msg.contains("Access denied for user 'peekaping_mon'@"), "{msg}");
    assert!(msg.contains("(using password: YES)"), "{msg}");
    assert!(!msg.contains("Wrong-Pa55word"), "{msg}");
    let msg = wait_beat(&s, &bad_query, 0).await;
    assert_eq!(msg, "Query failed: Table 'test.nope' doesn't exist");
    let msg = wait_beat(&s, &many, 1).await;
    assert!(msg.starts_with("Query returned more than 100 rows"), "{msg}");
    let msg = wait_beat(&s, &refused, 0).await;
    assert_refused(&msg, port);
    let msg = wait_beat(&s, &hang, 0).await;
    assert_eq!(msg, "Timed out after 1 s waiting for the server's reply");
}

// ---------------------------------------------------------------- redis

#[tokio::test]
async fn redis_pings_and_says_why_it_is_down() {
    let admin = redis::Client::open("redis://127.0.0.1:6379").unwrap();
    let mut conn = admin
        .get_multiplexed_async_connection()
        .await
        .expect("Redis on 127.0.0.1:6379 is needed (.ci/services/redis.sh)");
    let _: () = redis::cmd("ACL")
        .arg(&["SETUSER", "peekaping_mon", "reset", "on", ">Right-Pa55word", "+ping", "+hello", "+client"][..])
        .query_async(&mut conn)
        .await
        .unwrap();
    let s = started_server().await;
    let rd = |conn: &str| json!({"databaseConnectionString": conn, "ignoreTls": false, "caCert": "", "clientCert": "", "clientKey": ""});
    let up = monitor(&s, "redis", "redis up", rd("redis://127.0.0.1:6379"), 2).await;
    let user = monitor(&s, "redis", "redis user", rd("redis://peekaping_mon:Right-Pa55word@127.0.0.1:6379/0"), 2).await;
    let wrong =
        monitor(&s, "redis", "redis wrong pw", rd("redis://peekaping_mon:Wrong-Pa55word@127.0.0.1:6379/0"), 2).await;
    let port = free_port();
    let refused = monitor(&s, "redis", "redis refused", rd(&format!("redis://127.0.0.1:{port}")), 1).await;
    let silent = silent_listener().await;
    let hang = monitor(&s, "redis", "redis hang", rd(&format!("redis://127.0.0.1:{silent}")), 1).await;

    let msg = wait_beat(&s, &up, 1).await;
    assert!(msg.starts_with("PONG in "), "{msg}");
    let msg = wait_beat(&s, &user, 1).await;
    assert!(msg.starts_with("PONG in "), "{msg}");
    let msg = wait_beat(&s, &wrong, 0).await;
    assert!(msg.contains("WRONGPASS"), "{msg}");
    assert!(msg.contains("invalid username-password pair"), "{msg}");
    assert!(!msg.contains("Wrong-Pa55word"), "{msg}");
    let msg = wait_beat(&s, &refused, 0).await;
    assert_refused(&msg, port);
    let msg = wait_beat(&s, &hang, 0).await;
    assert!(msg.starts_with("Timed out after 1 s waiting for the "), "{msg}");
}

// ---------------------------------------------------------------- mongodb

fn mongo_url() -> String {
    std::env::var("PEEKAPING_TEST_MONGO_URL").unwrap_or_else(|_| "mongodb://127.0.0.1:27017".into())
}

#[tokio::test]
async fn mongodb_runs_the_command_and_judges_the_reply() {
    let url = mongo_url();
    let probe = mongodb::Client::with_uri_str(&url).await.unwrap();
    probe
        .database("admin")
        .run_command(mongodb::bson::doc! {"ping": 1})
        .await
        .expect("a MongoDB server is needed (.ci/services/mongo.sh or PEEKAPING_TEST_MONGO_URL)");
    probe.shutdown().await;
    let s = started_server().await;
    let mg = |conn: &str, extra: Value| {
        let mut c = json!({"connectionString": conn});
        c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        c
    };
    let up = monitor(&s, "mongodb", "mongo up", mg(&url, json!({})), 3).await;
    let query = monitor(
        &s,
        "mongodb",
        "mongo json",
        mg(&url, json!({"command": "{\"ping\":1}", "jsonPath": "ok", "expectedValue": "1"})),
        3,
    )
    .await;
    let mismatch = monitor(
        &s,
        "mongodb",
        "mongo mismatch",
        mg(&url, json!({"command": "{\"ping\":1}", "jsonPath": "ok", "expectedValue": "2"})),
        3,
    )
    .await;
    let bad_command = monitor(
        &s,
        "mongodb",
        "mongo bad command",
        mg(&url, json!({"command": r#"{"aggregate":"nope","pipeline":[{"$nosuchstage":1}],"cursor":{}}"#})),
        3,
    )
    .await;
    let port = free_port();
    let refused =
        monitor(&s, "mongodb", "mongo refused", mg(&format!("mongodb://127.0.0.1:{port}"), json!({})), 2).await;
    let silent = silent_listener().await;
    let hang = monitor(&s, "mongodb", "mongo hang", mg(&format!("mongodb://127.0.0.1:{silent}"), json!({})), 2).await;

    let msg = wait_beat(&s, &up, 1).await;
    assert!(msg.starts_with("Command ping succeeded in "), "{msg}");
    let msg = wait_beat(&s, &query, 1).await;
    assert!(msg.starts_with("Command ping: ok is \"1\" as expected"), "{msg}");
    let msg = wait_beat(&s, &mismatch, 0).await;
    assert!(msg.contains("JSON query \"ok\" is \"1\", expected == \"2\""), "{msg}");
    let msg = wait_beat(&s, &bad_command, 0).await;
    assert!(msg.starts_with("Command aggregate failed: ") && msg.contains("$nosuchstage"), "{msg}");
    let msg = wait_beat(&s, &refused, 0).await;
    assert_refused(&msg, port);
    let msg = wait_beat(&s, &hang, 0).await;
    assert!(msg.contains(&format!("127.0.0.1:{silent}")) && msg.to_lowercase().contains("timed out"), "{msg}");
}

// ---------------------------------------------------------------- sqlserver

/// How the fake SQL Server answers.
#[derive(Clone, Copy)]
enum Tds {
    /// A working server with one login: `monitor` / `Corr3ct-Horse`.
    Serve,
    /// Accepts TCP and never answers.
    Hang,
}

const TDS_USER: &str = "monitor";
const TDS_PASSWORD: &str = "Corr3ct-Horse";

async fn fake_sql_server(mode: Tds) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            match mode {
                Tds::Hang => held.push(socket),
                Tds::Serve => {
                    tokio::spawn(async move {
                        let _ = tds_session(socket).await;
                    });
                }
            }
        }
    });
    port
}

/// Reads one TDS message (packets until end-of-message): its type and payload.
async fn read_tds_message(s: &mut TcpStream) -> std::io::Result<(u8, Vec<u8>)> {
    let mut payload = Vec::new();
    loop {
        let mut header = [0u8; 8];
        s.read_exact(&mut header).await?;
        let len = u16::from_be_bytes([header[2], header[3]]) as usize;
        let mut body = vec![0u8; len.saturating_sub(8)];
        s.read_exact(&mut body).await?;
        payload.extend_from_slice(&body);
        if header[1] & 0x01 == 0x01 {
            return Ok((header[0], payload));
        }
    }
}

/// Sends a tabular-result message (packet type 0x04) in one packet.
async fn write_tds_reply(s: &mut TcpStream, payload: &[u8]) -> std::io::Result<()> {
    let mut packet = vec![0x04, 0x01];
    packet.extend_from_slice(&((payload.len() + 8) as u16).to_be_bytes());
    packet.extend_from_slice(&[0x00, 0x33, 0x01, 0x00]);
    packet.extend_from_slice(payload);
    s.write_all(&packet).await
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn b_varchar(s: &str) -> Vec<u8> {
    let mut v = vec![s.encode_utf16().count() as u8];
    v.extend(utf16(s));
    v
}

fn us_varchar(s: &str) -> Vec<u8> {
    let mut v = (s.encode_utf16().count() as u16).to_le_bytes().to_vec();
    v.extend(utf16(s));
    v
}

/// A token with a u16 length prefix.
fn token(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![kind];
    v.extend_from_slice(&(body.len() as u16).to_le_bytes());
    v.extend_from_slice(body);
    v
}

fn done(status: u16, rows: u64) -> Vec<u8> {
    let mut v = vec![0xFD];
    v.extend_from_slice(&status.to_le_bytes());
    v.extend_from_slice(&0xC1u16.to_le_bytes()); // current command: SELECT
    v.extend_from_slice(&rows.to_le_bytes());
    v
}

fn error_token(number: u32, state: u8, class: u8, message: &str) -> Vec<u8> {
    let mut body = number.to_le_bytes().to_vec();
    body.extend_from_slice(&[state, class]);
    body.extend(us_varchar(message));
    body.extend(b_varchar("FAKESQL"));
    body.extend(b_varchar(""));
    body.extend_from_slice(&1u32.to_le_bytes());
    token(0xAA, &body)
}

/// A UTF-16 string of a LOGIN7 record at (offset, length in characters) given at `at`.
fn login7_field(login: &[u8], at: usize) -> Vec<u8> {
    let offset = u16::from_le_bytes([login[at], login[at + 1]]) as usize;
    let chars = u16::from_le_bytes([login[at + 2], login[at + 3]]) as usize;
    login.get(offset..offset + chars * 2).unwrap_or_default().to_vec()
}

fn from_utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
}

async fn tds_session(mut s: TcpStream) -> std::io::Result<()> {
    // PRELOGIN: version, encryption NOT_SUP, no instance, no thread id, no MARS.
    let (kind, _) = read_tds_message(&mut s).await?;
    assert_eq!(kind, 0x12, "PRELOGIN first");
    let options: [(u8, Vec<u8>); 5] = [
        (0x00, vec![0x10, 0x00, 0x07, 0xD0, 0x00, 0x00]),
        (0x01, vec![0x02]),
        (0x02, vec![0x00]),
        (0x03, vec![]),
        (0x04, vec![0x00]),
    ];
    let mut table = Vec::new();
    let mut data = Vec::new();
    let mut offset = options.len() * 5 + 1;
    for (token, value) in &options {
        table.push(*token);
        table.extend_from_slice(&(offset as u16).to_be_bytes());
        table.extend_from_slice(&(value.len() as u16).to_be_bytes());
        data.extend_from_slice(value);
        offset += value.len();
    }
    table.push(0xFF);
    table.extend(data);
    write_tds_reply(&mut s, &table).await?;

    // LOGIN7: user name at offset 40, password (obfuscated) at 44.
    let (kind, login) = read_tds_message(&mut s).await?;
    assert_eq!(kind, 0x10, "LOGIN7 after PRELOGIN");
    let user = from_utf16(&login7_field(&login, 40));
    let password: Vec<u8> = login7_field(&login, 44).iter().map(|b| (b ^ 0xA5).rotate_left(4)).collect();
    let password = from_utf16(&password);
    if user != TDS_USER || password != TDS_PASSWORD {
        let mut reply = error_token(18456, 1, 14, &format!("Login failed for user '{user}'."));
        reply.extend(done(0x0002, 0));
        write_tds_reply(&mut s, &reply).await?;
        return Ok(());
    }
    let mut ack = vec![0x01];
    ack.extend_from_slice(&0x7400_0004u32.to_be_bytes());
    ack.extend(b_varchar("Microsoft SQL Server"));
    ack.extend_from_slice(&[16, 0, 0x07, 0xD0]);
    let mut reply = token(0xAD, &ack);
    let mut db = vec![0x01];
    db.extend(b_varchar("master"));
    db.extend(b_varchar("master"));
    reply.extend(token(0xE3, &db));
    let mut size = vec![0x04];
    size.extend(b_varchar("4096"));
    size.extend(b_varchar("4096"));
    reply.extend(token(0xE3, &size));
    reply.extend(done(0x0000, 0));
    write_tds_reply(&mut s, &reply).await?;

    // SQL_BATCH: ALL_HEADERS (its total length first), then the query in UTF-16.
    loop {
        let (kind, batch) = read_tds_message(&mut s).await?;
        if kind != 0x01 {
            return Ok(());
        }
        let headers = u32::from_le_bytes([batch[0], batch[1], batch[2], batch[3]]) as usize;
        let query = from_utf16(&batch[headers..]);
        let mut reply = Vec::new();
        if query.trim().eq_ignore_ascii_case("SELECT 1") {
            // COLMETADATA: one nullable-less INT4 column without a name, then one ROW.
            reply.push(0x81);
            reply.extend_from_slice(&1u16.to_le_bytes());
            reply.extend_from_slice(&0u32.to_le_bytes()); // user type
            reply.extend_from_slice(&0u16.to_le_bytes()); // flags
            reply.push(0x38); // INT4
            reply.extend(b_varchar(""));
            reply.push(0xD1);
            reply.extend_from_slice(&1i32.to_le_bytes());
            reply.extend(done(0x0010, 1));
        } else {
            let table = query.rsplit(' ').next().unwrap_or("").to_string();
            reply.extend(error_token(208, 1, 16, &format!("Invalid object name '{table}'.")));
            reply.extend(done(0x0002, 0));
        }
        write_tds_reply(&mut s, &reply).await?;
    }
}

#[tokio::test]
async fn sqlserver_logs_in_runs_the_query_and_says_why_it_is_down() {
    let port = fake_sql_server(Tds::Serve).await;
    let s = started_server().await;
    let ms = |conn: String, query: &str| json!({"database_connection_string": conn, "database_query": query});
    let conn = |port: u16, password: &str| {
        format!(
            "Server=127.0.0.1,{port};Database=master;User Id={TDS_USER};Password={password};Encrypt=false;TrustServerCertificate=true"
        )
    };
    let up = monitor(&s, "sqlserver", "mssql up", ms(conn(port, TDS_PASSWORD), ""), 2).await;
    let bad_login = monitor(&s, "sqlserver", "mssql bad login", ms(conn(port, "Wrong-Horse"), ""), 2).await;
    let bad_query =
        monitor(&s, "sqlserver", "mssql bad query", ms(conn(port, TDS_PASSWORD), "SELECT * FROM nope"), 2).await;
    let closed = free_port();
    let refused = monitor(&s, "sqlserver", "mssql refused", ms(conn(closed, TDS_PASSWORD), ""), 1).await;
    let silent = fake_sql_server(Tds::Hang).await;
    let hang = monitor(&s, "sqlserver", "mssql hang", ms(conn(silent, TDS_PASSWORD), ""), 1).await;

    let msg = wait_beat(&s, &up, 1).await;
    assert!(msg.starts_with("Query returned 1 row in "), "{msg}");
    let msg = wait_beat(&s, &bad_login, 0).await;
    assert_eq!(
        msg,
        format!("SQL Server 127.0.0.1:{port} refused the login: Login failed for user 'monitor'. (error 18456)")
    );
    let msg = wait_beat(&s, &bad_query, 0).await;
    assert_eq!(msg, "Query failed: Invalid object name 'nope'. (error 208)");
    let msg = wait_beat(&s, &refused, 0).await;
    assert_refused(&msg, closed);
    let msg = wait_beat(&s, &hang, 0).await;
    assert_eq!(msg, "Timed out after 1 s waiting for the server's reply");
}
