//! Importers from other monitoring tools. Each reads the other tool's data, maps it to
//! Peekaping's objects with the API's validation and writes through the `Store` port.

pub mod kuma;
