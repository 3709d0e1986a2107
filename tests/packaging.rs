//! The files the packages install agree with the binary: the shipped config loads and its
//! commented defaults are the real ones, and the systemd unit runs what the packages put
//! where they put it. (The install/upgrade/purge test is packaging/tests/deb-upgrade.sh,
//! run by `make test-packages`.)

use std::collections::HashMap;
use std::path::PathBuf;

use peekaping::config::{Config, RawSettings};

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn load(file: PathBuf) -> Config {
    let raw = RawSettings { config_file: Some(file), ..Default::default() };
    Config::load_from(raw, HashMap::new()).expect("the config loads")
}

#[test]
fn the_packaged_config_loads_and_its_commented_defaults_are_the_real_ones() {
    let shipped = repo("packaging/peekaping.toml");
    let config = load(shipped.clone());
    assert_eq!(config.data_dir, PathBuf::from("/var/lib/peekaping"));

    // Uncomment every `#key = value`: nothing may change, or the comments lie.
    let text = std::fs::read_to_string(&shipped).unwrap();
    let mut uncommented = 0;
    let all: String = text
        .lines()
        .map(|l| match l.strip_prefix('#') {
            Some(rest)
                if rest
                    .split_once(" = ")
                    .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_')) =>
            {
                uncommented += 1;
                format!("{rest}\n")
            }
            _ => format!("{l}\n"),
        })
        .collect();
    assert!(uncommented >= 15, "only {uncommented} commented defaults found");
    let dir = tempfile::tempdir().unwrap();
    let explicit = dir.path().join("all.toml");
    std::fs::write(&explicit, all).unwrap();
    assert_eq!(format!("{:?}", load(explicit)), format!("{config:?}"));
}

#[test]
fn the_unit_runs_the_installed_binary_as_peekaping_with_its_config_and_data_dir_only() {
    let unit = std::fs::read_to_string(repo("packaging/systemd/peekaping.service")).unwrap();
    let value = |key: &str| -> Vec<String> {
        unit.lines().filter_map(|l| l.strip_prefix(&format!("{key}="))).map(str::to_string).collect()
    };
    assert_eq!(value("User"), ["peekaping"]);
    assert_eq!(value("ExecStart"), ["/usr/bin/peekaping --config /etc/peekaping/peekaping.toml serve"]);
    assert_eq!(value("ReadWritePaths"), ["/var/lib/peekaping"]);
    assert_eq!(value("ProtectSystem"), ["strict"]);
    assert_eq!(value("NoNewPrivileges"), ["yes"]);
    assert_eq!(value("Restart"), ["on-failure"]);
    assert_eq!(value("AmbientCapabilities"), [""], "ping uses unprivileged ICMP, no capability");
    assert_eq!(value("CapabilityBoundingSet"), [""]);

    // Both package manifests install the binary, config, unit and sysctl drop-in there.
    let manifest = std::fs::read_to_string(repo("Cargo.toml")).unwrap();
    for dest in [
        "usr/bin/",
        "etc/peekaping/peekaping.toml",
        "usr/lib/systemd/system/peekaping.service",
        "usr/lib/sysctl.d/60-peekaping-ping.conf",
    ] {
        assert!(manifest.contains(&format!("\"{dest}\"")), "the .deb does not install {dest}");
        let rpm_dest = if dest == "usr/bin/" { "/usr/bin/peekaping".to_string() } else { format!("/{dest}") };
        assert!(manifest.contains(&format!("dest = \"{rpm_dest}\"")), "the .rpm does not install {rpm_dest}");
    }
    let sysctl = std::fs::read_to_string(repo("packaging/sysctl/60-peekaping-ping.conf")).unwrap();
    assert!(sysctl.lines().any(|l| l == "net.ipv4.ping_group_range = 0 2147483647"));
}
