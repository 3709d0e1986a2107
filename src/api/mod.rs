//! The API component: Peekaping's REST API under `/api/v1` (poem + poem-openapi), its
//! OpenAPI document and Swagger UI, the Socket.IO realtime endpoint, and the embedded
//! web UI. One file per resource; all of them depend on ports only.

// `ApiError` is the HTTP response itself (status + JSON body), built once per failed
// request; boxing it would only add an allocation to every error path.
#![allow(clippy::result_large_err)]

pub mod api_keys;
pub mod auth;
pub mod backup;
pub mod badge_svg;
pub mod badges;
pub mod compress;
pub mod envelope;
pub mod error;
pub mod fields;
pub mod import;
pub mod maintenances;
pub mod markup;
pub mod metrics;
pub mod monitors;
pub mod notification_channels;
pub mod proxies;
pub mod push;
pub mod realtime;
pub mod session;
pub mod settings;
pub mod spa;
pub mod status_page_html;
pub mod status_page_view;
pub mod status_pages;
pub mod system;
pub mod tags;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use poem::listener::{Acceptor, Listener, TcpListener};
use poem::middleware::{Cors, SetHeader};
use poem::{EndpointExt, Route, Server};
use poem_openapi::OpenApiService;
use tokio_util::sync::CancellationToken;

use crate::bus::Bus;
use crate::domain::monitor::MonitorLimits;
use crate::store::Store;
pub use session::BruteForceConfig;

/// API settings.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    pub host: IpAddr,
    pub port: u16,
    /// Serve Swagger UI at `/swagger`.
    pub swagger: bool,
    pub limits: MonitorLimits,
    pub bruteforce: BruteForceConfig,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::from([0, 0, 0, 0]),
            port: 8383,
            swagger: true,
            limits: MonitorLimits::default(),
            bruteforce: BruteForceConfig::default(),
        }
    }
}

/// What every handler can reach.
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub bus: Arc<dyn Bus>,
    pub config: ApiConfig,
    pub sessions: session::Sessions,
    pub hub: Arc<realtime::Hub>,
    pub status_pages: Arc<status_page_view::PublicPages>,
    pub metrics: metrics::Metrics,
}

impl AppState {
    pub async fn new(store: Arc<dyn Store>, bus: Arc<dyn Bus>, config: ApiConfig) -> anyhow::Result<Arc<Self>> {
        let sessions = session::Sessions::load(store.clone()).await?;
        let status_pages = Arc::new(status_page_view::PublicPages::load(store.clone()).await?);
        Ok(Arc::new(Self {
            store,
            bus,
            config,
            sessions,
            hub: Arc::new(realtime::Hub::default()),
            status_pages,
            metrics: metrics::Metrics::default(),
        }))
    }
}

type Apis = (
    system::SystemApi,
    auth::AuthApi,
    monitors::MonitorsApi,
    proxies::ProxiesApi,
    push::PushApi,
    notification_channels::NotificationChannelsApi,
    settings::SettingsApi,
    tags::TagsApi,
    maintenances::MaintenancesApi,
    status_pages::StatusPagesApi,
    api_keys::ApiKeysApi,
    backup::BackupApi,
    import::ImportApi,
);

/// The OpenAPI service of `/api/v1`.
pub fn openapi(state: &Arc<AppState>) -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            system::SystemApi { state: state.clone() },
            auth::AuthApi { state: state.clone() },
            monitors::MonitorsApi { state: state.clone() },
            proxies::ProxiesApi { state: state.clone() },
            push::PushApi { state: state.clone() },
            notification_channels::NotificationChannelsApi { state: state.clone() },
            settings::SettingsApi { state: state.clone() },
            tags::TagsApi { state: state.clone() },
            maintenances::MaintenancesApi { state: state.clone() },
            status_pages::StatusPagesApi { state: state.clone() },
            api_keys::ApiKeysApi { state: state.clone() },
            backup::BackupApi { state: state.clone() },
            import::ImportApi { state: state.clone() },
        ),
        "Peekaping",
        crate::VERSION,
    )
    .description("Self-hosted uptime monitoring. Wire-compatible with Peekaping v0.0.46's REST API.")
    .server("/api/v1")
}

