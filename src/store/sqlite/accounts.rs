//! `UserStore`, `SettingStore` and `LoginGuardStore` on SQLite.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};

use super::{SqliteStore, map_err};
use crate::domain::user::User;
use crate::store::{
    LoginGuardStore, LoginState, Setting, SettingKind, SettingStore, StoreError, StoreResult, UserStore,
};

const USER_COLUMNS: &str = "id, email, password, active, twofa_secret, twofa_status, twofa_last_token, \
     tokens_valid_after, created_at, updated_at";

fn row_to_user(r: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        email: r.get(1)?,
        password_hash: r.get(2)?,
        active: r.get(3)?,
        twofa_secret: r.get(4)?,
        twofa_enabled: r.get(5)?,
        twofa_last_step: r.get(6)?,
        tokens_valid_after: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

fn row_to_setting(r: &Row<'_>) -> rusqlite::Result<Setting> {
    let kind: String = r.get(2)?;
    Ok(Setting {
        key: r.get(0)?,
        value: r.get(1)?,
        kind: SettingKind::parse(&kind).unwrap_or(SettingKind::String),
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
    })
}

#[async_trait]
impl UserStore for SqliteStore {
    async fn user_count(&self) -> StoreResult<u64> {
        self.read(|c, _| {
            c.query_row("SELECT count(*) FROM users", [], |r| r.get::<_, i64>(0)).map(|n| n as u64).map_err(map_err)
        })
        .await
    }

    async fn insert_first_user(&self, user: &User) -> StoreResult<()> {
        let u = user.clone();
        self.write(move |ctx| {
            let n: i64 = ctx.conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0)).map_err(map_err)?;
            if n > 0 {
                return Err(StoreError::Conflict("admin already exists".into()));
            }
            ctx.conn
                .execute(
                    &format!("INSERT INTO users ({USER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
                    params![
                        u.id,
                        u.email,
                        u.password_hash,
                        u.active,
                        u.twofa_secret,
                        u.twofa_enabled,
                        u.twofa_last_step,
                        u.tokens_valid_after,
                        u.created_at,
                        u.updated_at
                    ],
                )
                .map_err(map_err)?;
            Ok(())
        })
        .await
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        let email = email.trim().to_string();
        self.read(move |c, _| {
            c.query_row(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1"), [&email], row_to_user)
                .optional()
                .map_err(map_err)
        })
        .await
    }

    async fn user_by_id(&self, id: &str) -> StoreResult<Option<User>> {
        let id = id.to_string();
        self.read(move |c, _| {
            c.query_row(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"), [&id], row_to_user)
                .optional()
                .map_err(map_err)
        })
        .await
    }

    async fn first_user(&self) -> StoreResult<Option<User>> {
        self.read(|c, _| {
            c.query_row(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY created_at LIMIT 1"), [], row_to_user)
                .optional()
                .map_err(map_err)
        })
        .await
    }

    async fn update_user(&self, user: &User) -> StoreResult<()> {
        let u = user.clone();
        self.write(move |ctx| {
            let n = ctx
                .conn
                .execute(
                    "UPDATE users SET email = ?2, password = ?3, active = ?4, twofa_secret = ?5, twofa_status = ?6,
                        twofa_last_token = ?7, tokens_valid_after = ?8, updated_at = ?9 WHERE id = ?1",
                    params![
                        u.id,
                        u.email,
                        u.password_hash,
                        u.active,
                        u.twofa_secret,
                        u.twofa_enabled,
                        u.twofa_last_step,
                        u.tokens_valid_after,
                        u.updated_at
                    ],
                )
                .map_err(map_err)?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
        .await
    }
}

#[async_trait]
impl SettingStore for SqliteStore {
    async fn setting(&self, key: &str) -> StoreResult<Option<Setting>> {
        let key = key.to_string();
        self.read(move |c, _| {
            c.query_row(
                "SELECT key, value, type, created_at, updated_at FROM settings WHERE key = ?1",
                [&key],
                row_to_setting,
            )
            .optional()
            .map_err(map_err)
        })
        .await
    }

    async fn put_setting(&self, setting: &Setting) -> StoreResult<()> {
        let s = setting.clone();
        self.write(move |ctx| {
            ctx.conn
                .execute(
                    "INSERT INTO settings (key, value, type, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value, type = excluded.type, updated_at = excluded.updated_at",
                    params![s.key, s.value, s.kind.as_str(), s.created_at, s.updated_at],
                )
                .map(|_| ())
                .map_err(map_err)
        })
        .await
    }

    async fn delete_setting(&self, key: &str) -> StoreResult<bool> {
        let key = key.to_string();
        self.write(move |ctx| {
            ctx.conn.execute("DELETE FROM settings WHERE key = ?1", [&key]).map(|n| n > 0).map_err(map_err)
        })
        .await
    }

    async fn setting_or_insert(&self, setting: &Setting) -> StoreResult<Setting> {
        let s = setting.clone();
        self.write(move |ctx| {
            ctx.conn
                .execute(
                    "INSERT OR IGNORE INTO settings (key, value, type, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![s.key, s.value, s.kind.as_str(), s.created_at, s.updated_at],
                )
                .map_err(map_err)?;
            ctx.conn
                .query_row("SELECT key, value, type, created_at, updated_at FROM settings WHERE key = ?1", [&s.key], row_to_setting)
                .map_err(map_err)
        })
        .await
    }
}

#[async_trait]
impl LoginGuardStore for SqliteStore {
    async fn login_state(&self, key: &str) -> StoreResult<Option<LoginState>> {
        let key = key.to_string();
        self.read(move |c, _| {
            c.query_row(
                "SELECT key, fail_count, first_fail_at, locked_until FROM login_state WHERE key = ?1",
                [&key],
                |r| {
                    Ok(LoginState {
                        key: r.get(0)?,
                        fail_count: r.get(1)?,
                        first_fail_at: r.get(2)?,
                        locked_until: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(map_err)
        })
        .await
    }

    async fn put_login_state(&self, state: &LoginState) -> StoreResult<()> {
        let s = state.clone();
        self.write(move |ctx| {
            ctx.conn
                .execute(
                    "INSERT INTO login_state (key, fail_count, first_fail_at, locked_until) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (key) DO UPDATE SET fail_count = excluded.fail_count,
                        first_fail_at = excluded.first_fail_at, locked_until = excluded.locked_until",
                    params![s.key, s.fail_count, s.first_fail_at, s.locked_until],
                )
                .map(|_| ())
                .map_err(map_err)
        })
        .await
    }

    async fn clear_login_state(&self, key: &str) -> StoreResult<()> {
        let key = key.to_string();
        self.write(move |ctx| {
            ctx.conn.execute("DELETE FROM login_state WHERE key = ?1", [&key]).map(|_| ()).map_err(map_err)
        })
        .await
    }
}
