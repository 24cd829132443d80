//! The server-side layers of guest access, in the order an admin should check them: the portal
//! path, a read-only check and an optional fix (each with the connection and scopes it needs and
//! the PowerShell modules it uses), the role, and the Microsoft pages the layer is based on.
//! Commands, portal paths and module names are data (Microsoft's own names, English as in the
//! portal); titles, explanations and delays are in the catalogues under `admin.<id>.*`.
//!
//! Rules every command here follows (tests/admin_commands.rs parses each one as PowerShell):
//! - a check only reads; it connects with read scopes. A fix connects with the write scopes it
//!   needs (a fix run in a read-only session fails with 403);
//! - a fix never lowers a setting that is already more open than guest access needs: it acts
//!   only on the values that block guests;
//! - placeholders are quoted strings (`'<team name>'`), so a pasted command is valid PowerShell
//!   and fails harmlessly until the admin fills them in;
//! - no AzureAD or MSOnline cmdlets (both modules are retired).

use serde::Serialize;

/// A PowerShell module a command needs. Every cmdlet of a command must belong to one of the
/// modules the command names, or be built into PowerShell (`Select-Object`, `Where-Object`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Module {
    /// Microsoft Graph PowerShell, v1.0 cmdlets (`Connect-MgGraph`, `*-Mg*`).
    Graph,
    /// Microsoft Graph PowerShell beta cmdlets (`*-MgBeta*`; connects with `Connect-MgGraph`).
    GraphBeta,
    /// MicrosoftTeams (`Connect-MicrosoftTeams`, `*-CsTeams*`).
    Teams,
    /// ExchangeOnlineManagement, for Security & Compliance PowerShell (`Connect-IPPSSession`,
    /// the sensitivity label cmdlets).
    ExchangeOnline,
    /// SharePoint Online Management Shell (`Connect-SPOService`, `*-SPO*`).
    SharePoint,
    /// ADSync, installed with Microsoft Entra Connect on its server (`*-ADSync*`).
    AdSync,
}

impl Module {
    /// The name to `Install-Module` (or, for ADSync, to `Import-Module` on the Connect server).
    pub fn name(self) -> &'static str {
        match self {
            Module::Graph => "Microsoft.Graph",
            Module::GraphBeta => "Microsoft.Graph.Beta",
            Module::Teams => "MicrosoftTeams",
            Module::ExchangeOnline => "ExchangeOnlineManagement",
            Module::SharePoint => "Microsoft.Online.SharePoint.PowerShell",
            Module::AdSync => "ADSync",
        }
    }
}

/// A PowerShell command to copy, with the connection it needs first.
#[derive(Debug)]
pub struct Command {
    /// The connection, with exactly the scopes this command needs.
    pub connect: &'static str,
    /// The command itself (one or more lines).
    pub run: &'static str,
    /// The modules its cmdlets come from.
    pub modules: &'static [Module],
}

impl Command {
    /// Connection and command as one script: what the Copy button puts on the clipboard.
    pub fn script(&self) -> String {
        format!("{}\n{}", self.connect, self.run)
    }

    /// `Microsoft.Graph, Microsoft.Graph.Beta`
    pub fn module_names(&self) -> String {
        self.modules
            .iter()
            .map(|m| m.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a layer is about: a setting of the whole organisation, or one guest's account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Organisation,
    Guest,
}

impl Section {
    pub const ALL: [Section; 2] = [Section::Organisation, Section::Guest];

    /// Catalogue key of the heading.
    pub fn key(self) -> &'static str {
        match self {
            Section::Organisation => "admin.section.organisation",
            Section::Guest => "admin.section.guest",
        }
    }
}

#[derive(Debug)]
pub struct AdminStep {
    pub id: &'static str,
    pub section: Section,
    /// Where to click; Microsoft's English labels, as in the portal. Empty: no portal setting.
    pub portal: &'static str,
    /// A read-only check (changes nothing).
    pub check: Command,
    /// The fix; always optional, shown after the check. `None`: change it in the portal.
    pub fix: Option<Command>,
    /// Catalogue key of the role needed.
    pub role_key: &'static str,
    /// The Microsoft pages this layer is based on, the main one first.
    pub sources: &'static [&'static str],
}

use Module::{AdSync, ExchangeOnline, Graph, GraphBeta, SharePoint, Teams};

