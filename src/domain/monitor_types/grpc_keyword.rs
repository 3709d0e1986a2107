//! `grpc-keyword`: call one unary gRPC method with a JSON body and look for a keyword in
//! the JSON of the reply (Peekaping's keys). The method's types come from the server's
//! reflection service, or from the `.proto` text in `grpcProtobuf` when reflection is off.

use prost_reflect::{DescriptorPool, MethodDescriptor, ServiceDescriptor};
use serde::{Deserialize, Serialize};

use crate::domain::monitor::ValidationError;

/// Largest `.proto` text a monitor may carry.
const MAX_PROTO_BYTES: usize = 256 * 1024;
/// The name the `.proto` text is compiled under (imports of it are not possible).
pub const PROTO_FILE_NAME: &str = "monitor.proto";

/// Configuration of a `grpc-keyword` monitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GrpcKeywordConfig {
    /// `host:port`, or `http://host:port` / `https://host:port`.
    #[serde(rename = "grpcUrl")]
    pub grpc_url: String,
    /// `.proto` source describing the service; optional when the server offers reflection.
    #[serde(rename = "grpcProtobuf")]
    pub grpc_protobuf: String,
    /// Service name, with its package (`grpc.health.v1.Health`) or without (`Health`).
    #[serde(rename = "grpcServiceName")]
    pub grpc_service_name: String,
    /// Method name (`Check`); matched case-insensitively, as Peekaping's examples use `check`.
    #[serde(rename = "grpcMethod")]
    pub grpc_method: String,
    #[serde(rename = "grpcEnableTls")]
    pub grpc_enable_tls: bool,
    /// The request message as JSON (protobuf JSON mapping); empty means `{}`.
    #[serde(rename = "grpcBody")]
    pub grpc_body: String,
    /// Substring to look for in the reply's JSON; empty means any successful reply is UP.
    pub keyword: String,
    #[serde(rename = "invertKeyword")]
    pub invert_keyword: bool,
}

impl GrpcKeywordConfig {
    /// The channel URI (`http://host:port` or `https://host:port`).
    pub fn endpoint_uri(&self) -> Result<String, String> {
        let raw = self.grpc_url.trim();
        let (scheme, rest) = match raw.split_once("://") {
            Some(("http", r)) => ("http", r),
            Some(("https", r)) => ("https", r),
            Some(("grpc", r)) => ("http", r),
            Some(("grpcs", r)) => ("https", r),
            Some((s, _)) => return Err(format!("scheme \"{s}\" is not http, https, grpc or grpcs")),
            None => (if self.grpc_enable_tls { "https" } else { "http" }, raw),
        };
        let scheme = if self.grpc_enable_tls { "https" } else { scheme };
        let authority = rest.trim_end_matches('/');
        let u = url::Url::parse(&format!("{scheme}://{authority}")).map_err(|e| e.to_string())?;
        if u.host_str().is_none() || u.port().is_none() || u.path() != "/" {
            return Err("must be host:port, e.g. grpc.example.com:443".into());
        }
        Ok(format!("{scheme}://{authority}"))
    }

    /// The request body, `{}` when empty.
    pub fn body(&self) -> &str {
        if self.grpc_body.trim().is_empty() { "{}" } else { &self.grpc_body }
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |f: &str, m: String| Err(ValidationError::new(format!("config.{f}"), m));
        if let Err(e) = self.endpoint_uri() {
            return err("grpcUrl", e);
        }
        let service = self.grpc_service_name.trim();
        if service.is_empty() || !service.split('.').all(is_ident) {
            return err("grpcServiceName", "must be a service name such as grpc.health.v1.Health".into());
        }
        if !is_ident(self.grpc_method.trim()) {
            return err("grpcMethod", "must be a method name such as Check".into());
        }
        match serde_json::from_str::<serde_json::Value>(self.body()) {
            Ok(v) if v.is_object() => {}
            _ => {
                return err("grpcBody", "must be a JSON object (the request message), e.g. {\"service\": \"\"}".into());
            }
        }
        if self.grpc_protobuf.len() > MAX_PROTO_BYTES {
            return err("grpcProtobuf", format!("is larger than {} KB", MAX_PROTO_BYTES / 1024));
        }
        if !self.grpc_protobuf.trim().is_empty() {
            let pool =
                compile_proto(&self.grpc_protobuf).map_err(|e| ValidationError::new("config.grpcProtobuf", e))?;
            find_method(&pool, service, self.grpc_method.trim())
                .map_err(|e| ValidationError::new("config.grpcServiceName", e))?;
        }
        Ok(())
    }
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Compiles `.proto` source (with the well-known `google/protobuf/*` imports available).
pub fn compile_proto(source: &str) -> Result<DescriptorPool, String> {
    struct Source(String);
    impl protox::file::FileResolver for Source {
        fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
            if name == PROTO_FILE_NAME {
                protox::file::File::from_source(name, &self.0)
            } else {
                Err(protox::Error::file_not_found(name))
            }
        }
    }
    let mut resolver = protox::file::ChainFileResolver::new();
    resolver.add(Source(source.to_string()));
    resolver.add(protox::file::GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true);
    compiler.open_file(PROTO_FILE_NAME).map_err(|e| format!("does not compile: {e}"))?;
    Ok(compiler.descriptor_pool())
}

