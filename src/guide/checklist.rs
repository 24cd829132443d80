//! The checklist a user or helpdesk agent walks through: what the user can do on the PC, what
//! the guest must do, and each server-side layer an admin checks. The seed article's flow,
//! corrected by the reference. Texts are under `checklist.<id>.*` in the catalogues; admin
//! layers take theirs from `admin_steps`.

use crate::cache::clear::Mode;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Who {
    /// The person at the PC, alone or with a helpdesk agent.
    User,
    /// The invited guest (often in another organisation).
    Guest,
    /// A Microsoft 365 administrator of the inviting organisation.
    Admin,
}

impl Who {
    pub fn key(self) -> &'static str {
        match self {
            Who::User => "who.user",
            Who::Guest => "who.guest",
            Who::Admin => "who.admin",
        }
    }
}

/// What a step's button does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepAction {
    None,
    QuitTeams,
    ClearCache(Mode),
    OpenUrl(&'static str),
    /// An admin layer from `admin_steps` (portal path, check and fix commands to copy).
    AdminLayer(&'static str),
}

#[derive(Debug)]
pub struct ChecklistStep {
    pub id: &'static str,
    pub who: Who,
    pub action: StepAction,
}

pub static CHECKLIST: &[ChecklistStep] = &[
    ChecklistStep {
        id: "quit-teams",
        who: Who::User,
        action: StepAction::QuitTeams,
    },
    ChecklistStep {
        id: "clear-cache-safe",
        who: Who::User,
        action: StepAction::ClearCache(Mode::Safe),
    },
    ChecklistStep {
        id: "update-client",
        who: Who::User,
        action: StepAction::OpenUrl("https://www.microsoft.com/microsoft-teams/download-app"),
    },
    ChecklistStep {
        id: "right-account",
        who: Who::Guest,
        action: StepAction::OpenUrl("https://teams.microsoft.com"),
    },
    ChecklistStep {
        id: "clear-cache-full",
        who: Who::User,
        action: StepAction::ClearCache(Mode::Full),
    },
    ChecklistStep {
        id: "complete-mfa",
        who: Who::Guest,
        action: StepAction::OpenUrl("https://mysignins.microsoft.com/security-info"),
    },
    ChecklistStep {
        id: "accept-invitation",
        who: Who::Guest,
        action: StepAction::OpenUrl("https://myaccount.microsoft.com/organizations"),
    },
    ChecklistStep {
        id: "wait-propagation",
        who: Who::User,
        action: StepAction::None,
    },
    ChecklistStep {
        id: "run-guest-diagnostic",
        who: Who::Admin,
        action: StepAction::OpenUrl(crate::guide::admin_steps::GUEST_DIAG_URL),
    },
    ChecklistStep {
        id: "admin-teams-guest-switch",
        who: Who::Admin,
        action: StepAction::AdminLayer("teams-guest-switch"),
    },
    ChecklistStep {
        id: "admin-entra-who-may-invite",
        who: Who::Admin,
        action: StepAction::AdminLayer("entra-who-may-invite"),
    },
    ChecklistStep {
        id: "admin-entra-domain-lists",
        who: Who::Admin,
        action: StepAction::AdminLayer("entra-domain-lists"),
    },
    ChecklistStep {
        id: "admin-entra-cross-tenant",
        who: Who::Admin,
        action: StepAction::AdminLayer("entra-cross-tenant"),
    },
    ChecklistStep {
        id: "admin-entra-read-other-users",
        who: Who::Admin,
        action: StepAction::AdminLayer("entra-read-other-users"),
    },
    ChecklistStep {
        id: "admin-m365-groups-guests",
        who: Who::Admin,
        action: StepAction::AdminLayer("m365-groups-guests"),
    },
    ChecklistStep {
        id: "admin-sharepoint-sharing",
        who: Who::Admin,
        action: StepAction::AdminLayer("sharepoint-sharing"),
    },
    ChecklistStep {
        id: "admin-sensitivity-label",
        who: Who::Admin,
        action: StepAction::AdminLayer("sensitivity-label"),
    },
    ChecklistStep {
        id: "reinvite-guest",
        who: Who::Admin,
        action: StepAction::None,
    },
    ChecklistStep {
        id: "conditional-access",
        who: Who::Admin,
        action: StepAction::OpenUrl(
            "https://learn.microsoft.com/entra/identity/conditional-access/overview",
        ),
    },
];

pub fn step(id: &str) -> Option<&'static ChecklistStep> {
    CHECKLIST.iter().find(|s| s.id == id)
}

impl ChecklistStep {
    /// Catalogue key of the title: admin layers share the admin tab's title.
    pub fn title_key(&self) -> String {
        match self.action {
            StepAction::AdminLayer(layer) => crate::guide::admin_steps::title_key(layer),
            _ => format!("checklist.{}.title", self.id),
        }
    }

    pub fn why_key(&self) -> String {
        match self.action {
            StepAction::AdminLayer(layer) => format!("admin.{layer}.why"),
            _ => format!("checklist.{}.why", self.id),
        }
    }
}

/// How far a step got. Saved with the checklist state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    #[default]
    Open,
    Done,
    Skipped,
    NotApplicable,
}

impl StepStatus {
    pub const ALL: [StepStatus; 4] = [
        StepStatus::Open,
        StepStatus::Done,
        StepStatus::Skipped,
        StepStatus::NotApplicable,
    ];

    pub fn key(self) -> &'static str {
        match self {
            StepStatus::Open => "status.open",
            StepStatus::Done => "status.done",
            StepStatus::Skipped => "status.skipped",
            StepStatus::NotApplicable => "status.not_applicable",
        }
    }

    /// Finished steps count towards progress.
    pub fn is_finished(self) -> bool {
        self != StepStatus::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::i18n::{Lang, tr};

    #[test]
    fn steps_are_unique_translated_and_link_to_real_admin_layers() {
        let mut ids = std::collections::HashSet::new();
        for s in CHECKLIST {
            assert!(ids.insert(s.id), "duplicate {}", s.id);
            if let StepAction::AdminLayer(layer) = s.action {
                assert!(crate::guide::admin_steps::step(layer).is_some(), "{layer}");
                assert_eq!(s.who, Who::Admin);
            }
            if let StepAction::OpenUrl(u) = s.action {
                assert!(u.starts_with("https://"));
            }
            for lang in Lang::ALL {
                for key in [s.title_key(), s.why_key(), s.who.key().to_string()] {
                    assert_ne!(tr(lang, &key), key, "missing {key} in {lang:?}");
                }
            }
        }
        // The user's own steps come first: most problems are fixed before an admin is needed.
        let first_admin = CHECKLIST.iter().position(|s| s.who == Who::Admin).unwrap();
        assert!(CHECKLIST[..first_admin].iter().all(|s| s.who != Who::Admin));
    }
}
