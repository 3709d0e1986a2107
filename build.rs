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
    // A position-independent binary carries one relative relocation per pointer in its
    // read-only data: ~2 MiB of `.rela.dyn` here, which the loader reads (and so keeps
    // resident) at every start. RELR packs them into a few KiB. It needs glibc >= 2.36 at
    // run time and binutils >= 2.38 at link time (Debian 12 and Raspberry Pi OS 12 have both;
    // a binary built on Debian 12 needs glibc 2.34+ anyway). PEEKAPING_NO_RELR=1 turns it off
    // for an older linker.
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    if linux_gnu && std::env::var_os("PEEKAPING_NO_RELR").is_none() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    println!("cargo:rerun-if-env-changed=PEEKAPING_NO_RELR");
    println!("cargo:rerun-if-changed=web/dist");
    println!("cargo:rerun-if-changed=build.rs");
}
