//! The messages people see when guest access fails, what they mean, and which checklist steps
//! and admin layers fix them. From shared/reference/guest-access-admin.md section 3.
//!
//! `phrases` are matched as whole phrases (after normalising case, accents and punctuation);
//! `keywords` catch paraphrases: each inner list is a set of synonyms (English and Dutch), and a
//! message matches when enough of the sets are present. Texts marked unconfirmed are the user's
//! paraphrase, never presented as a verbatim Teams message.

#[derive(Debug)]
pub struct KnownError {
    pub id: &'static str,
    /// The text is confirmed in a Microsoft source (otherwise it is a paraphrase).
    pub confirmed: bool,
    /// AADSTS codes (digits only).
    pub codes: &'static [&'static str],
    pub phrases: &'static [&'static str],
    pub keywords: &'static [&'static [&'static str]],
    /// Checklist step ids, most useful first.
    pub steps: &'static [&'static str],
    /// Admin layer ids to check.
    pub layers: &'static [&'static str],
}

const GUEST: &[&str] = &[
    "guest",
    "guests",
    "gast",
    "gasten",
    "gasttoegang",
    "external",
    "extern",
    "externe",
];
const ACCESS: &[&str] = &["access", "toegang", "gasttoegang"];
const OFF: &[&str] = &[
    "disabled",
    "turned off",
    "off",
    "not allowed",
    "uitgeschakeld",
    "uitgezet",
    "niet toegestaan",
    "staat uit",
    "blocked",
    "geblokkeerd",
];
const PERMISSION: &[&str] = &[
    "permission",
    "toestemming",
    "machtiging",
    "rechten",
    "not authorized",
    "geen toegang",
];
const TEAM: &[&str] = &["team", "teams"];
const ADD: &[&str] = &[
    "add",
    "adding",
    "toevoegen",
    "toegevoegd",
    "invite",
    "uitnodigen",
    "uitnodiging",
];
const FAILED: &[&str] = &[
    "failed",
    "fails",
    "mislukt",
    "error",
    "fout",
    "couldn't",
    "could not",
    "kan niet",
    "lukt niet",
];
/// The admin steps for "guests are not allowed here" messages, in the order to check them.
const GUEST_SWITCH_STEPS: &[&str] = &[
    "admin-teams-guest-switch",
    "admin-entra-who-may-invite",
    "admin-m365-groups-guests",
    "admin-sensitivity-label",
    "wait-propagation",
];
const GUEST_LAYERS: &[&str] = &[
    "teams-guest-switch",
    "entra-who-may-invite",
    "m365-groups-guests",
    "sensitivity-label",
];