const TEAMS: &str = "Connect-MicrosoftTeams";
const SPO: &str = "Connect-SPOService -Url 'https://<tenant>-admin.sharepoint.com'";
const IPPS: &str = "Connect-IPPSSession";
const ADSYNC: &str = "Import-Module ADSync";
const POLICY_READ: &str = "Connect-MgGraph -Scopes \"Policy.Read.All\"";
const POLICY_WRITE_AUTHORIZATION: &str =
    "Connect-MgGraph -Scopes \"Policy.ReadWrite.Authorization\"";
const DIRECTORY_READ: &str = "Connect-MgGraph -Scopes \"Directory.Read.All\"";
const DIRECTORY_WRITE: &str = "Connect-MgGraph -Scopes \"Directory.ReadWrite.All\"";
const USER_READ: &str = "Connect-MgGraph -Scopes \"User.Read.All\"";

/// Reads one guest by the e-mail address they were invited with.
const GUEST_CHECK: &str = "$Props = 'DisplayName','Mail','UserPrincipalName','UserType','AccountEnabled','ExternalUserState','ExternalUserStateChangeDateTime','CreatedDateTime'\nGet-MgUser -Filter \"mail eq '<guest e-mail>'\" -Property $Props | Format-List $Props";

const SET_UP_GUESTS: &str = "https://learn.microsoft.com/microsoftteams/set-up-guests";
const COLLABORATE_AS_TEAM: &str =
    "https://learn.microsoft.com/microsoft-365/solutions/collaborate-as-team";
const GROUP_SETTINGS_CMDLETS: &str =
    "https://learn.microsoft.com/entra/identity/users/groups-settings-cmdlets";
const B2B_TROUBLESHOOT: &str = "https://learn.microsoft.com/entra/external-id/troubleshoot";

