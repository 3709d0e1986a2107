//! Peekaping's response envelope: `{ "message": "…", "data": … }`.

use poem_openapi::Object;
use poem_openapi::types::{ParseFromJSON, ToJSON};

#[derive(Object, Debug)]
pub struct Envelope<T: ParseFromJSON + ToJSON> {
    pub message: String,
    pub data: T,
}

impl<T: ParseFromJSON + ToJSON> Envelope<T> {
    pub fn ok(data: T) -> Self {
        Self { message: "success".into(), data }
    }

    pub fn with(message: impl Into<String>, data: T) -> Self {
        Self { message: message.into(), data }
    }
}

/// A page of a list, with the number of all matches (an addition to Peekaping's shape
/// that its clients ignore and ours use for paging).
#[derive(Object, Debug)]
pub struct ListEnvelope<T: ParseFromJSON + ToJSON> {
    pub message: String,
    pub data: Vec<T>,
    pub total: u64,
}

/// An envelope without data.
#[derive(Object, Debug)]
pub struct MessageOnly {
    pub message: String,
}

impl MessageOnly {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}
