//! The messages people see when guest access fails, what they mean, and which checklist steps
//! and admin layers fix them. Every entry names the Microsoft pages it is based on.
//!
//! `phrases` are matched as whole phrases (after normalising case, accents and punctuation);
//! `keywords` catch descriptions: each inner list is a set of synonyms (English and Dutch), and a
//! message matches when enough of the sets are present. Only `quote` is ever shown as Microsoft's
//! own words, and only in the language Microsoft documents it in (English): titles and causes
//! describe, they never quote.

#[derive(Debug)]
pub struct KnownError {
    pub id: &'static str,
    /// Microsoft documents this code or message (otherwise the entry describes what people
    /// report, in their own words).
    pub confirmed: bool,
    /// The message exactly as Microsoft documents it, in English, never translated. Only for
    /// confirmed entries.
    pub quote: Option<&'static str>,
    /// AADSTS codes (digits only) in Microsoft's list.
    pub codes: &'static [&'static str],
    /// Codes people report that are not in Microsoft's list: matched like `codes`, but the
    /// diagnosis says the code is not confirmed.
    pub alias_codes: &'static [&'static str],
    pub phrases: &'static [&'static str],
    pub keywords: &'static [&'static [&'static str]],
    /// Checklist step ids, most useful first.
    pub steps: &'static [&'static str],
    /// Admin layer ids to check.
    pub layers: &'static [&'static str],
    /// The Microsoft pages the entry is based on, the main one first.
    pub sources: &'static [&'static str],
}