pub static ADMIN_STEPS: &[AdminStep] = &[
    AdminStep {
        id: "teams-guest-switch",
        section: Section::Organisation,
        portal: "Teams admin center > Users > Guest access > Allow guest access in Teams = On",
        check: Command {
            connect: TEAMS,
            run: "Get-CsTeamsClientConfiguration -Identity Global | Select-Object AllowGuestUser",
            modules: &[Teams],
        },
        fix: Some(Command {
            connect: TEAMS,
            run: "Set-CsTeamsClientConfiguration -Identity Global -AllowGuestUser $true",
            modules: &[Teams],
        }),
        role_key: "role.teams_admin",
        sources: &[
            COLLABORATE_AS_TEAM,
            "https://learn.microsoft.com/powershell/module/teams/set-csteamsclientconfiguration",
        ],
    },
    AdminStep {
        id: "teams-guest-calling",
        section: Section::Organisation,
        portal: "Teams admin center > Users > Guest access > Calling > Make private calls",
        check: Command {
            connect: TEAMS,
            run: "Get-CsTeamsGuestCallingConfiguration -Identity Global",
            modules: &[Teams],
        },
        fix: Some(Command {
            connect: TEAMS,
            run: "Set-CsTeamsGuestCallingConfiguration -Identity Global -AllowPrivateCalling $true",
            modules: &[Teams],
        }),
        role_key: "role.teams_admin",
        sources: &[
            SET_UP_GUESTS,
            "https://learn.microsoft.com/powershell/module/teams/set-csteamsguestcallingconfiguration",
        ],
    },
    AdminStep {
        id: "teams-guest-meetings",
        section: Section::Organisation,
        portal: "Teams admin center > Users > Guest access > Meeting (Allow IP video, Screen sharing mode, Allow Meet now)",
        check: Command {
            connect: TEAMS,
            run: "Get-CsTeamsGuestMeetingConfiguration -Identity Global",
            modules: &[Teams],
        },
        fix: Some(Command {
            connect: TEAMS,
            run: "Set-CsTeamsGuestMeetingConfiguration -Identity Global -AllowIPVideo $true -ScreenSharingMode EntireScreen -AllowMeetNow $true",
            modules: &[Teams],
        }),
        role_key: "role.teams_admin",
        sources: &[
            SET_UP_GUESTS,
            "https://learn.microsoft.com/powershell/module/teams/set-csteamsguestmeetingconfiguration",
        ],
    },
    AdminStep {
        id: "teams-guest-messaging",
        section: Section::Organisation,
        portal: "Teams admin center > Users > Guest access > Messaging",
        check: Command {
            connect: TEAMS,
            run: "Get-CsTeamsGuestMessagingConfiguration -Identity Global",
            modules: &[Teams],
        },
        fix: Some(Command {
            connect: TEAMS,
            run: "Set-CsTeamsGuestMessagingConfiguration -Identity Global -AllowUserChat $true -AllowUserEditMessage $true -AllowUserDeleteMessage $true",
            modules: &[Teams],
        }),
        role_key: "role.teams_admin",
        sources: &[
            SET_UP_GUESTS,
            "https://learn.microsoft.com/powershell/module/teams/set-csteamsguestmessagingconfiguration",
        ],
    },
    AdminStep {
        id: "entra-who-may-invite",
        section: Section::Organisation,
        portal: "Microsoft Entra admin center > Entra ID > External Identities > External collaboration settings > Guest invite settings",
        check: Command {
            connect: POLICY_READ,
            run: "Get-MgPolicyAuthorizationPolicy | Select-Object AllowInvitesFrom",
            modules: &[Graph],
        },
        // Only when nobody or only admins and Guest Inviters may invite: never narrows `everyone`.
        fix: Some(Command {
            connect: POLICY_WRITE_AUTHORIZATION,
            run: "if ((Get-MgPolicyAuthorizationPolicy).AllowInvitesFrom -in 'none','adminsAndGuestInviters') { Update-MgPolicyAuthorizationPolicy -BodyParameter @{ allowInvitesFrom = 'adminsGuestInvitersAndAllMembers' } }",
            modules: &[Graph],
        }),
        role_key: "role.privileged_role_admin",
        sources: &[
            "https://learn.microsoft.com/entra/external-id/external-collaboration-settings-configure",
            B2B_TROUBLESHOOT,
            "https://learn.microsoft.com/graph/api/authorizationpolicy-update",
        ],
    },
    AdminStep {
        id: "entra-guest-access-level",
        section: Section::Organisation,
        portal: "Microsoft Entra admin center > Entra ID > External Identities > External collaboration settings > Guest user access",
        check: Command {
            connect: POLICY_READ,
            run: "Get-MgPolicyAuthorizationPolicy | Select-Object GuestUserRoleId",
            modules: &[Graph],
        },
        // Teams works with all three levels: nothing to fix for guest access.
        fix: None,
        role_key: "role.privileged_role_admin",
        sources: &[
            "https://learn.microsoft.com/entra/identity/users/users-restrict-guest-permissions",
        ],
    },
    AdminStep {
        id: "entra-domain-lists",
        section: Section::Organisation,
        portal: "Microsoft Entra admin center > Entra ID > External Identities > External collaboration settings > Collaboration restrictions",
        check: Command {
            connect: "Connect-MgGraph -Scopes \"Policy.Read.B2BManagementPolicy\"",
            run: "Get-MgBetaPolicyB2BManagementPolicy | Select-Object -ExpandProperty Definition",
            modules: &[GraphBeta],
        },
        fix: None,
        role_key: "role.global_admin",
        sources: &[
            "https://learn.microsoft.com/entra/external-id/allow-deny-list",
            "https://learn.microsoft.com/graph/api/b2bmanagementpolicy-get?view=graph-rest-beta",
        ],
    },
    AdminStep {
        id: "entra-cross-tenant",
        section: Section::Organisation,
        portal: "Microsoft Entra admin center > Entra ID > External Identities > Cross-tenant access settings > Default settings / Organizational settings > Inbound access (B2B collaboration, Trust settings)",
        check: Command {
            connect: POLICY_READ,
            run: "Get-MgPolicyCrossTenantAccessPolicyDefault | Format-List B2BCollaborationInbound, B2BDirectConnectInbound, InboundTrust\nGet-MgPolicyCrossTenantAccessPolicyPartner | Format-List TenantId, B2BCollaborationInbound, InboundTrust",
            modules: &[Graph],
        },
        fix: None,
        role_key: "role.security_admin",
        sources: &[
            "https://learn.microsoft.com/entra/external-id/cross-tenant-access-settings-b2b-collaboration",
            "https://learn.microsoft.com/microsoft-365/solutions/limit-who-can-invite-guests",
        ],
    },
    AdminStep {
        id: "entra-read-other-users",
        section: Section::Organisation,
        portal: "",
        check: Command {
            connect: POLICY_READ,
            run: "(Get-MgPolicyAuthorizationPolicy).DefaultUserRolePermissions.AllowedToReadOtherUsers",
            modules: &[Graph],
        },
        fix: Some(Command {
            connect: POLICY_WRITE_AUTHORIZATION,
            run: "Update-MgPolicyAuthorizationPolicy -DefaultUserRolePermissions @{ allowedToReadOtherUsers = $true }",
            modules: &[Graph],
        }),
        role_key: "role.privileged_role_admin",
        sources: &[
            "https://learn.microsoft.com/graph/api/resources/authorizationpolicy",
            "https://learn.microsoft.com/microsoftteams/known-issues",
        ],
    },
    AdminStep {
        id: "m365-groups-guests",
        section: Section::Organisation,
        portal: "Microsoft 365 admin center > Show all > Settings > Org settings > Services > Microsoft 365 Groups: \"Let group owners add people outside your organization to Microsoft 365 Groups as guests\" and \"Let guest group members access group content\"",
        check: Command {
            connect: DIRECTORY_READ,
            run: "$Setting = Get-MgBetaDirectorySetting | Where-Object DisplayName -eq 'Group.Unified'\n$Setting.Values | Where-Object Name -in 'AllowToAddGuests','AllowGuestsToAccessGroups'",
            modules: &[GraphBeta],
        },
        // A directory setting update replaces the whole set: read every value, change the two,
        // write them all back.
        fix: Some(Command {
            connect: DIRECTORY_WRITE,
            run: "$Setting = Get-MgBetaDirectorySetting | Where-Object DisplayName -eq 'Group.Unified'\nif ($Setting) {\n  $Values = foreach ($v in $Setting.Values) { if ($v.Name -in 'AllowToAddGuests','AllowGuestsToAccessGroups') { @{ name = $v.Name; value = 'True' } } else { @{ name = $v.Name; value = $v.Value } } }\n  Update-MgBetaDirectorySetting -DirectorySettingId $Setting.Id -BodyParameter @{ values = @($Values) }\n}",
            modules: &[GraphBeta],
        }),
        role_key: "role.groups_admin",
        sources: &[
            "https://learn.microsoft.com/microsoft-365/admin/create-groups/manage-guest-access-in-groups",
            GROUP_SETTINGS_CMDLETS,
            COLLABORATE_AS_TEAM,
        ],
    },
    AdminStep {
        id: "team-blocked-for-guests",
        section: Section::Organisation,
        portal: "",
        check: Command {
            connect: DIRECTORY_READ,
            run: "$GroupId = (Get-MgGroup -Filter \"displayName eq '<team name>'\").Id\nGet-MgBetaGroupSetting -GroupId $GroupId | Format-List DisplayName, TemplateId, Values",
            modules: &[Graph, GraphBeta],
        },
        // A blocked team already has its Group.Unified.Guest setting (New- would fail): update it.
        fix: Some(Command {
            connect: DIRECTORY_WRITE,
            run: "$GroupId = (Get-MgGroup -Filter \"displayName eq '<team name>'\").Id\n$Setting = Get-MgBetaGroupSetting -GroupId $GroupId | Where-Object TemplateId -eq '08d542b9-071f-4e16-94b0-74abb372e3d9'\nif ($Setting) { Update-MgBetaGroupSetting -GroupId $GroupId -DirectorySettingId $Setting.Id -BodyParameter @{ values = @(@{ name = 'AllowToAddGuests'; value = 'True' }) } }",
            modules: &[Graph, GraphBeta],
        }),
        role_key: "role.groups_admin",
        sources: &[
            GROUP_SETTINGS_CMDLETS,
            "https://learn.microsoft.com/microsoft-365/solutions/per-group-guest-access",
        ],
    },
    AdminStep {
        id: "sharepoint-sharing",
        section: Section::Organisation,
        portal: "SharePoint admin center > Policies > Sharing; per site: Sites > Active sites > (the team's site) > Settings > More sharing settings",
        check: Command {
            connect: SPO,
            run: "Get-SPOTenant | Select-Object SharingCapability, SharingDomainRestrictionMode, SharingAllowedDomainList, SharingBlockedDomainList\nGet-SPOSite -Identity '<team site URL>' | Select-Object Url, SharingCapability",
            modules: &[SharePoint],
        },
        // Only a value of Disabled blocks guests: never lower a tenant or site that is more open.
        fix: Some(Command {
            connect: SPO,
            run: "if ((Get-SPOTenant).SharingCapability -eq 'Disabled') { Set-SPOTenant -SharingCapability ExistingExternalUserSharingOnly }\nif ((Get-SPOSite -Identity '<team site URL>').SharingCapability -eq 'Disabled') { Set-SPOSite -Identity '<team site URL>' -SharingCapability ExistingExternalUserSharingOnly }",
            modules: &[SharePoint],
        }),
        role_key: "role.sharepoint_admin",
        sources: &[
            "https://learn.microsoft.com/sharepoint/turn-external-sharing-on-or-off",
            "https://learn.microsoft.com/troubleshoot/microsoftteams/files/guests-cannot-access-files",
        ],
    },
    AdminStep {
        id: "sensitivity-label",
        section: Section::Organisation,
        portal: "Microsoft Purview portal > Solutions > Information Protection > Sensitivity labels > (the label) > Groups & sites > Privacy and external user access > \"Let Microsoft 365 Group owners add people outside your organization to the group as guests\"",
        check: Command {
            connect: IPPS,
            run: "Get-Label -Identity '<label name>' -IncludeDetailedLabelActions",
            modules: &[ExchangeOnline],
        },
        fix: Some(Command {
            connect: IPPS,
            run: "Set-Label -Identity '<label name>' -SiteAndGroupProtectionEnabled $true -SiteAndGroupProtectionAllowAccessToGuestUsers $true",
            modules: &[ExchangeOnline],
        }),
        role_key: "role.compliance_admin",
        sources: &[
            "https://learn.microsoft.com/purview/sensitivity-labels-teams-groups-sites",
            "https://learn.microsoft.com/powershell/module/exchange/set-label",
        ],
    },
    AdminStep {
        id: "email-one-time-passcode",
        section: Section::Organisation,
        portal: "Microsoft Entra admin center > Entra ID > External Identities > All identity providers > Built-in > Email one-time passcode: Configured > Email one-time passcode for guests = Yes",
        check: Command {
            connect: "Connect-MgGraph -Scopes \"Policy.Read.AuthenticationMethod\"",
            run: "(Get-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration -AuthenticationMethodConfigurationId 'Email').AdditionalProperties['allowExternalIdToUseEmailOtp']",
            modules: &[Graph],
        },
        fix: None,
        role_key: "role.auth_policy_admin",
        sources: &[
            "https://learn.microsoft.com/entra/external-id/one-time-passcode",
            "https://learn.microsoft.com/graph/api/emailauthenticationmethodconfiguration-get",
        ],
    },
    AdminStep {
        id: "conditional-access",
        section: Section::Organisation,
        portal: "Microsoft Entra admin center > Entra ID > Monitoring & health > Sign-in logs > (the guest's failed sign-in) > Conditional Access",
        check: Command {
            connect: POLICY_READ,
            run: "Get-MgIdentityConditionalAccessPolicy | Select-Object DisplayName, State",
            modules: &[Graph],
        },
        fix: None,
        role_key: "role.ca_admin",
        sources: &[
            "https://learn.microsoft.com/entra/identity/conditional-access/troubleshoot-conditional-access",
            "https://learn.microsoft.com/entra/external-id/authentication-conditional-access",
            "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts530004-acceptcompliantdevice-setting-not-configured",
        ],
    },
    AdminStep {
        id: "teams-app-assignment",
        section: Section::Organisation,
        portal: "Microsoft Entra admin center > Entra ID > Enterprise apps > Microsoft Teams > Properties > Assignment required; or Users and groups > Add user/group",
        check: Command {
            connect: "Connect-MgGraph -Scopes \"Application.Read.All\"",
            run: "Get-MgServicePrincipal -Filter \"displayName eq 'Microsoft Teams'\" | Select-Object DisplayName, AppId, AppRoleAssignmentRequired",
            modules: &[Graph],
        },
        fix: None,
        role_key: "role.app_admin",
        sources: &[
            "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50105-user-not-assigned-role",
        ],
    },
    AdminStep {
        id: "hybrid-sync",
        section: Section::Organisation,
        portal: "",
        check: Command {
            connect: ADSYNC,
            run: "Get-ADSyncScheduler",
            modules: &[AdSync],
        },
        fix: Some(Command {
            connect: ADSYNC,
            run: "Start-ADSyncSyncCycle -PolicyType Delta",
            modules: &[AdSync],
        }),
        role_key: "role.adsync_admin",
        sources: &[
            "https://learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-sync-feature-scheduler",
            "https://learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-post-installation",
        ],
    },
    AdminStep {
        id: "guest-redemption",
        section: Section::Guest,
        portal: "Microsoft Entra admin center > Entra ID > Users > All users > (the guest) > Overview > B2B collaboration > Reset redemption status",
        check: Command {
            connect: USER_READ,
            run: GUEST_CHECK,
            modules: &[Graph],
        },
        fix: Some(Command {
            connect: "Connect-MgGraph -Scopes \"User.ReadWrite.All\"",
            run: "$User = Get-MgUser -Filter \"mail eq '<guest e-mail>'\"\nNew-MgInvitation -InvitedUserEmailAddress $User.Mail -InviteRedirectUrl 'https://myapps.microsoft.com' -ResetRedemption -SendInvitationMessage -InvitedUser $User",
            modules: &[Graph],
        }),
        role_key: "role.helpdesk_admin",
        sources: &[
            "https://learn.microsoft.com/entra/external-id/reset-redemption-status",
            "https://learn.microsoft.com/graph/api/resources/user",
        ],
    },
    AdminStep {
        id: "guest-account-enabled",
        section: Section::Guest,
        portal: "",
        check: Command {
            connect: USER_READ,
            run: GUEST_CHECK,
            modules: &[Graph],
        },
        fix: Some(Command {
            connect: "Connect-MgGraph -Scopes \"User.EnableDisableAccount.All\",\"User.Read.All\"",
            run: "$User = Get-MgUser -Filter \"mail eq '<guest e-mail>'\"\nUpdate-MgUser -UserId $User.Id -AccountEnabled:$true",
            modules: &[Graph],
        }),
        role_key: "role.user_admin",
        sources: &[
            "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts500571-guest-user-account-is-disabled",
            "https://learn.microsoft.com/graph/api/user-update",
        ],
    },
    AdminStep {
        id: "invitation-conflicts",
        section: Section::Guest,
        portal: "Microsoft 365 admin center > Users > Active users / Contacts, and Teams & groups > Active teams & groups: search for the guest's e-mail address",
        check: Command {
            connect: DIRECTORY_READ,
            run: "Get-MgUser -Filter \"proxyAddresses/any(p:p eq 'SMTP:<guest e-mail>')\" | Select-Object DisplayName, UserPrincipalName, UserType\nGet-MgGroup -Filter \"proxyAddresses/any(p:p eq 'SMTP:<guest e-mail>')\" | Select-Object DisplayName, Mail\nGet-MgContact -All | Where-Object Mail -eq '<guest e-mail>' | Select-Object DisplayName, Mail",
            modules: &[Graph],
        },
        fix: None,
        role_key: "role.global_reader",
        sources: &[B2B_TROUBLESHOOT],
    },
];

