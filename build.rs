//! Makes sure `web/dist` exists so the embedded UI compiles before the web app is built
//! (a fresh clone running `cargo test`); `make build` replaces it with the real UI.

use std::path::Path;

fn main() {
    let dist = Path::new("web/dist");
    let index = dist.join("index.html");
    if !index.exists() {
        std::fs::create_dir_all(dist).expect("web/dist must be creatable");
        std::fs::write(
            &index,
            "<!doctype html><meta charset=\"utf-8\"><title>Peekaping</title>\
             <p>The web UI is not built into this binary. Run <code>make build</code> (or <code>npm run build</code> in web/) and rebuild.</p>\n",
        )
        .expect("web/dist/index.html must be writable");
    }
    println!("cargo:rerun-if-changed=web/dist");
    println!("cargo:rerun-if-changed=build.rs");
}
