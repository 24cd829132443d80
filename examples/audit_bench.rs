//! Benchmark of the tenant audit: how fast the reader judges a result at the size limit (10 MB),
//! for the script's own format and for a ScubaGear export, and how large and fast the script is.
//!
//! `cargo run --release --example audit_bench [-- --runs N]`
//!
//! Exit 0: every target met; 1: a time target missed (figures vary with the machine);
//! 2: a wrong result (a verdict or the first blocker changed with the size), which is a bug.

use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};
use teamsfix::guide::audit::{self, ScriptOptions, Verdict};

/// Reading and judging a 10 MB result must take at most this long (release build).
const READ_TARGET: Duration = Duration::from_millis(500);

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/audit"))
}

/// A teamsfix result grown to just under `limit` bytes with Conditional Access policies that
/// do not apply to guests (a large tenant), keeping the blocker of two-blockers.json.
fn big_teamsfix(limit: usize) -> Vec<u8> {
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("two-blockers.json")).unwrap())
            .unwrap();
    let base = v.to_string().len();
    let policy = |n: usize| {
        json!({
            "DisplayName": format!("Require MFA for department {n:06} (members only)"),
            "State": "enabled",
            "IncludeUsers": [],
            "ExcludeUsers": ["GuestsOrExternalUsers"],
            "IncludeGuestOrExternalUserTypes": "",
            "ExcludeGuestOrExternalUserTypes": "",
            "BuiltInControls": ["mfa"],
            "AuthenticationStrength": "",
            "TermsOfUse": 0
        })
    };
    let each = policy(0).to_string().len() + 1;
    let count = (limit - base - 1000) / each;
    let list = v["layers"]["conditional-access"]["values"]["Policies"]
        .as_array_mut()
        .unwrap();
    list.extend((0..count).map(policy));
    serde_json::to_vec(&v).unwrap()
}

/// The ScubaGear sample grown to just under `limit` bytes with more alerts (a large tenant).
fn big_scubagear(limit: usize) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(
        &std::fs::read(fixtures().join("scubagear/ProviderSettingsExport.json")).unwrap(),
    )
    .unwrap();
    let alerts = v["protection_alerts"].as_array().unwrap().clone();
    let base = v.to_string().len();
    let each: usize = alerts.iter().map(|a| a.to_string().len() + 1).sum();
    let rounds = (limit - base - 1000) / each;
    let list = v["protection_alerts"].as_array_mut().unwrap();
    for _ in 0..rounds {
        list.extend(alerts.iter().cloned());
    }
    serde_json::to_vec(&v).unwrap()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::args()
        .skip_while(|a| a != "--runs")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let limit = audit::MAX_FILE_BYTES as usize;
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut exit = 0;
    println!("| measurement | figure | target |\n|---|---|---|");
    for (name, bytes, first) in [
        (
            "teamsfix result",
            big_teamsfix(limit),
            Some("m365-groups-guests"),
        ),
        (
            "ScubaGear export",
            big_scubagear(limit),
            Some("sharepoint-sharing"),
        ),
    ] {
        let path = dir.path().join(format!("{}.json", name.replace(' ', "-")));
        std::fs::write(&path, &bytes).unwrap();
        let mut times = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let a = audit::open(&path).expect("the file is read");
            times.push(start.elapsed());
            let got = a.first_blocker().map(|b| b.layer);
            if got != first || a.count(Verdict::NotRead) == a.layers.len() {
                eprintln!("FAIL: {name}: first blocker {got:?}, expected {first:?}");
                exit = 2;
            }
        }
        let m = median(times);
        let miss = m > READ_TARGET;
        if miss && exit == 0 {
            exit = 1;
        }
        println!(
            "| reading and judging a {:.1} MB {name} (median of {runs}) | {} ms{} | <= {} ms |",
            bytes.len() as f64 / 1e6,
            m.as_millis(),
            if miss { " MISS" } else { "" },
            READ_TARGET.as_millis()
        );
    }
    // One byte over the limit is refused without being read.
    let over = dir.path().join("over.json");
    std::fs::File::create(&over)
        .and_then(|f| f.set_len(audit::MAX_FILE_BYTES + 1))
        .unwrap();
    let start = Instant::now();
    let refused = matches!(audit::open(&over), Err(audit::LoadError::TooBig(_)));
    if !refused {
        eprintln!("FAIL: a file over the limit was not refused");
        exit = 2;
    }
    println!(
        "| refusing a file 1 byte over the limit | {} µs | refused before reading |",
        start.elapsed().as_micros()
    );
    let opts = ScriptOptions {
        guest: Some("jan.devries@fabrikam.com".into()),
        team: Some("Project Zeewind".into()),
    };
    let start = Instant::now();
    let script = audit::generate(&opts);
    let took = start.elapsed();
    println!(
        "| the script (guest and team) | {} bytes, {} lines, made in {} µs | - |",
        script.len(),
        script.lines().count(),
        took.as_micros()
    );
    std::process::exit(exit);
}