/// Commands and paths from older guides (the seed article among them) that are wrong, with the
/// catalogue key of the correction (`admin.corrections.<id>`).
#[derive(Debug)]
pub struct Correction {
    pub id: &'static str,
    /// What the old guide says, verbatim.
    pub wrong: &'static str,
}

pub static CORRECTIONS: &[Correction] = &[
    Correction {
        id: "set_team_guest_access",
        wrong: "Set-TeamGuestAccess -AllowGuestAccess $true",
    },
    Correction {
        id: "guest_calling_enable",
        wrong: "Get-CsTeamsGuestCallingConfiguration -enable",
    },
    Correction {
        id: "org_wide_settings",
        wrong: "Teams admin center > Org-wide settings > Guest access",
    },
    Correction {
        id: "azure_ad_path",
        wrong: "Azure Active Directory > External Identities",
    },
    Correction {
        id: "adsync",
        wrong: "Start-ADSyncSyncCycle -PolicyType Delta",
    },
    Correction {
        id: "two_hours",
        wrong: "\"up to 2 hours\"",
    },
    Correction {
        id: "azuread_modules",
        wrong: "Connect-AzureAD / Connect-MsolService",
    },
    Correction {
        id: "new_group_setting",
        wrong: "New-MgBetaGroupSetting -GroupId <id> ... AllowToAddGuests = true",
    },
    Correction {
        id: "support_request_path",
        wrong: "Microsoft 365 admin center > Show all > Support > New service request",
    },
];

