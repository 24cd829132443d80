//! The layers the audit judges, in checking order: every layer of the Admin tab (its id, title,
//! fix, role and delay come from `admin_steps`, not copied) and the audit's own checks of the
//! guest and the team, each checked right after the admin layer it belongs with.

use crate::common::i18n::{Lang, tr};
use crate::guide::admin_steps::{self, ADMIN_STEPS, AdminStep};

/// A check the Admin tab has no card for: the state of one guest or one team.
#[derive(Debug)]
pub struct OwnLayer {
    pub id: &'static str,
    /// Checked right after this Admin tab layer.
    pub after: &'static str,
    /// The usual fix, with its connection (a rule may name a more specific one).
    pub fix: &'static str,
    /// Catalogue key of the role the fix needs.
    pub role_key: &'static str,
    pub docs: &'static str,
}

pub static OWN_LAYERS: &[OwnLayer] = &[OwnLayer {
    id: "team-membership",
    after: "team-blocked-for-guests",
    fix: "Connect-MicrosoftTeams\nAdd-TeamUser -GroupId '<team id>' -User '<guest e-mail>'",
    role_key: "audit.role.team_owner",
    docs: "https://learn.microsoft.com/microsoftteams/add-guests",
}];

#[derive(Clone, Copy, Debug)]
pub enum Layer {
    Admin(&'static AdminStep),
    Own(&'static OwnLayer),
}

impl Layer {
    pub fn id(self) -> &'static str {
        match self {
            Layer::Admin(s) => s.id,
            Layer::Own(o) => o.id,
        }
    }

    pub fn title(self, lang: Lang) -> String {
        match self {
            Layer::Admin(s) => tr(lang, &admin_steps::title_key(s.id)),
            Layer::Own(o) => tr(lang, &format!("audit.layer.{}.title", o.id)),
        }
    }

    /// The fix with the connection it needs (the Admin tab's Copy text); empty when the
    /// Admin tab has none (change it in the portal).
    pub fn fix(self) -> String {
        match self {
            Layer::Admin(s) => s.fix.as_ref().map(|c| c.script()).unwrap_or_default(),
            Layer::Own(o) => o.fix.to_string(),
        }
    }

    pub fn role(self, lang: Lang) -> String {
        match self {
            Layer::Admin(s) => tr(lang, s.role_key),
            Layer::Own(o) => tr(lang, o.role_key),
        }
    }

    pub fn delay(self, lang: Lang) -> String {
        match self {
            Layer::Admin(s) => tr(lang, &format!("admin.{}.delay", s.id)),
            Layer::Own(o) => tr(lang, &format!("audit.layer.{}.delay", o.id)),
        }
    }

    /// The main Microsoft page for the layer.
    pub fn docs(self) -> &'static str {
        match self {
            Layer::Admin(s) => s.sources.first().copied().unwrap_or(""),
            Layer::Own(o) => o.docs,
        }
    }
}

/// Every layer in the order an admin checks them: the Admin tab's order, with each own layer
/// after its anchor (own layers may anchor on each other).
pub fn checking_order() -> Vec<Layer> {
    let mut order: Vec<Layer> = ADMIN_STEPS.iter().map(Layer::Admin).collect();
    let mut pending: Vec<&'static OwnLayer> = OWN_LAYERS.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|own| match order.iter().position(|l| l.id() == own.after) {
            Some(at) => {
                order.insert(at + 1, Layer::Own(own));
                false
            }
            None => true,
        });
        if pending.len() == before {
            // An anchor that is not (or no longer) on the Admin tab: check these last.
            order.extend(pending.drain(..).map(Layer::Own));
        }
    }
    order
}

pub fn layer(id: &str) -> Option<Layer> {
    admin_steps::step(id)
        .map(Layer::Admin)
        .or_else(|| OWN_LAYERS.iter().find(|o| o.id == id).map(Layer::Own))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_admin_layer_is_checked_in_the_admin_tabs_order() {
        let order = checking_order();
        assert_eq!(order.len(), ADMIN_STEPS.len() + OWN_LAYERS.len());
        let admin: Vec<&str> = order
            .iter()
            .filter(|l| matches!(l, Layer::Admin(_)))
            .map(|l| l.id())
            .collect();
        let tab: Vec<&str> = ADMIN_STEPS.iter().map(|s| s.id).collect();
        assert_eq!(admin, tab);
        for own in OWN_LAYERS {
            let at = order.iter().position(|l| l.id() == own.id).unwrap();
            assert_eq!(order[at - 1].id(), own.after, "{}", own.id);
            assert!(admin_steps::step(own.id).is_none(), "{} clashes", own.id);
        }
    }

    #[test]
    fn own_layers_are_translated_and_documented() {
        for own in OWN_LAYERS {
            let l = Layer::Own(own);
            for lang in Lang::ALL {
                for key in [
                    format!("audit.layer.{}.title", own.id),
                    format!("audit.layer.{}.delay", own.id),
                    own.role_key.to_string(),
                ] {
                    assert_ne!(tr(lang, &key), key, "{key} {lang:?}");
                }
            }
            assert!(l.docs().starts_with("https://learn.microsoft.com/"));
        }
    }
}