const GUEST: &[&str] = &[
    "guest",
    "guests",
    "gast",
    "gasten",
    "gastgebruiker",
    "gasttoegang",
    "external",
    "extern",
    "externe",
];
const ACCESS: &[&str] = &["access", "toegang", "gasttoegang"];
const OFF: &[&str] = &[
    "disabled",
    "turned off",
    "switched off",
    "off",
    "not allowed",
    "uitgeschakeld",
    "uitgezet",
    "niet toegestaan",
    "staat uit",
    "blocked",
    "geblokkeerd",
    "not enabled",
    "hasnt enabled",
    "has not enabled",
    "havent enabled",
    "not turned on",
    "niet ingeschakeld",
    "niet aangezet",
];
const PERMISSION: &[&str] = &[
    "permission",
    "toestemming",
    "machtiging",
    "rechten",
    "not authorized",
    "geen toegang",
    "no access",
    "dont have access",
    "do not have access",
    "access denied",
    "toegang geweigerd",
];
const TEAM: &[&str] = &["team", "teams", "channel", "kanaal"];
const ADD: &[&str] = &[
    "add",
    "adding",
    "toevoegen",
    "toegevoegd",
    "invite",
    "inviting",
    "uitnodigen",
    "uitnodiging",
];
const FAILED: &[&str] = &[
    "failed",
    "fails",
    "mislukt",
    "error",
    "fout",
    "foutmelding",
    "couldnt",
    "could not",
    "cant",
    "cannot",
    "kan niet",
    "kan geen",
    "kunnen niet",
    "kunnen geen",
    "lukt niet",
    "unable",
];
const INVITATION: &[&str] = &[
    "invitation",
    "invite",
    "invited",
    "uitnodiging",
    "uitnodigingsmail",
    "uitgenodigd",
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

const ERROR_CODES: &str =
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes";
const B2B_TROUBLESHOOT: &str = "https://learn.microsoft.com/entra/external-id/troubleshoot";
const AADSTS50020: &str = "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50020-user-account-identity-provider-does-not-exist";
const RESET_REDEMPTION: &str =
    "https://learn.microsoft.com/entra/external-id/reset-redemption-status";
const CLEAR_CACHE: &str = "https://learn.microsoft.com/troubleshoot/microsoftteams/teams-administration/clear-teams-cache";
const COLLABORATE_AS_TEAM: &str =
    "https://learn.microsoft.com/microsoft-365/solutions/collaborate-as-team";
/// "What happens if I invite a user whose email and UPN don't match?"
const B2B_FAQ: &str = "https://learn.microsoft.com/entra/external-id/faq";
/// Redemption through the invitation e-mail versus a direct link (e-mail aliases).
const REDEMPTION: &str = "https://learn.microsoft.com/entra/external-id/redemption-experience";

pub static ERRORS: &[KnownError] = &[
    KnownError {
        id: "no-matches",
        confirmed: true,
        quote: Some(
            "We didn't find any matches. Talk to your IT admin about expanding the scope of your search.",
        ),
        codes: &[],
        alias_codes: &[],
        phrases: &[
            "we didn't find any matches",
            "we did not find any matches",
            "geen overeenkomsten gevonden",
            "we hebben geen overeenkomsten gevonden",
            "geen resultaten gevonden",
        ],
        keywords: &[
            &[
                "match",
                "matches",
                "overeenkomst",
                "overeenkomsten",
                "resultaat",
                "resultaten",
                "results",
            ],
            &["find", "found", "vinden", "gevonden"],
            &["no", "any", "geen", "niets"],
        ],
        steps: GUEST_SWITCH_STEPS,
        layers: GUEST_LAYERS,
        sources: &[
            "https://learn.microsoft.com/microsoftteams/information-barriers-shared-channels",
            COLLABORATE_AS_TEAM,
        ],
    },
    KnownError {
        id: "contact-admin",
        // Only Microsoft's 2019-2021 pages quoted "Contact your administrator"; the current page
        // no longer does, so it is matched as the user's words, not shown as Microsoft's text.
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
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
        sources: &["https://learn.microsoft.com/microsoftteams/set-up-guests"],
    },
    KnownError {
        id: "couldnt-add-member",
        confirmed: true,
        quote: Some("We couldn't add member. We ran into an issue. Please try again later."),
        codes: &[],
        alias_codes: &[],
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
                "couldnt",
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
        sources: &[
            "https://learn.microsoft.com/microsoftteams/known-issues",
            "https://learn.microsoft.com/graph/api/resources/authorizationpolicy",
        ],
    },
    KnownError {
        id: "files-unauthorized",
        confirmed: true,
        quote: Some("Something went wrong. Attempted to perform an unauthorized operation."),
        codes: &[],
        alias_codes: &[],
        phrases: &[
            "attempted to perform an unauthorized operation",
            "unauthorized operation",
            "unauthorised operation",
            "niet-geautoriseerde bewerking",
            "niet geautoriseerde bewerking",
        ],
        // A description: the guest cannot open the team's files.
        keywords: &[
            &[
                "file",
                "files",
                "bestand",
                "bestanden",
                "document",
                "documents",
                "documenten",
                "sharepoint",
            ],
            GUEST,
            &[
                "cant",
                "cannot",
                "can not",
                "could not",
                "couldnt",
                "unable",
                "no access",
                "denied",
                "niet",
                "geen toegang",
                "geweigerd",
                "error",
                "fout",
                "foutmelding",
            ],
        ],
        steps: &[
            "admin-sharepoint-sharing",
            "admin-m365-groups-guests",
            "run-guest-diagnostic",
        ],
        layers: &["sharepoint-sharing", "m365-groups-guests"],
        sources: &[
            "https://learn.microsoft.com/troubleshoot/microsoftteams/files/guests-cannot-access-files",
        ],
    },
    KnownError {
        id: "aadsts50020",
        confirmed: true,
        quote: Some(
            "AADSTS50020: User account 'user@domain.com' from identity provider {IdentityProviderURL} does not exist in tenant {ResourceTenantName}.",
        ),
        codes: &["50020"],
        alias_codes: &[],
        phrases: &[
            "does not exist in tenant",
            "doesn't exist in tenant",
            "bestaat niet in tenant",
            "from identity provider",
        ],
        keywords: &[
            &["account", "user", "gebruiker", "gebruikersaccount"],
            &["does not exist", "doesnt exist", "bestaat niet"],
            &["tenant", "directory", "organisatie", "organization"],
        ],
        steps: &[
            "right-account",
            "accept-invitation",
            "clear-cache-full",
            "reinvite-guest",
            "admin-teams-app-assignment",
        ],
        layers: &["guest-redemption", "teams-app-assignment"],
        sources: &[AADSTS50020, ERROR_CODES],
    },
    KnownError {
        id: "aadsts90072",
        confirmed: true,
        // As the home tenant's sign-in log shows it, on Microsoft's AADSTS50020 page.
        quote: Some(
            "User account {email} from identity provider {idp} does not exist in tenant {tenant} and cannot access the application {appId}({appName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Microsoft Entra user account.",
        ),
        codes: &["90072"],
        alias_codes: &[],
        phrases: &[],
        keywords: &[],
        steps: &["right-account", "accept-invitation", "reinvite-guest"],
        layers: &["guest-redemption", "hybrid-sync"],
        sources: &[AADSTS50020, ERROR_CODES],
    },
    KnownError {
        id: "guest-not-in-directory",
        confirmed: true,
        quote: None,
        codes: &["50034", "51004"],
        alias_codes: &[],
        // The sign-in page's answer to an address it does not know (matched, never quoted).
        phrases: &[
            "we couldnt find an account with that username",
            "we konden geen account met die gebruikersnaam vinden",
            "account does not exist",
            "account doesnt exist",
            "account bestaat niet",
            "account was deleted",
            "account has been deleted",
            "gastaccount is verwijderd",
            "account is verwijderd",
        ],
        keywords: &[],
        steps: &["right-account", "reinvite-guest", "accept-invitation"],
        layers: &["guest-redemption"],
        sources: &[ERROR_CODES],
    },
    KnownError {
        id: "redemption-pending",
        confirmed: true,
        quote: None,
        codes: &["50014"],
        alias_codes: &[],
        phrases: &[
            "pendingacceptance",
            "pending acceptance",
            "guestuserinpendingstate",
            "uitnodiging nog niet geaccepteerd",
            "uitnodiging niet geaccepteerd",
        ],
        keywords: &[
            INVITATION,
            &[
                "pending",
                "not accepted",
                "not yet accepted",
                "never accepted",
                "niet geaccepteerd",
                "nog niet geaccepteerd",
                "nooit geaccepteerd",
                "in afwachting",
                "openstaand",
                "expired",
                "verlopen",
            ],
        ],
        steps: &[
            "accept-invitation",
            "reinvite-guest",
            "check-invitation-mail",
        ],
        layers: &["guest-redemption"],
        sources: &[ERROR_CODES, RESET_REDEMPTION],
    },
    KnownError {
        id: "aadsts16000",
        confirmed: true,
        quote: None,
        codes: &["16000"],
        alias_codes: &[],
        phrases: &[],
        keywords: &[],
        steps: &["right-account", "clear-cache-full", "accept-invitation"],
        layers: &[],
        sources: &[ERROR_CODES, AADSTS50020],
    },
    KnownError {
        id: "aadsts500208",
        confirmed: true,
        quote: None,
        codes: &["500208"],
        alias_codes: &[],
        phrases: &[],
        keywords: &[],
        steps: &["right-account", "accept-invitation", "reinvite-guest"],
        layers: &["guest-redemption"],
        sources: &[ERROR_CODES],
    },
    KnownError {
        id: "aadsts500571",
        confirmed: true,
        quote: Some("The guest user account is disabled"),
        codes: &["500571"],
        alias_codes: &[],
        phrases: &[
            "guest user account is disabled",
            "gastaccount is uitgeschakeld",
        ],
        keywords: &[],
        steps: &["admin-guest-account-enabled"],
        layers: &["guest-account-enabled"],
        sources: &[
            "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts500571-guest-user-account-is-disabled",
        ],
    },
    KnownError {
        id: "aadsts50057",
        confirmed: true,
        quote: Some("The user account is disabled."),
        codes: &["50057"],
        alias_codes: &[],
        phrases: &[
            "account is disabled",
            "account has been disabled",
            "account is uitgeschakeld",
            "gebruikersaccount is uitgeschakeld",
            "account is geblokkeerd",
        ],
        keywords: &[
            &["account", "gast", "guest", "gebruiker", "user"],
            &["disabled", "uitgeschakeld", "geblokkeerd", "blocked"],
            &["sign in", "aanmelden", "inloggen", "sign-in", "signin"],
        ],
        steps: &["admin-guest-account-enabled"],
        layers: &["guest-account-enabled"],
        sources: &[
            "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50057-user-account-is-disabled",
        ],
    },
    KnownError {
        id: "aadsts50053",
        confirmed: true,
        quote: None,
        codes: &["50053"],
        alias_codes: &[],
        phrases: &[
            "account has been locked",
            "account is locked",
            "account locked",
            "locked out of my account",
            "account is vergrendeld",
            "account vergrendeld",
        ],
        keywords: &[],
        steps: &["ask-own-admin", "right-account"],
        layers: &[],
        sources: &[ERROR_CODES],
    },
    KnownError {
        id: "own-password",
        confirmed: true,
        quote: None,
        codes: &["50126", "50055"],
        alias_codes: &[],
        phrases: &["invalid username or password"],
        keywords: &[
            &["password", "wachtwoord"],
            &[
                "wrong",
                "forgot",
                "forgotten",
                "expired",
                "incorrect",
                "invalid",
                "vergeten",
                "verlopen",
                "verkeerd",
                "verkeerde",
                "onjuist",
            ],
        ],
        steps: &["right-account", "ask-own-admin"],
        layers: &[],
        sources: &[ERROR_CODES],
    },
    KnownError {
        id: "aadsts50105",
        confirmed: true,
        quote: None,
        codes: &["50105"],
        alias_codes: &[],
        phrases: &[],
        keywords: &[],
        steps: &["admin-teams-app-assignment"],
        layers: &["teams-app-assignment"],
        sources: &[
            "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50105-user-not-assigned-role",
            ERROR_CODES,
        ],
    },
    KnownError {
        id: "mfa-registration",
        confirmed: true,
        quote: None,
        codes: &["50076", "50079", "50072"],
        alias_codes: &[],
        // The page that asks for MFA registration (matched, never quoted).
        phrases: &[
            "more information required",
            "needs more information to keep your account secure",
            "meer informatie vereist",
            "heeft meer informatie nodig",
        ],
        keywords: &[&[
            "mfa",
            "multifactor",
            "multi-factor",
            "meervoudige verificatie",
            "tweestapsverificatie",
            "authenticator",
            "security info",
            "beveiligingsgegevens",
            "beveiligingsinformatie",
            "extra verificatie",
            "additional verification",
        ]],
        steps: &[
            "complete-mfa",
            "admin-entra-cross-tenant",
            "conditional-access",
        ],
        layers: &["conditional-access", "entra-cross-tenant"],
        sources: &[
            ERROR_CODES,
            "https://learn.microsoft.com/entra/identity/authentication/concept-registration-mfa-sspr-combined",
            "https://learn.microsoft.com/entra/external-id/authentication-conditional-access",
        ],
    },
    KnownError {
        id: "aadsts53003",
        confirmed: true,
        quote: None,
        codes: &["53003"],
        alias_codes: &[],
        phrases: &[
            "blocked by conditional access",
            "geblokkeerd door voorwaardelijke toegang",
        ],
        keywords: &[
            &["conditional access", "voorwaardelijke toegang"],
            &["blocked", "block", "blocks", "geblokkeerd", "blokkeert"],
        ],
        steps: &["conditional-access", "complete-mfa", "use-managed-device"],
        layers: &["conditional-access", "entra-cross-tenant"],
        sources: &[
            ERROR_CODES,
            "https://learn.microsoft.com/entra/identity/conditional-access/troubleshoot-conditional-access",
            AADSTS50020,
        ],
    },
    KnownError {
        id: "aadsts530004",
        confirmed: true,
        quote: Some(
            "AADSTS530004: AcceptCompliantDevice setting isn't configured for this organization. The administrator needs to configure this setting to allow external user access to protected resources.",
        ),
        codes: &["530004"],
        alias_codes: &[],
        phrases: &["acceptcompliantdevice"],
        keywords: &[],
        steps: &[
            "admin-entra-cross-tenant",
            "use-managed-device",
            "conditional-access",
        ],
        layers: &["entra-cross-tenant", "conditional-access"],
        sources: &[
            "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts530004-acceptcompliantdevice-setting-not-configured",
            "https://learn.microsoft.com/entra/external-id/cross-tenant-access-settings-b2b-collaboration",
        ],
    },
    KnownError {
        id: "device-not-compliant",
        confirmed: true,
        quote: None,
        codes: &["53000", "53001"],
        alias_codes: &[],
        phrases: &[
            "you cant get there from here",
            "je kunt hier niet komen",
            "management compliance policy",
        ],
        keywords: &[
            &["device", "apparaat", "laptop", "computer", "pc"],
            &[
                "not compliant",
                "noncompliant",
                "non compliant",
                "niet compatibel",
                "niet conform",
                "not managed",
                "niet beheerd",
                "compliance",
                "naleving",
            ],
        ],
        steps: &[
            "use-managed-device",
            "admin-entra-cross-tenant",
            "conditional-access",
        ],
        layers: &["entra-cross-tenant", "conditional-access"],
        sources: &[
            ERROR_CODES,
            "https://learn.microsoft.com/entra/external-id/authentication-conditional-access",
        ],
    },
    KnownError {
        id: "aadsts530035",
        confirmed: true,
        quote: None,
        codes: &["530035"],
        alias_codes: &[],
        // "standaardinstellingen voor beveiliging" is Microsoft's Dutch name.
        phrases: &[
            "security defaults",
            "standaardinstellingen voor beveiliging",
            "beveiligingsstandaarden",
        ],
        keywords: &[],
        steps: &["complete-mfa", "update-client", "conditional-access"],
        layers: &["conditional-access"],
        sources: &[
            ERROR_CODES,
            "https://learn.microsoft.com/entra/fundamentals/security-defaults",
        ],
    },
    KnownError {
        id: "aadsts90071",
        confirmed: true,
        quote: Some(
            "The organization you're trying to reach needs to update their settings to let you sign in. AADSTS90071: An admin from <organization> must update their access settings to accept inbound multifactor authentication.",
        ),
        codes: &["90071"],
        alias_codes: &[],
        phrases: &[
            "accept inbound multifactor authentication",
            "needs to update their settings to let you sign in",
        ],
        keywords: &[],
        steps: &["admin-entra-cross-tenant", "choose-collaboration-type"],
        layers: &["entra-cross-tenant"],
        sources: &[B2B_TROUBLESHOOT],
    },
    KnownError {
        id: "aadsts500213",
        confirmed: true,
        quote: None,
        codes: &["500213"],
        alias_codes: &[],
        phrases: &[],
        keywords: &[],
        steps: &["admin-entra-cross-tenant"],
        layers: &["entra-cross-tenant"],
        sources: &[ERROR_CODES],
    },
    KnownError {
        id: "aadsts500212",
        confirmed: true,
        quote: None,
        codes: &["500212"],
        alias_codes: &[],
        phrases: &[],
        keywords: &[],
        steps: &["ask-own-admin", "right-account"],
        layers: &[],
        sources: &[ERROR_CODES],
    },
    KnownError {
        id: "invite-blocked-cross-tenant",
        confirmed: true,
        quote: Some(
            "This invitation is blocked by cross-tenant access settings. Admins in both your organization and the invited user's organization must configure cross-tenant access settings to allow the invitation.",
        ),
        codes: &[],
        alias_codes: &[],
        phrases: &[
            "invitation is blocked by cross-tenant access settings",
            "blocked by cross tenant access settings",
        ],
        keywords: &[],
        steps: &["admin-entra-cross-tenant", "ask-own-admin"],
        layers: &["entra-cross-tenant"],
        sources: &[
            B2B_TROUBLESHOOT,
            "https://learn.microsoft.com/entra/external-id/cross-tenant-access-settings-b2b-collaboration",
        ],
    },
    KnownError {
        id: "aadsts65005",
        confirmed: true,
        quote: Some(
            "AADSTS65005: Using application 'AppName' is currently not supported for your organization contoso.com because it is in an unmanaged state. An administrator needs to claim ownership of the company by DNS validation of contoso.com before the application AppName can be provisioned.",
        ),
        codes: &["65005"],
        alias_codes: &["650051"],
        phrases: &["unmanaged state", "unmanaged directory", "niet-beheerde"],
        keywords: &[],
        steps: &["ask-own-admin", "reinvite-guest"],
        layers: &["guest-redemption"],
        sources: &[
            B2B_TROUBLESHOOT,
            "https://learn.microsoft.com/entra/identity/users/domains-admin-takeover",
            // Lists the same code as MisconfiguredApplication, for apps.
            ERROR_CODES,
        ],
    },
    KnownError {
        id: "invitation-mail-missing",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        // The senders Microsoft names (entra/external-id/troubleshoot): worldwide, US
        // government cloud, 21Vianet.
        phrases: &[
            "invites@microsoft.com",
            "invites@azuread.us",
            "invites@oe.21vianet.com",
        ],
        keywords: &[
            INVITATION,
            &[
                "not received",
                "never received",
                "never got",
                "didnt get",
                "did not get",
                "havent received",
                "didnt receive",
                "did not receive",
                "never arrived",
                "never arrives",
                "no email",
                "no mail",
                "niet ontvangen",
                "niet aangekomen",
                "komt niet aan",
                "nooit ontvangen",
                "nooit aangekomen",
                "niet gekregen",
                "nooit gekregen",
                "niet binnengekomen",
                "nooit binnengekomen",
                "kwam niet aan",
                "komt niet binnen",
                "did not arrive",
                "didnt arrive",
                "has not arrived",
                "hasnt arrived",
                "never came",
                "never showed up",
                "geen mail",
                "geen e mail",
                "geen email",
                "spam",
            ],
        ],
        steps: &[
            "check-invitation-mail",
            "admin-invitation-conflicts",
            "reinvite-guest",
        ],
        layers: &["invitation-conflicts", "guest-redemption"],
        sources: &[B2B_TROUBLESHOOT],
    },
    KnownError {
        id: "invited-other-address",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        phrases: &[],
        keywords: &[
            &[
                "alias",
                "upn",
                "user principal name",
                "other address",
                "another address",
                "different address",
                "other email",
                "different email",
                "ander adres",
                "ander e mailadres",
                "ander mailadres",
                "verkeerd adres",
                "verkeerde adres",
                "aanmeldnaam",
            ],
            &[
                "invite",
                "invited",
                "uitgenodigd",
                "uitnodiging",
                "guest",
                "gast",
                "sign in",
                "aanmelden",
            ],
        ],
        steps: &["invite-with-upn", "reinvite-guest", "right-account"],
        layers: &["guest-redemption"],
        sources: &[B2B_FAQ, REDEMPTION, RESET_REDEMPTION],
    },
    KnownError {
        id: "email-otp-off",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        phrases: &[
            "one-time passcode",
            "one time passcode",
            "eenmalige wachtwoordcode",
            "eenmalige code",
            "geen code per mail",
            "geen code per e mail",
            "no code by email",
            "no code by e mail",
        ],
        keywords: &[
            &[
                "code",
                "passcode",
                "verification code",
                "verificatiecode",
                "microsoft account",
                "microsoft-account",
            ],
            &[
                "no", "not", "never", "doesnt", "didnt", "dont", "geen", "niet", "create",
                "aanmaken", "maken",
            ],
            GUEST,
        ],
        steps: &[
            "admin-email-one-time-passcode",
            "check-invitation-mail",
            "reinvite-guest",
        ],
        layers: &["email-one-time-passcode", "guest-redemption"],
        sources: &["https://learn.microsoft.com/entra/external-id/one-time-passcode"],
    },
    KnownError {
        id: "collaboration-types",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        phrases: &[
            "external access",
            "externe toegang",
            "shared channel",
            "gedeeld kanaal",
            "gedeelde kanalen",
            "b2b direct connect",
        ],
        keywords: &[],
        steps: &["choose-collaboration-type", "admin-entra-cross-tenant"],
        layers: &["entra-cross-tenant"],
        sources: &[
            "https://learn.microsoft.com/microsoftteams/communicate-with-users-from-other-organizations",
            "https://learn.microsoft.com/microsoftteams/guest-access",
        ],
    },
    KnownError {
        id: "guest-access-off",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        phrases: &[
            "guest access in teams is disabled",
            "guest access is turned off",
            "gasttoegang in teams is uitgeschakeld",
            "gasttoegang is uitgeschakeld",
            "guests are not allowed",
            "guests arent allowed",
            "doesnt allow guests",
            "does not allow guests",
            "staat gasten niet toe",
            "gasten zijn niet toegestaan",
            "gasten niet toegestaan",
        ],
        keywords: &[GUEST, ACCESS, OFF],
        steps: GUEST_SWITCH_STEPS,
        layers: GUEST_LAYERS,
        sources: &[COLLABORATE_AS_TEAM],
    },
    KnownError {
        id: "guest-cannot-sign-in",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        phrases: &[
            "sign in was blocked",
            "aanmelding is geblokkeerd",
            "aanmelding werd geblokkeerd",
        ],
        keywords: &[
            GUEST,
            &[
                "sign in",
                "signin",
                "sign-in",
                "log in",
                "login",
                "aanmelden",
                "aanmelding",
                "inloggen",
                "aanmeldt",
                "inlogt",
            ],
            FAILED,
        ],
        steps: &[
            "right-account",
            "accept-invitation",
            "complete-mfa",
            "clear-cache-full",
            "reinvite-guest",
            "conditional-access",
        ],
        layers: &[
            "guest-redemption",
            "guest-account-enabled",
            "conditional-access",
        ],
        sources: &[B2B_TROUBLESHOOT, AADSTS50020],
    },
    KnownError {
        id: "need-permission",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        phrases: &[
            "you need permission to access this team",
            "je hebt toestemming nodig om toegang te krijgen tot dit team",
            "u hebt toestemming nodig",
            // How people put it when Teams refuses them (matched, never quoted).
            "you dont have access",
            "you do not have access",
            // The guest does not find the team (not a member yet, another organisation picked).
            "cant find the team",
            "cannot find the team",
            "cant see the team",
            "cannot see the team",
            "doesnt see the team",
            "does not see the team",
            "ziet het team niet",
            "zie het team niet",
            "kan het team niet vinden",
            "vindt het team niet",
            "je hebt geen toegang",
            "u hebt geen toegang",
            "u heeft geen toegang",
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
        sources: &[
            "https://learn.microsoft.com/microsoftteams/guest-access",
            CLEAR_CACHE,
        ],
    },
    KnownError {
        id: "adding-guest-failed",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
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
            "admin-team-blocked-for-guests",
            "admin-sensitivity-label",
            "invite-with-upn",
        ],
        layers: &[
            "teams-guest-switch",
            "entra-who-may-invite",
            "entra-domain-lists",
            "m365-groups-guests",
            "team-blocked-for-guests",
            "sensitivity-label",
        ],
        sources: &[COLLABORATE_AS_TEAM],
    },
    KnownError {
        id: "org-switch-loop",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        phrases: &[],
        keywords: &[
            &[
                "loop",
                "lus",
                "keeps",
                "again and again",
                "over and over",
                "blijft",
                "steeds",
                "telkens",
                "elke keer",
                "every time",
            ],
            &[
                "switch",
                "switching",
                "wisselen",
                "wissel",
                "schakelen",
                "overschakelen",
                "organisation",
                "organization",
                "organisatie",
                "tenant",
            ],
        ],
        steps: &[
            "quit-teams",
            "clear-cache-full",
            "right-account",
            "accept-invitation",
        ],
        layers: &[],
        sources: &[CLEAR_CACHE, AADSTS50020],
    },
    KnownError {
        id: "wrong-account-or-tenant",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        phrases: &[
            "wrong account",
            "wrong tenant",
            "wrong organisation",
            "wrong organization",
            "verkeerde account",
            "verkeerd account",
            "verkeerde organisatie",
        ],
        keywords: &[
            &[
                "wrong",
                "old",
                "verkeerde",
                "verkeerd",
                "oude",
                "andere",
                "private",
                "personal",
                "prive",
                "persoonlijke",
                "instead of",
                "in plaats van",
            ],
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
        sources: &[CLEAR_CACHE, AADSTS50020],
    },
    KnownError {
        id: "client-outdated",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        phrases: &[],
        keywords: &[
            &[
                "version",
                "versie",
                "client",
                "app",
                "blocking page",
                "blokkeringspagina",
                "classic teams",
                "klassieke teams",
            ],
            &[
                "outdated",
                "too old",
                "out of date",
                "verouderd",
                "te oud",
                "no longer supported",
                "niet meer ondersteund",
                "stopped working",
                "werkt niet meer",
                "update required",
                "must update",
                "moet bijwerken",
                "bijwerken",
            ],
        ],
        steps: &["update-client"],
        layers: &[],
        sources: &[
            "https://learn.microsoft.com/microsoftteams/teams-client-update",
            "https://learn.microsoft.com/microsoftteams/teams-classic-client-end-of-availability",
        ],
    },
    KnownError {
        id: "missing-messages",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
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
        sources: &[CLEAR_CACHE],
    },
    KnownError {
        id: "guest-features-off",
        confirmed: false,
        quote: None,
        codes: &[],
        alias_codes: &[],
        phrases: &[],
        keywords: &[
            GUEST,
            &[
                "call",
                "calls",
                "calling",
                "bellen",
                "gesprek",
                "video",
                "camera",
                "screen",
                "share screen",
                "screen sharing",
                "scherm",
                "scherm delen",
                "meet now",
                "nu vergaderen",
                "chat",
                "chatten",
                "edit",
                "bewerken",
                "delete",
                "verwijderen",
            ],
            &[
                "cant",
                "cannot",
                "can not",
                "unable",
                "not",
                "no",
                "niet",
                "geen",
                "disabled",
                "uitgeschakeld",
                "greyed out",
                "grayed out",
                "grijs",
            ],
        ],
        steps: &[
            "admin-teams-guest-calling",
            "admin-teams-guest-meetings",
            "admin-teams-guest-messaging",
            "wait-propagation",
        ],
        layers: &[
            "teams-guest-calling",
            "teams-guest-meetings",
            "teams-guest-messaging",
        ],
        sources: &["https://learn.microsoft.com/microsoftteams/set-up-guests"],
    },
];

pub fn error(id: &str) -> Option<&'static KnownError> {
    ERRORS.iter().find(|e| e.id == id)
}

/// The catalogue entry for an AADSTS code, and whether the code is in Microsoft's list.
pub fn by_code(code: &str) -> Option<(&'static KnownError, bool)> {
    ERRORS.iter().find_map(|e| {
        if e.codes.contains(&code) {
            Some((e, true))
        } else if e.alias_codes.contains(&code) {
            Some((e, false))
        } else {
            None
        }
    })
}

/// Microsoft's own page about any AADSTS code, for codes the catalogue does not know.
pub fn lookup_url(code: &str) -> String {
    format!("https://login.microsoftonline.com/error?code={code}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::i18n::{Lang, tr};

    #[test]
    fn entries_point_at_real_steps_and_layers_and_are_translated() {
        let mut ids = std::collections::HashSet::new();
        let mut codes = std::collections::HashSet::new();
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
            for c in e.codes.iter().chain(e.alias_codes) {
                assert!(c.chars().all(|c| c.is_ascii_digit()) && c.len() >= 5);
                assert!(codes.insert(*c), "code {c} in two entries");
            }
            assert!(!e.sources.is_empty(), "{} names no Microsoft page", e.id);
            for url in e.sources {
                assert!(
                    url.starts_with("https://learn.microsoft.com/") && !url.contains("/en-us/"),
                    "{}: {url}",
                    e.id
                );
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

    /// Only Microsoft's own words are presented as a quote: titles and causes describe.
    #[test]
    fn only_confirmed_entries_quote_and_titles_never_quote() {
        for e in ERRORS {
            if e.quote.is_some() {
                assert!(e.confirmed, "{} quotes without a source", e.id);
            }
            for lang in Lang::ALL {
                for part in ["title", "cause"] {
                    let text = tr(lang, &format!("errors.{}.{part}", e.id));
                    for q in ['"', '“', '”', '„'] {
                        assert!(
                            !text.contains(q),
                            "{}.{part} in {lang:?} quotes: {text}",
                            e.id
                        );
                    }
                }
            }
        }
        // The codes the issue names: 65005 confirmed, 650051 only an alias.
        assert_eq!(
            by_code("65005").map(|(e, c)| (e.id, c)),
            Some(("aadsts65005", true))
        );
        assert_eq!(
            by_code("650051").map(|(e, c)| (e.id, c)),
            Some(("aadsts65005", false))
        );
        for code in [
            "500571", "50105", "50057", "50034", "51004", "50014", "16000", "50076", "50079",
            "50072", "530004", "90071", "530035", "500208",
        ] {
            let (_, confirmed) = by_code(code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(confirmed, "{code}");
        }
        // Codes about app consent or delegated admin are not guest-access problems.
        for code in ["65001", "90094", "700016", "530034"] {
            assert!(by_code(code).is_none(), "{code}");
        }
    }
}
