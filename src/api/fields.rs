//! Names the field when poem-openapi rejects a JSON body.
//!
//! poem-openapi's parse errors say what type was expected but not where ("Expected
//! input type integer(uint32), found \"x\""). This middleware keeps the request body
//! and, when the API answers a parse failure, checks the body against the operation's
//! schema in our own OpenAPI document to find the first offending field. The UI can
//! then put the message next to the right input.

use std::sync::{Arc, OnceLock};

use poem::http::{Method, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response};
use serde_json::Value;

use super::error::ErrorBody;

const BODY_LIMIT: usize = 1 << 20;

struct Operation {
    method: Method,
    segments: Vec<String>,
    schema: Value,
}

/// Request-body schemas of every operation, by method and path template.
pub struct SchemaIndex {
    ops: Vec<Operation>,
    components: Value,
}

impl SchemaIndex {
    pub fn from_spec(spec: &str) -> Self {
        let doc: Value = serde_json::from_str(spec).unwrap_or(Value::Null);
        let mut ops = Vec::new();
        if let Some(paths) = doc["paths"].as_object() {
            for (path, item) in paths {
                let Some(item) = item.as_object() else { continue };
                for (method, op) in item {
                    let schema = &op["requestBody"]["content"]["application/json; charset=utf-8"]["schema"];
                    let schema = if schema.is_null() {
                        &op["requestBody"]["content"]["application/json"]["schema"]
                    } else {
                        schema
                    };
                    let Ok(method) = method.to_uppercase().parse::<Method>() else { continue };
                    if schema.is_null() {
                        continue;
                    }
                    ops.push(Operation {
                        method,
                        segments: path.trim_matches('/').split('/').map(String::from).collect(),
                        schema: schema.clone(),
                    });
                }
            }
        }
        Self { ops, components: doc["components"]["schemas"].clone() }
    }

    fn schema_for(&self, method: &Method, path: &str) -> Option<&Value> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.ops
            .iter()
            .find(|op| {
                op.method == method
                    && op.segments.len() == parts.len()
                    && op.segments.iter().zip(&parts).all(|(s, p)| s.starts_with('{') || s == p)
            })
            .map(|op| &op.schema)
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
            Some(name) => &self.components[name],
            None => match schema["allOf"].as_array().and_then(|a| a.first()) {
                Some(inner) => self.resolve(inner),
                None => schema,
            },
        }
    }

    /// The first field of `value` that does not fit `schema`, with why.
    fn check(&self, schema: &Value, value: &Value, at: &str) -> Option<(String, String)> {
        let schema = self.resolve(schema);
        let name = |at: &str| if at.is_empty() { "body".to_string() } else { at.to_string() };
        let ty = schema["type"].as_str().unwrap_or("");
        match ty {
            "object" => {
                let Some(obj) = value.as_object() else { return Some((name(at), "must be a JSON object".into())) };
                let join = |k: &str| if at.is_empty() { k.to_string() } else { format!("{at}.{k}") };
                for req in schema["required"].as_array().into_iter().flatten().filter_map(|r| r.as_str()) {
                    if obj.get(req).is_none_or(Value::is_null) {
                        return Some((join(req), "is required".into()));
                    }
                }
                let props = schema["properties"].as_object()?;
                for (k, v) in obj {
                    if v.is_null() {
                        continue;
                    }
                    if let Some(s) = props.get(k)
                        && let Some(found) = self.check(s, v, &join(k))
                    {
                        return Some(found);
                    }
                }
                None
            }
            "array" => {
                let Some(items) = value.as_array() else { return Some((name(at), "must be an array".into())) };
                items.iter().enumerate().find_map(|(i, v)| self.check(&schema["items"], v, &format!("{at}[{i}]")))
            }
            "integer" => {
                let ok = value.as_i64().is_some() || value.as_u64().is_some();
                if !ok {
                    return Some((name(at), "must be a whole number".into()));
                }
                let n = value.as_f64().unwrap_or(0.0);
                if let Some(min) = schema["minimum"].as_f64()
                    && n < min
                {
                    return Some((name(at), format!("must be at least {min}")));
                }
                if let Some(max) = schema["maximum"].as_f64()
                    && n > max
                {
                    return Some((name(at), format!("must be at most {max}")));
                }
                let format = schema["format"].as_str().unwrap_or("");
                if format.starts_with("uint") && n < 0.0 {
                    return Some((name(at), "must not be negative".into()));
                }
                if format == "uint8" && n > 255.0 || format == "uint32" && n > u32::MAX as f64 {
                    return Some((name(at), "is too large".into()));
                }
                None
            }
            "number" => (!value.is_number()).then(|| (name(at), "must be a number".into())),
            "string" => (!value.is_string()).then(|| (name(at), "must be a string".into())),
            "boolean" => (!value.is_boolean()).then(|| (name(at), "must be true or false".into())),
            _ => None,
        }
    }
}