/// Finds a service by full name, or by its last segment when the name has no package.
pub fn find_service(pool: &DescriptorPool, name: &str) -> Result<ServiceDescriptor, String> {
    if let Some(s) = pool.get_service_by_name(name) {
        return Ok(s);
    }
    let matches: Vec<ServiceDescriptor> =
        pool.services().filter(|s| s.name() == name || s.full_name().ends_with(&format!(".{name}"))).collect();
    match matches.len() {
        1 => Ok(matches.into_iter().next().expect("one match")),
        0 => {
            let known: Vec<String> = pool.services().map(|s| s.full_name().to_string()).collect();
            Err(format!(
                "service {name} not found (known: {})",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            ))
        }
        _ => Err(format!("service name {name} is ambiguous; give it with its package")),
    }
}

/// Finds a method of a service (case-insensitively, exact match first).
pub fn find_method(pool: &DescriptorPool, service: &str, method: &str) -> Result<MethodDescriptor, String> {
    let s = find_service(pool, service)?;
    if let Some(m) = s.methods().find(|m| m.name() == method) {
        return Ok(m);
    }
    if let Some(m) = s.methods().find(|m| m.name().eq_ignore_ascii_case(method)) {
        return Ok(m);
    }
    let known: Vec<String> = s.methods().map(|m| m.name().to_string()).collect();
    Err(format!("method {method} not found in service {} (methods: {})", s.full_name(), known.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorConfig;

    const HEALTH: &str = r#"syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
service Health { rpc Check(HealthCheckRequest) returns (HealthCheckResponse); }
"#;

    fn field(c: serde_json::Value) -> String {
        MonitorConfig::parse("grpc-keyword", &c.to_string()).unwrap_err().field
    }

    #[test]
    fn grpc_parses_peekaping_keys_and_compiles_the_proto() {
        let c = serde_json::json!({"grpcUrl": "localhost:50051", "grpcProtobuf": HEALTH, "grpcServiceName": "Health",
            "grpcMethod": "check", "grpcBody": "{\"service\":\"\"}", "keyword": "SERVING", "invertKeyword": false});
        let MonitorConfig::GrpcKeyword(g) = MonitorConfig::parse("grpc-keyword", &c.to_string()).unwrap() else {
            panic!("wrong variant")
        };
        assert_eq!(g.endpoint_uri().unwrap(), "http://localhost:50051");
        let pool = compile_proto(HEALTH).unwrap();
        assert_eq!(find_method(&pool, "Health", "check").unwrap().full_name(), "grpc.health.v1.Health.Check");
    }

    #[test]
    fn grpc_rejects_bad_fields_by_name() {
        let base = serde_json::json!({"grpcUrl": "h:1", "grpcServiceName": "S", "grpcMethod": "M"});
        let with = |k: &str, v: serde_json::Value| {
            let mut c = base.clone();
            c[k] = v;
            c
        };
        assert_eq!(field(with("grpcUrl", "h".into())), "config.grpcUrl");
        assert_eq!(field(with("grpcUrl", "ftp://h:1".into())), "config.grpcUrl");
        assert_eq!(field(with("grpcServiceName", "".into())), "config.grpcServiceName");
        assert_eq!(field(with("grpcMethod", "a/b".into())), "config.grpcMethod");
        assert_eq!(field(with("grpcBody", "[1]".into())), "config.grpcBody");
        assert_eq!(field(with("grpcProtobuf", "message {".into())), "config.grpcProtobuf");
        let mut c = with("grpcProtobuf", HEALTH.into());
        c["grpcMethod"] = "Watch".into();
        c["grpcServiceName"] = "Health".into();
        assert_eq!(field(c), "config.grpcServiceName");
    }
}
