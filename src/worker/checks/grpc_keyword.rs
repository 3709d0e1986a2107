//! `grpc-keyword`: one unary call made dynamically. The method's message types come from
//! the server's reflection service (v1, then v1alpha) or, when the server has none, from
//! the `.proto` text of the monitor (compiled in-process by protox; no protoc). The reply
//! is rendered as protobuf JSON (default values included) and searched for the keyword.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, MethodDescriptor, SerializeOptions};
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::transport::{Channel, ClientTlsConfig, Endpoint};
use tonic::{Code, Status};

use super::{Check, CheckContext, Observation, elapsed_us, root_cause};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::GrpcKeywordConfig;
use crate::domain::monitor_types::grpc_keyword::{compile_proto, find_method};

pub struct GrpcKeywordCheck;

/// Files fetched through reflection for one service, at most.
const MAX_REFLECTED_FILES: usize = 64;

#[async_trait]
impl Check for GrpcKeywordCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::GrpcKeyword(c) = config else {
            return Some(Observation::down(None, "not a grpc-keyword monitor"));
        };
        let window = Duration::from_millis(u64::from(job.monitor.timeout.max(1)) * 900);
        Some(match tokio::time::timeout(window, call(c, window, ctx)).await {
            Ok(obs) => obs,
            Err(_) => Observation::down(
                None,
                format!("No gRPC answer from {} within {:.1} s", c.grpc_url.trim(), window.as_secs_f32()),
            ),
        })
    }
}

async fn call(c: &GrpcKeywordConfig, window: Duration, ctx: &CheckContext) -> Observation {
    let target = c.grpc_url.trim();
    let channel = match connect(c, window).await {
        Ok(ch) => ch,
        Err(e) => return Observation::down(None, format!("Cannot connect to {target}: {e}")),
    };
    let service = c.grpc_service_name.trim();
    let method = match describe_method(c, &channel, service).await {
        Ok(m) => m,
        Err(e) => return Observation::down(None, e),
    };
    if method.is_client_streaming() || method.is_server_streaming() {
        return Observation::down(
            None,
            format!("{} is a streaming method; only unary methods can be checked", method.full_name()),
        );
    }
    let mut de = serde_json::Deserializer::from_str(c.body());
    let request = match DynamicMessage::deserialize(method.input(), &mut de) {
        Ok(m) => m,
        Err(e) => return Observation::down(None, format!("grpcBody does not fit {}: {e}", method.input().full_name())),
    };
    let path = format!("/{}/{}", method.parent_service().full_name(), method.name());
    let Ok(path) = path.parse::<tonic::codegen::http::uri::PathAndQuery>() else {
        return Observation::down(None, format!("{path} is not a valid gRPC path"));
    };
    let cap = ctx.max_body_bytes.clamp(4096, 256 * 1024 * 1024);
    let mut grpc = tonic::client::Grpc::new(channel).max_decoding_message_size(cap);
    let start = Instant::now();
    if let Err(e) = grpc.ready().await {
        return Observation::down(None, format!("Cannot connect to {target}: {}", root_cause(&e)));
    }
    let reply = grpc.unary(tonic::Request::new(request), path, DynamicCodec { output: method.output() }).await;
    let ping = Some(elapsed_us(start));
    let reply = match reply {
        Ok(r) => r.into_inner(),
        Err(status) => return Observation::down(ping, describe_status(target, &status)),
    };
    let json = match to_json(&reply) {
        Ok(j) => j,
        Err(e) => return Observation::down(ping, format!("Cannot render the reply as JSON: {e}")),
    };
    let shown: String = json.chars().take(200).collect();
    if c.keyword.is_empty() {
        return Observation::up(ping, format!("{}: {shown}", method.name()));
    }
    let found = json.contains(c.keyword.as_str());
    match (found, c.invert_keyword) {
        (true, false) => Observation::up(ping, format!("Keyword \"{}\" found in {shown}", c.keyword)),
        (false, true) => Observation::up(ping, format!("Keyword \"{}\" absent, as wanted, from {shown}", c.keyword)),
        (false, false) => Observation::down(ping, format!("Keyword \"{}\" not found in {shown}", c.keyword)),
        (true, true) => {
            Observation::down(ping, format!("Keyword \"{}\" present (inverted keyword) in {shown}", c.keyword))
        }
    }
}