/// Microsoft's self-help diagnostics for admins (they change nothing).
pub const GUEST_DIAG_URL: &str = "https://aka.ms/TeamsGuestAccessDiag";
pub const FILES_DIAG_URL: &str = "https://aka.ms/TeamsFilesGuestAccessDiag";
/// Where Microsoft describes how to run them (Help & support in the Microsoft 365 admin center).
pub const DIAGNOSTICS_SOURCES: &[&str] = &[
    "https://learn.microsoft.com/troubleshoot/microsoftteams/teams-administration/admin-self-help-diagnostics",
    "https://learn.microsoft.com/microsoftteams/guest-access",
];
pub const ERROR_CODES_URL: &str =
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes";
pub const CLEAR_CACHE_URL: &str = "https://learn.microsoft.com/troubleshoot/microsoftteams/teams-administration/clear-teams-cache";

pub fn step(id: &str) -> Option<&'static AdminStep> {
    ADMIN_STEPS.iter().find(|s| s.id == id)
}

pub fn title_key(id: &str) -> String {
    format!("admin.{id}.title")
}

impl AdminStep {
    /// The step's commands: the check, then the fix if there is one.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        std::iter::once(&self.check).chain(self.fix.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::i18n::{Lang, tr};

    #[test]
    fn steps_are_complete_translated_and_sourced() {
        let mut ids = std::collections::HashSet::new();
        for s in ADMIN_STEPS {
            assert!(ids.insert(s.id), "duplicate {}", s.id);
            assert!(!s.sources.is_empty(), "{} names no Microsoft page", s.id);
            for url in s.sources {
                assert!(
                    url.starts_with("https://learn.microsoft.com/") && !url.contains("/en-us/"),
                    "{}: {url}",
                    s.id
                );
            }
            for key in [
                title_key(s.id),
                format!("admin.{}.why", s.id),
                format!("admin.{}.delay", s.id),
                s.role_key.to_string(),
            ] {
                for lang in Lang::ALL {
                    assert_ne!(tr(lang, &key), key, "missing {key} in {lang:?}");
                }
            }
        }
        for section in Section::ALL {
            assert!(ADMIN_STEPS.iter().any(|s| s.section == section));
            for lang in Lang::ALL {
                assert_ne!(tr(lang, section.key()), section.key());
            }
        }
        // The sections are contiguous, so the Admin tab can show each under one heading.
        let first_guest = ADMIN_STEPS
            .iter()
            .position(|s| s.section == Section::Guest)
            .unwrap();
        assert!(
            ADMIN_STEPS[first_guest..]
                .iter()
                .all(|s| s.section == Section::Guest)
        );
    }

