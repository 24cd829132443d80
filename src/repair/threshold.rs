//! Clearing only when needed: a data root's temporary (regenerable) cache measured against a
//! limit. `clear-cache --if-over MB`, the Intune detection script and the timer examples in
//! README.md all apply this one rule: clear when the temporary cache is larger than the limit.

use crate::cache::classes::CacheClass;
use crate::cache::scan;
use crate::clients::discover::Installation;
use crate::common::progress::CancelToken;

/// `--if-over` counts in megabytes of 1,000,000 bytes (as the Intune script always has).
pub const BYTES_PER_MB: u64 = 1_000_000;

/// The limit in bytes for a limit in megabytes (saturating: a huge number means "never").
pub fn limit_bytes(mb: u64) -> u64 {
    mb.saturating_mul(BYTES_PER_MB)
}

/// Bytes of temporary cache in the data root of `inst`, measured as a clear would see them;
/// `None` when the root is refused (nothing is measured or cleared there).
pub fn regenerable_bytes(inst: &Installation, cancel: &CancelToken) -> Option<u64> {
    let root = inst.root.as_ref().ok()?;
    let s = scan::scan(root, inst.root_spec.layout, cancel);
    Some(s.tallies.get(CacheClass::Regenerable).bytes)
}

/// The rule: strictly larger than the limit.
pub fn is_over(regenerable_bytes: u64, limit_mb: u64) -> bool {
    regenerable_bytes > limit_bytes(limit_mb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictly_over_the_limit() {
        assert!(!is_over(500_000_000, 500));
        assert!(is_over(500_000_001, 500));
        assert!(is_over(1, 0));
        assert!(!is_over(0, 0));
        assert!(!is_over(u64::MAX, u64::MAX));
    }
}