async fn connect(c: &GrpcKeywordConfig, window: Duration) -> Result<Channel, String> {
    let uri = c.endpoint_uri()?;
    let mut endpoint = Endpoint::from_shared(uri.clone())
        .map_err(|e| e.to_string())?
        .connect_timeout(window)
        .timeout(window)
        .user_agent(format!("peekaping/{}", crate::VERSION))
        .map_err(|e| e.to_string())?;
    if uri.starts_with("https://") {
        endpoint = endpoint
            .tls_config(ClientTlsConfig::new().with_webpki_roots())
            .map_err(|e| format!("TLS setup failed: {}", root_cause(&e)))?;
    }
    endpoint.connect().await.map_err(|e| root_cause(&e))
}

/// The method's descriptor: reflection first, the configured `.proto` text second.
async fn describe_method(c: &GrpcKeywordConfig, channel: &Channel, service: &str) -> Result<MethodDescriptor, String> {
    let method = c.grpc_method.trim();
    let reflected = reflect(channel, service).await;
    match reflected {
        Ok(pool) => find_method(&pool, service, method),
        Err(ReflectError::Unreachable(why)) => Err(format!("No gRPC answer from {}: {why}", c.grpc_url.trim())),
        Err(failure) => {
            let reflection_error = match failure {
                ReflectError::Other(e) => e,
                _ => "no reflection service".to_string(),
            };
            if c.grpc_protobuf.trim().is_empty() {
                return Err(format!(
                    "Server reflection is not available ({reflection_error}) and grpcProtobuf is empty: paste the service's .proto"
                ));
            }
            let pool = compile_proto(&c.grpc_protobuf).map_err(|e| format!("grpcProtobuf {e}"))?;
            find_method(&pool, service, method)
        }
    }
}

/// Asks the reflection service for the file defining `service` and everything it imports.
async fn reflect(channel: &Channel, service: &str) -> Result<DescriptorPool, ReflectError> {
    match reflect_v1(channel.clone(), service).await {
        Err(ReflectError::Unimplemented) => reflect_v1alpha(channel.clone(), service).await,
        other => other,
    }
}

enum ReflectError {
    /// The server has no reflection service (of this version): try the next source.
    Unimplemented,
    /// The server did not answer at all: no other source will help.
    Unreachable(String),
    Other(String),
}

impl From<Status> for ReflectError {
    fn from(s: Status) -> Self {
        match s.code() {
            Code::Unimplemented => Self::Unimplemented,
            Code::Unavailable | Code::DeadlineExceeded | Code::Cancelled => {
                Self::Unreachable(if s.message().is_empty() {
                    format!("{:?}", s.code())
                } else {
                    s.message().to_string()
                })
            }
            _ => Self::Other(format!("reflection: {}", s.message())),
        }
    }
}

/// The same reflection walk for v1 and v1alpha, whose generated types differ only by module.
macro_rules! reflection_walk {
    ($name:ident, $pb:path) => {
        async fn $name(channel: Channel, service: &str) -> Result<DescriptorPool, ReflectError> {
            use pb::server_reflection_client::ServerReflectionClient;
            use pb::server_reflection_request::MessageRequest;
            use pb::server_reflection_response::MessageResponse;
            use $pb as pb;

            let mut client = ServerReflectionClient::new(channel);
            let mut ask = async |req: MessageRequest| -> Result<MessageResponse, ReflectError> {
                let request = pb::ServerReflectionRequest { host: String::new(), message_request: Some(req) };
                let mut stream = client.server_reflection_info(futures::stream::iter([request])).await?.into_inner();
                let reply =
                    stream.message().await?.ok_or_else(|| ReflectError::Other("reflection: empty reply".into()))?;
                match reply.message_response {
                    Some(MessageResponse::ErrorResponse(e)) => {
                        Err(ReflectError::Other(format!("reflection: {}", e.error_message)))
                    }
                    Some(other) => Ok(other),
                    None => Err(ReflectError::Other("reflection: empty reply".into())),
                }
            };
            let full_name = if service.contains('.') {
                service.to_string()
            } else {
                let MessageResponse::ListServicesResponse(list) =
                    ask(MessageRequest::ListServices(String::new())).await?
                else {
                    return Err(ReflectError::Other("reflection: unexpected reply to list services".into()));
                };
                let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
                names.iter().find(|n| *n == service || n.ends_with(&format!(".{service}"))).cloned().ok_or_else(
                    || {
                        ReflectError::Other(format!(
                            "service {service} not found (server offers: {})",
                            names.join(", ")
                        ))
                    },
                )?
            };
            let mut files: HashMap<String, prost_types::FileDescriptorProto> = HashMap::new();
            let mut wanted = vec![MessageRequest::FileContainingSymbol(full_name.clone())];
            while let Some(req) = wanted.pop() {
                let reply = ask(req).await.map_err(|e| match e {
                    ReflectError::Other(m) if files.is_empty() => {
                        ReflectError::Other(format!("{m} (looking up {full_name})"))
                    }
                    other => other,
                })?;
                let MessageResponse::FileDescriptorResponse(fd) = reply else {
                    return Err(ReflectError::Other("reflection: unexpected reply to a file request".into()));
                };
                for bytes in fd.file_descriptor_proto {
                    let file = prost_types::FileDescriptorProto::decode(bytes.as_slice())
                        .map_err(|e| ReflectError::Other(format!("reflection: bad descriptor: {e}")))?;
                    files.insert(file.name().to_string(), file);
                }
                if files.len() > MAX_REFLECTED_FILES {
                    return Err(ReflectError::Other("reflection: too many files".into()));
                }
                let missing: HashSet<String> = files
                    .values()
                    .flat_map(|f| f.dependency.iter().cloned())
                    .filter(|d| !files.contains_key(d))
                    .collect();
                wanted.extend(missing.into_iter().map(MessageRequest::FileByFilename));
            }
            pool_from(files).map_err(ReflectError::Other)
        }
    };
}

