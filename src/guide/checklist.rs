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
    /// A page of the inviting organisation: `{domain}` in the address stands for that
    /// organisation's domain (`contoso.com`), which the person at the PC fills in.
    OpenOrgUrl(&'static str),
    /// An admin layer from `admin_steps` (portal path, check and fix commands to copy).
    AdminLayer(&'static str),
}

impl StepAction {
    /// The address of an `OpenOrgUrl` page for `domain`, or `None` when `domain` is not a plain
    /// domain name (letters, digits, dots and hyphens; no scheme, path or spaces).
    pub fn org_url(template: &str, domain: &str) -> Option<String> {
        let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
        let plain = !domain.is_empty()
            && domain.len() <= 253
            && domain.contains('.')
            && domain.split('.').all(|l| {
                !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-')
            })
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        plain.then(|| template.replace("{domain}", &domain))
    }
}

#[derive(Debug)]
pub struct ChecklistStep {
    pub id: &'static str,
    pub who: Who,
    pub action: StepAction,
}

/// The inviting organisation's security info (MFA registration), for a guest.
pub const SECURITY_INFO_URL: &str = "https://mysignins.microsoft.com/security-info?tenant={domain}";

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
        action: StepAction::OpenOrgUrl(SECURITY_INFO_URL),
    },
    ChecklistStep {
        id: "accept-invitation",
        who: Who::Guest,
        action: StepAction::OpenUrl("https://myaccount.microsoft.com/organizations"),
    },
    ChecklistStep {
        id: "check-invitation-mail",
        who: Who::Guest,
        action: StepAction::None,
    },
    ChecklistStep {
        id: "use-managed-device",
        who: Who::Guest,
        action: StepAction::None,
    },
    ChecklistStep {
        id: "ask-own-admin",
        who: Who::Guest,
        action: StepAction::None,
    },
    ChecklistStep {
        id: "invite-with-upn",
        who: Who::User,
        action: StepAction::None,
    },
    ChecklistStep {
        id: "choose-collaboration-type",
        who: Who::User,
        action: StepAction::OpenUrl(
            "https://learn.microsoft.com/microsoftteams/communicate-with-users-from-other-organizations",
        ),
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
        id: "admin-teams-guest-calling",
        who: Who::Admin,
        action: StepAction::AdminLayer("teams-guest-calling"),
    },
    ChecklistStep {
        id: "admin-teams-guest-meetings",
        who: Who::Admin,
        action: StepAction::AdminLayer("teams-guest-meetings"),
    },
    ChecklistStep {
        id: "admin-teams-guest-messaging",
        who: Who::Admin,
        action: StepAction::AdminLayer("teams-guest-messaging"),
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
        id: "admin-team-blocked-for-guests",
        who: Who::Admin,
        action: StepAction::AdminLayer("team-blocked-for-guests"),
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
        id: "admin-email-one-time-passcode",
        who: Who::Admin,
        action: StepAction::AdminLayer("email-one-time-passcode"),
    },
    ChecklistStep {
        id: "conditional-access",
        who: Who::Admin,
        action: StepAction::AdminLayer("conditional-access"),
    },
    ChecklistStep {
        id: "admin-teams-app-assignment",
        who: Who::Admin,
        action: StepAction::AdminLayer("teams-app-assignment"),
    },
    ChecklistStep {
        id: "reinvite-guest",
        who: Who::Admin,
        action: StepAction::AdminLayer("guest-redemption"),
    },
    ChecklistStep {
        id: "admin-guest-account-enabled",
        who: Who::Admin,
        action: StepAction::AdminLayer("guest-account-enabled"),
    },
    ChecklistStep {
        id: "admin-invitation-conflicts",
        who: Who::Admin,
        action: StepAction::AdminLayer("invitation-conflicts"),
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

    /// The teamsfix-cli command that does this step on the PC, if there is one.
    pub fn cli_command(&self) -> Option<String> {
        match self.action {
            StepAction::QuitTeams => Some("teamsfix-cli quit".to_string()),
            StepAction::ClearCache(mode) => {
                Some(format!("teamsfix-cli clear-cache --mode {}", mode.id()))
            }
            _ => None,
        }
    }

    /// Every command the step shows to copy or type: its admin layer's scripts (connection and
    /// command), or its teamsfix-cli command.
    pub fn commands(&self) -> Vec<String> {
        match self.action {
            StepAction::AdminLayer(layer) => crate::guide::admin_steps::step(layer)
                .map(|a| a.commands().map(|c| c.script()).collect())
                .unwrap_or_default(),
            _ => self.cli_command().into_iter().collect(),
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
            if let StepAction::OpenOrgUrl(u) = s.action {
                assert!(u.starts_with("https://") && u.contains("{domain}"));
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

    #[test]
    fn the_mfa_step_opens_the_inviting_organisations_security_info() {
        let mfa = step("complete-mfa").unwrap();
        let StepAction::OpenOrgUrl(template) = mfa.action else {
            panic!("the MFA step must ask for the inviting organisation");
        };
        assert_eq!(
            StepAction::org_url(template, " Contoso.com ").as_deref(),
            Some("https://mysignins.microsoft.com/security-info?tenant=contoso.com")
        );
        for bad in [
            "",
            "contoso",
            "https://contoso.com",
            "contoso.com/x",
            "a b.com",
            "-x.com",
            "x..com",
            "contoso.com?tenant=evil.com",
        ] {
            assert_eq!(StepAction::org_url(template, bad), None, "{bad:?}");
        }
    }
}
