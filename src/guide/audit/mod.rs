//! The tenant audit: a read-only PowerShell script that reads the tenant settings behind every
//! layer of the Admin tab (and the guest's and the team's own state), and a reader that gives
//! every layer a verdict from the script's result file, or from CISA ScubaGear's
//! `ProviderSettingsExport.json`.
//!
//! Knowledge is data: `reads.rs` says what the script reads per layer (module, connection,
//! commands, keys, role, Microsoft's pages), `rules.rs` how each layer is judged. `layers.rs`
//! puts the Admin tab's layers (from `admin_steps`) and the audit's own in checking order.
//!
//! From a file to verdicts: `load` (size, encoding, format) → `facts` or `scubagear` (the values,
//! each known or "not read" with the reason) → `derive` (values worked out from them) →
//! `verdict::judge` (the rules) → `render` (text, Markdown) or `Audit::to_json`.

pub mod derive;
pub mod facts;
pub mod json;
pub mod layers;
pub mod load;
pub mod reads;
pub mod render;
pub mod rules;
pub mod script;
pub mod scubagear;
pub mod verdict;

pub use load::{LoadError, MAX_FILE_BYTES, open, parse};
pub use rules::Verdict;
pub use script::{ScriptOptions, generate};
pub use verdict::{Audit, Format, LayerVerdict};

/// The version of the result file's layout; the script writes it and the reader checks it.
pub const SCHEMA_VERSION: u32 = 1;