pub static ERRORS: &[KnownError] = &[
    KnownError {
        id: "no-matches",
        confirmed: true,
        codes: &[],
        phrases: &[
            "we didn't find any matches",
            "we did not find any matches",
            "geen overeenkomsten gevonden",
            "we hebben geen overeenkomsten gevonden",
        ],
        keywords: &[
            &[
                "match",
                "matches",
                "overeenkomst",
                "overeenkomsten",
                "resultaten",
                "results",
            ],
            &["find", "found", "vinden", "gevonden"],
            &["no", "any", "geen", "niets"],
        ],
        steps: GUEST_SWITCH_STEPS,
        layers: GUEST_LAYERS,
    },
    KnownError {
        id: "contact-admin",
        confirmed: true,
        codes: &[],
        phrases: &[
            "contact your administrator",
            "neem contact op met je beheerder",
            "neem contact op met uw beheerder",
            "neem contact op met de beheerder",
        ],
        keywords: &[
            &["contact", "neem contact"],
            &["administrator", "admin", "beheerder", "systeembeheerder"],
        ],
        steps: &[
            "admin-teams-guest-switch",
            "wait-propagation",
            "run-guest-diagnostic",
        ],
        layers: &["teams-guest-switch"],
    },
    KnownError {
        id: "couldnt-add-member",
        confirmed: true,
        codes: &[],
        phrases: &[
            "we couldn't add member",
            "we could not add member",
            "we ran into an issue",
            "we kunnen het lid niet toevoegen",
            "kan lid niet toevoegen",
        ],
        keywords: &[
            &["member", "lid", "leden"],
            ADD,
            &[
                "couldn't",
                "could not",
                "issue",
                "probleem",
                "niet",
                "try again",
                "opnieuw",
            ],
        ],
        steps: &["admin-entra-read-other-users", "wait-propagation"],
        layers: &["entra-read-other-users"],
    },
    KnownError {
        id: "files-unauthorized",
        confirmed: true,
        codes: &[],
        phrases: &[
            "attempted to perform an unauthorized operation",
            "niet-geautoriseerde bewerking",
            "niet geautoriseerde bewerking",
        ],
        keywords: &[
            &[
                "unauthorized",
                "unauthorised",
                "geautoriseerde",
                "niet-geautoriseerde",
                "onbevoegde",
            ],
            &["operation", "bewerking", "actie"],
        ],
        steps: &[
            "admin-sharepoint-sharing",
            "admin-m365-groups-guests",
            "run-guest-diagnostic",
        ],
        layers: &["sharepoint-sharing", "m365-groups-guests"],
    },
    KnownError {
        id: "aadsts50020",
        confirmed: true,
        codes: &["50020"],
        phrases: &[
            "does not exist in tenant",
            "bestaat niet in tenant",
            "from identity provider",
        ],
        keywords: &[
            &["account", "user", "gebruiker", "gebruikersaccount"],
            &["does not exist", "doesn't exist", "bestaat niet"],
            &["tenant", "directory", "organisatie", "organization"],
        ],
        steps: &[
            "right-account",
            "accept-invitation",
            "clear-cache-full",
            "reinvite-guest",
        ],
        layers: &[],
    },
    KnownError {
        id: "aadsts90072",
        confirmed: true,
        codes: &["90072"],
        phrases: &[],
        keywords: &[],
        steps: &["right-account", "accept-invitation", "reinvite-guest"],
        layers: &["hybrid-sync"],
    },
    KnownError {
        id: "aadsts500213",
        confirmed: true,
        codes: &["500213"],
        phrases: &[],
        keywords: &[],
        steps: &["admin-entra-cross-tenant"],
        layers: &["entra-cross-tenant"],
    },
    KnownError {
        id: "aadsts500212",
        confirmed: true,
        codes: &["500212"],
        phrases: &[],
        keywords: &[],
        steps: &["right-account"],
        layers: &[],
    },
    KnownError {
        id: "aadsts53003",
        confirmed: true,
        codes: &["53003"],
        phrases: &[
            "blocked by conditional access",
            "geblokkeerd door voorwaardelijke toegang",
        ],
        keywords: &[
            &["conditional access", "voorwaardelijke toegang"],
            &["blocked", "block", "geblokkeerd"],
        ],
        steps: &["complete-mfa", "conditional-access"],
        layers: &[],
    },
    KnownError {
        id: "aadsts500571",
        confirmed: false,
        codes: &["500571"],
        phrases: &[],
        keywords: &[
            &["account", "gast", "guest"],
            &["disabled", "uitgeschakeld", "geblokkeerd", "blocked"],
            &["sign in", "aanmelden", "inloggen", "sign-in"],
        ],
        steps: &["reinvite-guest"],
        layers: &[],
    },
    KnownError {
        id: "aadsts65005",
        confirmed: false,
        codes: &["65005", "650051"],
        phrases: &["unmanaged state", "unmanaged directory", "niet-beheerde"],
        keywords: &[],
        steps: &["right-account"],
        layers: &[],
    },
    KnownError {
        id: "guest-access-off",
        confirmed: false,
        codes: &[],
        phrases: &[
            "guest access in teams is disabled",
            "guest access is turned off",
            "gasttoegang in teams is uitgeschakeld",
            "gasttoegang is uitgeschakeld",
        ],
        keywords: &[GUEST, ACCESS, OFF],
        steps: GUEST_SWITCH_STEPS,
        layers: GUEST_LAYERS,
    },
    KnownError {
        id: "need-permission",
        confirmed: false,
        codes: &[],
        phrases: &[
            "you need permission to access this team",
            "je hebt toestemming nodig om toegang te krijgen tot dit team",
            "u hebt toestemming nodig",
        ],
        keywords: &[PERMISSION, TEAM, ACCESS],
        steps: &[
            "quit-teams",
            "clear-cache-safe",
            "right-account",
            "clear-cache-full",
            "accept-invitation",
            "wait-propagation",
            "admin-teams-guest-switch",
            "admin-sensitivity-label",
        ],
        layers: GUEST_LAYERS,
    },
    KnownError {
        id: "adding-guest-failed",
        confirmed: false,
        codes: &[],
        phrases: &[
            "adding a guest failed",
            "het toevoegen van een gast is mislukt",
            "gast toevoegen mislukt",
        ],
        keywords: &[GUEST, ADD, FAILED],
        steps: &[
            "admin-teams-guest-switch",
            "admin-entra-who-may-invite",
            "admin-entra-domain-lists",
            "admin-m365-groups-guests",
            "admin-sensitivity-label",
        ],
        layers: &[
            "teams-guest-switch",
            "entra-who-may-invite",
            "entra-domain-lists",
            "m365-groups-guests",
            "sensitivity-label",
        ],
    },
    KnownError {
        id: "wrong-account-or-tenant",
        confirmed: false,
        codes: &[],
        phrases: &[
            "wrong account",
            "wrong tenant",
            "verkeerde account",
            "verkeerd account",
            "verkeerde organisatie",
        ],
        keywords: &[
            &["wrong", "old", "verkeerde", "verkeerd", "oude", "andere"],
            &[
                "account",
                "tenant",
                "organisation",
                "organization",
                "organisatie",
                "profiel",
            ],
        ],
        steps: &[
            "quit-teams",
            "clear-cache-full",
            "right-account",
            "accept-invitation",
        ],
        layers: &[],
    },
    KnownError {
        id: "missing-messages",
        confirmed: false,
        codes: &[],
        phrases: &[
            "messages are missing",
            "berichten ontbreken",
            "unread count",
        ],
        keywords: &[
            &[
                "message",
                "messages",
                "bericht",
                "berichten",
                "chat",
                "kanaal",
                "channel",
            ],
            &[
                "missing",
                "ontbreken",
                "ontbreekt",
                "weg",
                "unread",
                "ongelezen",
                "kwijt",
            ],
        ],
        steps: &["update-client", "wait-propagation"],
        layers: &[],
    },
];