    #[test]
    fn checks_only_read_and_connect_with_read_scopes() {
        for s in ADMIN_STEPS {
            let check = &s.check;
            for verb in ["Set-", "Update-", "New-", "Remove-", "Start-"] {
                assert!(!check.run.contains(verb), "{}: a check runs {verb}", s.id);
            }
            assert!(
                !check.connect.contains("ReadWrite"),
                "{}: a check connects with write scopes",
                s.id
            );
            if let Some(fix) = &s.fix {
                // Graph fixes need a write scope; a read-only session answers 403.
                if fix.connect.starts_with("Connect-MgGraph") {
                    assert!(
                        fix.connect.contains("ReadWrite") || fix.connect.contains("EnableDisable"),
                        "{}: a fix connects without a write scope",
                        s.id
                    );
                }
                assert!(!fix.connect.is_empty() && !fix.run.is_empty());
            }
            assert!(
                !check.connect.is_empty() && !check.run.is_empty(),
                "{}",
                s.id
            );
        }
    }

    #[test]
    fn fixes_never_lower_a_setting() {
        // The seed's invented cmdlets are never offered.
        for s in ADMIN_STEPS {
            for c in s.commands() {
                assert!(!c.run.contains("Set-TeamGuestAccess"));
                assert!(!c.run.contains("-enable "));
                assert!(!c.run.contains("New-MgBetaGroupSetting"), "{}", s.id);
            }
        }
        let spo = step("sharepoint-sharing").unwrap().fix.as_ref().unwrap();
        // Every Set-SPO* is guarded by a test for Disabled.
        for line in spo.run.lines() {
            if line.contains("Set-SPO") {
                assert!(
                    line.starts_with("if (") && line.contains("-eq 'Disabled'"),
                    "{line}"
                );
            }
        }
        let invite = step("entra-who-may-invite").unwrap().fix.as_ref().unwrap();
        assert!(invite.run.starts_with("if (") && !invite.run.contains("'everyone'"));
        let groups = step("m365-groups-guests").unwrap().fix.as_ref().unwrap();
        assert!(groups.run.contains("foreach ($v in $Setting.Values)"));
        let team = step("team-blocked-for-guests")
            .unwrap()
            .fix
            .as_ref()
            .unwrap();
        assert!(team.run.contains("Update-MgBetaGroupSetting"));
        // Only a team that has the setting is changed: without one it is not blocked here, and
        // an update with an empty setting id would fail with a confusing error.
        for line in team.run.lines().filter(|l| l.contains("Update-Mg")) {
            assert!(line.starts_with("if ($Setting) {"), "{line}");
        }
        let groups_update = groups.run.lines().position(|l| l.contains("Update-Mg"));
        let groups_guard = groups.run.lines().position(|l| l == "if ($Setting) {");
        assert!(groups_guard < groups_update && groups_guard.is_some());
        assert!(step("entra-guest-access-level").unwrap().fix.is_none());
    }