reflection_walk!(reflect_v1, tonic_reflection::pb::v1);
reflection_walk!(reflect_v1alpha, tonic_reflection::pb::v1alpha);

/// A pool from files in any order (each added after its imports).
fn pool_from(mut files: HashMap<String, prost_types::FileDescriptorProto>) -> Result<DescriptorPool, String> {
    let mut pool = DescriptorPool::new();
    let mut added: HashSet<String> = HashSet::new();
    while !files.is_empty() {
        let ready: Vec<String> = files
            .iter()
            .filter(|(_, f)| f.dependency.iter().all(|d| added.contains(d)))
            .map(|(n, _)| n.clone())
            .collect();
        if ready.is_empty() {
            return Err("reflection: descriptors with missing or circular imports".into());
        }
        for name in ready {
            let file = files.remove(&name).expect("listed above");
            pool.add_file_descriptor_proto(file).map_err(|e| format!("reflection: {e}"))?;
            added.insert(name);
        }
    }
    Ok(pool)
}

fn to_json(msg: &DynamicMessage) -> Result<String, String> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::new(&mut out);
    msg.serialize_with_options(&mut ser, &SerializeOptions::new().skip_default_fields(false))
        .map_err(|e| e.to_string())?;
    String::from_utf8(out).map_err(|e| e.to_string())
}

fn describe_status(target: &str, s: &Status) -> String {
    let code = format!("{:?}", s.code());
    match s.code() {
        Code::Unavailable => format!("Cannot reach {target}: {}", s.message()),
        Code::Unimplemented => format!("gRPC {code}: the server does not implement this method ({})", s.message()),
        _ if s.message().is_empty() => format!("gRPC {code}"),
        _ => format!("gRPC {code}: {}", s.message()),
    }
}

/// Encodes and decodes `DynamicMessage`s of a method found at run time.
struct DynamicCodec {
    output: MessageDescriptor,
}

struct DynamicEncoder;
struct DynamicDecoder(MessageDescriptor);

impl Codec for DynamicCodec {
    type Encode = DynamicMessage;
    type Decode = DynamicMessage;
    type Encoder = DynamicEncoder;
    type Decoder = DynamicDecoder;

    fn encoder(&mut self) -> DynamicEncoder {
        DynamicEncoder
    }

    fn decoder(&mut self) -> DynamicDecoder {
        DynamicDecoder(self.output.clone())
    }
}

impl Encoder for DynamicEncoder {
    type Item = DynamicMessage;
    type Error = Status;

    fn encode(&mut self, item: DynamicMessage, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        item.encode(dst).map_err(|e| Status::internal(format!("encoding the request: {e}")))
    }
}

impl Decoder for DynamicDecoder {
    type Item = DynamicMessage;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<DynamicMessage>, Status> {
        DynamicMessage::decode(self.0.clone(), src)
            .map(Some)
            .map_err(|e| Status::internal(format!("decoding the reply as {}: {e}", self.0.full_name())))
    }
}