/// The OpenAPI document as JSON, without a running server (for `peekaping openapi`).
pub fn openapi_json(state: &Arc<AppState>) -> String {
    openapi(state).spec()
}

/// Every route of the process: API, docs, realtime, UI.
pub fn routes(state: Arc<AppState>) -> impl poem::Endpoint<Output = poem::Response> {
    let api = openapi(&state);
    let spec = Arc::new(fields::LazySpec::new({
        let state = state.clone();
        move || openapi(&state).spec()
    }));
    let api =
        fields::FieldErrors { inner: poem::IntoEndpoint::into_endpoint(api), spec: spec.clone(), prefix: "/api/v1" };
    let mut route = Route::new()
        .nest("/api/v1/openapi.json", fields::SpecEndpoint(spec))
        .nest("/api/v1/badge", badges::routes())
        .at("/metrics", poem::get(metrics::endpoint))
        .nest("/api/v1", api)
        .at("/health", poem::get(health_alias))
        .nest("/socket.io", realtime::SocketIo { state: state.clone() })
        .at("/status/:slug", poem::get(status_page_html::html_page))
        .at("/status/:slug/feed.atom", poem::get(status_page_html::atom_feed))
        .at("/status/:slug/rss.xml", poem::get(status_page_html::rss_feed))
        .at("/status/:slug/auth", poem::post(status_page_html::unlock))
        .nest("/", status_page_html::SiteRoot { inner: spa::Spa });
    if state.config.swagger {
        route = route.nest("/swagger", LazySwagger { state: state.clone(), ui: std::sync::OnceLock::new() });
    }
    route
        .catch_all_error(error::json_errors)
        .with(Cors::new().allow_credentials(false))
        .with(
            SetHeader::new()
                .overriding("X-Content-Type-Options", "nosniff")
                .overriding("X-Frame-Options", "SAMEORIGIN"),
        )
        .with(compress::Gzip)
        .data(state)
        .map_to_response()
}

/// Swagger UI, rendered on first use: the page inlines ~1.6 MB of JavaScript, which an
/// idle appliance should not keep in memory for a page few people open.
struct LazySwagger {
    state: Arc<AppState>,
    ui: std::sync::OnceLock<poem::endpoint::BoxEndpoint<'static, poem::Response>>,
}

impl poem::Endpoint for LazySwagger {
    type Output = poem::Response;

    async fn call(&self, req: poem::Request) -> poem::Result<Self::Output> {
        let ui = self.ui.get_or_init(|| openapi(&self.state).swagger_ui().map_to_response().boxed());
        ui.call(req).await
    }
}

#[poem::handler]
fn health_alias() -> poem::web::Json<serde_json::Value> {
    poem::web::Json(serde_json::json!({ "status": "success" }))
}

/// Binds the listener (so a port conflict fails start-up) and returns its address.
pub async fn bind(config: &ApiConfig) -> anyhow::Result<(impl Acceptor + use<>, SocketAddr)> {
    let addr = SocketAddr::new(config.host, config.port);
    let acceptor =
        TcpListener::bind(addr).into_acceptor().await.map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let local = acceptor.local_addr().first().and_then(|a| a.as_socket_addr().copied()).unwrap_or(addr);
    Ok((acceptor, local))
}

/// Serves until `shutdown`, then drains in-flight requests for up to 5 s.
pub async fn serve(
    state: Arc<AppState>,
    acceptor: impl Acceptor + 'static,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let hub = state.hub.clone();
    tokio::spawn(hub.run(state.clone(), shutdown.clone()));
    tokio::spawn(state.status_pages.clone().run(state.bus.clone(), shutdown.clone()));
    tokio::spawn(session::flush_key_uses(state.clone(), shutdown.clone()));
    tokio::spawn(metrics::collect(state.clone(), shutdown.clone()));
    Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(
            routes(state.clone()),
            shutdown.cancelled_owned(),
            Some(std::time::Duration::from_secs(5)),
        )
        .await?;
    // API-key uses counted since the last batch, after the last request was answered.
    state.sessions.flush_key_uses().await;
    Ok(())
}