    /// The Dutch read-through, kept: one form of address (je, never u), Microsoft's Dutch terms,
    /// no translated leftovers. Checks every Dutch catalogue, not only the guide's.
    #[test]
    fn dutch_texts_keep_one_address_and_microsofts_terms() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.to_string_lossy().ends_with(".nl.yml") {
                continue;
            }
            checked += 1;
            for (n, line) in std::fs::read_to_string(&path).unwrap().lines().enumerate() {
                // Only the texts: keys and comments are not read aloud.
                let Some((_, value)) = line.split_once(": \"") else {
                    continue;
                };
                let words: Vec<String> = value
                    .split(|c: char| !c.is_alphanumeric() && c != '-')
                    .map(str::to_lowercase)
                    .collect();
                let at = format!("{}:{}: {value}", path.display(), n + 1);
                for formal in ["u", "uw", "kunt u", "heeft u"] {
                    assert!(!words.iter().any(|w| w == formal), "{at}");
                }
                let lower = value.to_lowercase();
                for wrong in [
                    "de support",
                    "toegangscode",
                    "kan niet aanmelden",
                    "kunnen aanmelden",
                    "inwisseling terug",
                    "(e)",
                    "/onderdelen",
                    "voorwaardelijke-toegang",
                    "compliant apparaat",
                    // Microsoft's Dutch pages write "Microsoft Entra-hybride gekoppeld apparaat"
                    // (learn.microsoft.com/nl-nl/entra/identity/conditional-access/
                    // howto-conditional-access-policy-compliant-device).
                    "hybride microsoft entra-gekoppeld",
                    // InPrivate is Edge's word; people use other browsers too: privévenster.
                    "inprivate-venster",
                ] {
                    assert!(!lower.contains(wrong), "{wrong:?} in {at}");
                }
            }
        }
        assert!(checked >= 8, "only {checked} Dutch catalogues found");
        // The Dutch quick start in the release zip is read aloud too.
        let quickstart = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("packaging/windows/QUICKSTART.nl.txt");
        let text = std::fs::read_to_string(quickstart).unwrap().to_lowercase();
        assert!(
            !text.contains("de support"),
            "QUICKSTART.nl.txt: 'de support'"
        );
    }

    /// Roles and portal paths where a review against Microsoft's pages found them wrong.
    #[test]
    fn roles_and_paths_as_microsoft_documents_them() {
        // entra/external-id/one-time-passcode: "Sign in ... as at least an Authentication
        // Policy Administrator. Browse to Entra ID > External Identities > All identity
        // providers. On the Built-in tab, next to Email one-time passcode, select Configured."
        let otp = step("email-one-time-passcode").unwrap();
        assert_eq!(otp.role_key, "role.auth_policy_admin");
        assert!(
            otp.portal
                .contains("All identity providers > Built-in > Email one-time passcode"),
            "{}",
            otp.portal
        );
        // graph/api/b2bmanagementpolicy-get (beta): least privileged delegated permission
        // Policy.Read.B2BManagementPolicy; Global Administrator is the only supported role.
        let lists = step("entra-domain-lists").unwrap();
        assert!(
            lists
                .check
                .connect
                .contains("Policy.Read.B2BManagementPolicy")
        );
        assert!(
            lists
                .check
                .run
                .starts_with("Get-MgBetaPolicyB2BManagementPolicy")
        );
        assert_eq!(lists.role_key, "role.global_admin");
        // entra/external-id/reset-redemption-status: Helpdesk Administrator (least privileged).
        assert_eq!(
            step("guest-redemption").unwrap().role_key,
            "role.helpdesk_admin"
        );
    }

    #[test]
    fn corrections_are_translated() {
        for c in CORRECTIONS {
            for lang in Lang::ALL {
                let key = format!("admin.corrections.{}", c.id);
                assert_ne!(tr(lang, &key), key);
            }
        }
    }
}