fn error_response(field: Option<String>, message: String) -> Response {
    let mut resp = poem_openapi::payload::Json(ErrorBody::new("validation", message, field)).into_response();
    resp.set_status(StatusCode::BAD_REQUEST);
    resp
}

/// The OpenAPI document and its [`SchemaIndex`], each built on first use.
///
/// Generating the document walks the metadata of every operation and schema (~200 KB of
/// JSON), and the index keeps a parsed copy of the schemas. An idle appliance needs
/// neither: the document is asked for by tooling, the index only when a body fails to
/// parse. Built at start-up they cost start time and resident memory for nothing.
pub struct LazySpec {
    make: Box<dyn Fn() -> String + Send + Sync>,
    text: OnceLock<String>,
    index: OnceLock<SchemaIndex>,
}

impl LazySpec {
    pub fn new(make: impl Fn() -> String + Send + Sync + 'static) -> Self {
        Self { make: Box::new(make), text: OnceLock::new(), index: OnceLock::new() }
    }

    /// The OpenAPI document as JSON.
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| (self.make)())
    }

    pub fn index(&self) -> &SchemaIndex {
        self.index.get_or_init(|| SchemaIndex::from_spec(self.text()))
    }
}

/// Serves the OpenAPI document (`/api/v1/openapi.json`).
pub struct SpecEndpoint(pub Arc<LazySpec>);

impl Endpoint for SpecEndpoint {
    type Output = Response;

    async fn call(&self, _req: Request) -> poem::Result<Self::Output> {
        Ok(Response::builder().content_type("application/json").body(self.0.text().to_owned()))
    }
}

/// Wraps the API so body parse failures name their field.
pub struct FieldErrors<E> {
    pub inner: E,
    pub spec: Arc<LazySpec>,
    pub prefix: &'static str,
}

impl<E: Endpoint> Endpoint for FieldErrors<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Self::Output> {
        let is_json = req.content_type().is_some_and(|c| c.starts_with("application/json"));
        if !is_json || !matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) {
            return self.inner.call(req).await.map(IntoResponse::into_response);
        }
        let body = req.take_body().into_bytes_limit(BODY_LIMIT).await.map_err(|_| {
            poem::Error::from_string("the request body is larger than 1 MiB", StatusCode::PAYLOAD_TOO_LARGE)
        })?;
        let parsed: Result<Value, _> = serde_json::from_slice(&body);
        if let Err(e) = &parsed {
            return Ok(error_response(None, format!("the body is not valid JSON: {e}")));
        }
        let method = req.method().clone();
        let path = req.uri().path().strip_prefix(self.prefix).unwrap_or(req.uri().path()).to_string();
        req.set_body(body);
        match self.inner.call(req).await {
            Ok(r) => Ok(r.into_response()),
            Err(e) if e.is::<poem_openapi::error::ParseRequestPayloadError>() => {
                let value = parsed.unwrap_or(Value::Null);
                let index = self.spec.index();
                let located = index.schema_for(&method, &path).and_then(|s| index.check(s, &value, ""));
                match located {
                    Some((field, why)) => Ok(error_response(Some(field), why)),
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"{
      "paths": {"/monitors": {"post": {"requestBody": {"content": {"application/json; charset=utf-8": {"schema": {"$ref": "#/components/schemas/In"}}}}}}},
      "components": {"schemas": {"In": {"type": "object", "required": ["name", "type"], "properties": {
        "name": {"type": "string"}, "type": {"type": "string"},
        "interval": {"type": "integer", "format": "uint32"},
        "tags": {"type": "array", "items": {"type": "string"}}}}}}
    }"##;

    #[test]
    fn finds_the_field_of_a_type_error() {
        let idx = SchemaIndex::from_spec(SPEC);
        let s = idx.schema_for(&Method::POST, "/monitors").unwrap();
        let v = serde_json::json!({"name": "a", "type": "http", "interval": "x"});
        assert_eq!(idx.check(s, &v, "").unwrap().0, "interval");
        let v = serde_json::json!({"name": "a", "type": "http", "interval": -5});
        assert_eq!(idx.check(s, &v, "").unwrap().0, "interval");
        let v = serde_json::json!({"name": "a", "type": "http", "tags": ["x", 3]});
        assert_eq!(idx.check(s, &v, "").unwrap().0, "tags[1]");
    }

    #[test]
    fn finds_a_missing_required_field() {
        let idx = SchemaIndex::from_spec(SPEC);
        let s = idx.schema_for(&Method::POST, "/monitors").unwrap();
        let (field, why) = idx.check(s, &serde_json::json!({"name": "a"}), "").unwrap();
        assert_eq!((field.as_str(), why.as_str()), ("type", "is required"));
    }
}