pub fn error(id: &str) -> Option<&'static KnownError> {
    ERRORS.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::i18n::{Lang, tr};

    #[test]
    fn entries_point_at_real_steps_and_layers_and_are_translated() {
        let mut ids = std::collections::HashSet::new();
        for e in ERRORS {
            assert!(ids.insert(e.id), "duplicate {}", e.id);
            assert!(
                !e.codes.is_empty() || !e.phrases.is_empty() || !e.keywords.is_empty(),
                "{} cannot match",
                e.id
            );
            assert!(!e.steps.is_empty(), "{} has no steps", e.id);
            for s in e.steps {
                assert!(
                    crate::guide::checklist::step(s).is_some(),
                    "{}: unknown step {s}",
                    e.id
                );
            }
            for l in e.layers {
                assert!(
                    crate::guide::admin_steps::step(l).is_some(),
                    "{}: unknown layer {l}",
                    e.id
                );
            }
            for c in e.codes {
                assert!(c.chars().all(|c| c.is_ascii_digit()));
            }
            for lang in Lang::ALL {
                for key in [
                    format!("errors.{}.title", e.id),
                    format!("errors.{}.cause", e.id),
                ] {
                    assert_ne!(tr(lang, &key), key, "missing {key} in {lang:?}");
                }
            }
        }
    }
}
