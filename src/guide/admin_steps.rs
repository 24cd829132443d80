//! The server-side layers of guest access, in the order an admin should check them, with the
//! portal path, a read-only check, the fix, the role needed and the delay before it takes effect.
//! Facts from shared/reference/guest-access-admin.md section 2. Commands and portal paths are
//! data (Microsoft's own names); titles and explanations are in the catalogues under
//! `admin.<id>.*`.

#[derive(Debug)]
pub struct AdminStep {
    pub id: &'static str,
    /// Where to click; Microsoft's English labels, as in the portal.
    pub portal: &'static str,
    /// A read-only PowerShell check (changes nothing).
    pub check: &'static str,
    /// The fix; always optional, shown after the check.
    pub fix: &'static str,
    /// PowerShell connection needed first.
    pub connect: &'static str,
    /// Catalogue key of the role needed.
    pub role_key: &'static str,
    pub docs: &'static str,
}

const TEAMS: &str = "Connect-MicrosoftTeams";
const GRAPH: &str = "Connect-MgGraph -Scopes \"Policy.Read.All\",\"Directory.Read.All\"";
const SPO: &str = "Connect-SPOService -Url https://<tenant>-admin.sharepoint.com";
const IPPS: &str = "Connect-IPPSSession";

pub static ADMIN_STEPS: &[AdminStep] = &[
    AdminStep {
        id: "teams-guest-switch",
        portal: "Teams admin center > Users > Guest access > Allow guest access in Teams = On",
        check: "Get-CsTeamsClientConfiguration -Identity Global | Select-Object AllowGuestUser",
        fix: "Set-CsTeamsClientConfiguration -Identity Global -AllowGuestUser $true",
        connect: TEAMS,
        role_key: "role.teams_admin",
        docs: "https://learn.microsoft.com/microsoftteams/set-up-guests",
    },
    AdminStep {
        id: "teams-guest-calling",
        portal: "Teams admin center > Users > Guest access > Calling > Make private calls",
        check: "Get-CsTeamsGuestCallingConfiguration",
        fix: "Set-CsTeamsGuestCallingConfiguration -Identity Global -AllowPrivateCalling $true",
        connect: TEAMS,
        role_key: "role.teams_admin",
        docs: "https://learn.microsoft.com/microsoftteams/set-up-guests",
    },
    AdminStep {
        id: "teams-guest-meetings",
        portal: "Teams admin center > Users > Guest access > Meeting (IP video, Screen sharing mode, Meet now)",
        check: "Get-CsTeamsGuestMeetingConfiguration",
        fix: "Set-CsTeamsGuestMeetingConfiguration -Identity Global -AllowIPVideo $true -ScreenSharingMode EntireScreen -AllowMeetNow $true",
        connect: TEAMS,
        role_key: "role.teams_admin",
        docs: "https://learn.microsoft.com/microsoftteams/guest-access",
    },
    AdminStep {
        id: "teams-guest-messaging",
        portal: "Teams admin center > Users > Guest access > Messaging",
        check: "Get-CsTeamsGuestMessagingConfiguration",
        fix: "Set-CsTeamsGuestMessagingConfiguration -Identity Global -AllowUserChat $true -AllowUserEditMessage $true -AllowUserDeleteMessage $true",
        connect: TEAMS,
        role_key: "role.teams_admin",
        docs: "https://learn.microsoft.com/microsoftteams/guest-access",
    },
    AdminStep {
        id: "entra-who-may-invite",
        portal: "Microsoft Entra admin center > Entra ID > External Identities > External collaboration settings > Guest invite settings",
        check: "Get-MgPolicyAuthorizationPolicy | Select-Object AllowInvitesFrom",
        fix: "Update-MgPolicyAuthorizationPolicy -BodyParameter @{ allowInvitesFrom = \"adminsGuestInvitersAndAllMembers\" }",
        connect: GRAPH,
        role_key: "role.privileged_role_admin",
        docs: "https://learn.microsoft.com/entra/external-id/external-collaboration-settings-configure",
    },
    AdminStep {
        id: "entra-guest-access-level",
        portal: "Microsoft Entra admin center > Entra ID > External Identities > External collaboration settings > Guest user access",
        check: "Get-MgPolicyAuthorizationPolicy | Select-Object GuestUserRoleId",
        fix: "Update-MgPolicyAuthorizationPolicy -GuestUserRoleId '10dae51f-b6af-4016-8d66-8c2a99b929b3'",
        connect: GRAPH,
        role_key: "role.privileged_role_admin",
        docs: "https://learn.microsoft.com/entra/identity/users/users-restrict-guest-permissions",
    },
    AdminStep {
        id: "entra-domain-lists",
        portal: "Microsoft Entra admin center > Entra ID > External Identities > External collaboration settings > Collaboration restrictions",
        check: "Get-MgBetaPolicyB2BManagementPolicy",
        fix: "",
        connect: GRAPH,
        role_key: "role.global_admin",
        docs: "https://learn.microsoft.com/entra/external-id/allow-deny-list",
    },
    AdminStep {
        id: "entra-cross-tenant",
        portal: "Microsoft Entra admin center > Entra ID > External Identities > Cross-tenant access settings > Default settings / Organizational settings > B2B collaboration",
        check: "Get-MgPolicyCrossTenantAccessPolicyDefault | Select-Object -ExpandProperty B2BCollaborationInbound; Get-MgPolicyCrossTenantAccessPolicyPartner",
        fix: "Update-MgPolicyCrossTenantAccessPolicyDefault -B2BCollaborationInbound <hashtable>",
        connect: GRAPH,
        role_key: "role.security_admin",
        docs: "https://learn.microsoft.com/entra/external-id/cross-tenant-access-overview",
    },
    AdminStep {
        id: "entra-read-other-users",
        portal: "",
        check: "(Get-MgPolicyAuthorizationPolicy).DefaultUserRolePermissions.AllowedToReadOtherUsers",
        fix: "Update-MgPolicyAuthorizationPolicy -DefaultUserRolePermissions @{ allowedToReadOtherUsers = $true }",
        connect: GRAPH,
        role_key: "role.privileged_role_admin",
        docs: "https://learn.microsoft.com/graph/api/resources/authorizationpolicy",
    },
    AdminStep {
        id: "m365-groups-guests",
        portal: "Microsoft 365 admin center > Settings > Org settings > Microsoft 365 Groups",
        check: "(Get-MgBetaDirectorySetting | ? DisplayName -eq \"Group.Unified\").Values | ? Name -in \"AllowToAddGuests\",\"AllowGuestsToAccessGroups\"",
        fix: "Update-MgBetaDirectorySetting -DirectorySettingId <id> -BodyParameter @{ Values = @(@{Name=\"AllowToAddGuests\";Value=\"True\"},@{Name=\"AllowGuestsToAccessGroups\";Value=\"True\"}) }",
        connect: GRAPH,
        role_key: "role.global_admin",
        docs: "https://learn.microsoft.com/microsoft-365/admin/create-groups/manage-guest-access-in-groups",
    },
    AdminStep {
        id: "team-blocked-for-guests",
        portal: "",
        check: "Get-MgBetaGroupSetting -GroupId <id>",
        fix: "New-MgBetaGroupSetting -GroupId <id> -BodyParameter @{ templateId = \"08d542b9-071f-4e16-94b0-74abb372e3d9\"; values = @(@{ name=\"AllowToAddGuests\"; value=\"true\" }) }",
        connect: GRAPH,
        role_key: "role.groups_admin",
        docs: "https://learn.microsoft.com/microsoft-365/solutions/per-group-guest-access",
    },
    AdminStep {
        id: "sharepoint-sharing",
        portal: "SharePoint admin center > Policies > Sharing; per site: Sites > Active sites > site > Settings > More sharing settings",
        check: "Get-SPOTenant | Select-Object SharingCapability, SharingDomainRestrictionMode, SharingAllowedDomainList, SharingBlockedDomainList",
        fix: "Set-SPOTenant -SharingCapability ExternalUserSharingOnly; Set-SPOSite -Identity <url> -SharingCapability ExternalUserSharingOnly",
        connect: SPO,
        role_key: "role.sharepoint_admin",
        docs: "https://learn.microsoft.com/sharepoint/turn-external-sharing-on-or-off",
    },
    AdminStep {
        id: "sensitivity-label",
        portal: "Microsoft Purview > Information protection > Sensitivity labels > label (Groups & sites) > Privacy and external user access",
        check: "Get-Label -Identity \"<label>\" -IncludeDetailedLabelActions",
        fix: "Set-Label -Identity \"<label>\" -SiteAndGroupProtectionAllowAccessToGuestUsers $true",
        connect: IPPS,
        role_key: "role.compliance_admin",
        docs: "https://learn.microsoft.com/purview/sensitivity-labels-teams-groups-sites",
    },
    AdminStep {
        id: "hybrid-sync",
        portal: "Microsoft Entra Connect server",
        check: "Get-ADSyncScheduler",
        fix: "Start-ADSyncSyncCycle -PolicyType Delta",
        connect: "",
        role_key: "role.hybrid_admin",
        docs: "https://learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-sync-feature-scheduler",
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
];

/// The Microsoft self-help diagnostics admins can run (change nothing).
pub const GUEST_DIAG_URL: &str = "https://aka.ms/TeamsGuestAccessDiag";
pub const FILES_DIAG_URL: &str = "https://aka.ms/TeamsFilesGuestAccessDiag";
pub const ERROR_CODES_URL: &str =
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes";
pub const CLEAR_CACHE_URL: &str = "https://learn.microsoft.com/troubleshoot/microsoftteams/teams-administration/clear-teams-cache";

pub fn step(id: &str) -> Option<&'static AdminStep> {
    ADMIN_STEPS.iter().find(|s| s.id == id)
}

pub fn title_key(id: &str) -> String {
    format!("admin.{id}.title")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::i18n::{Lang, tr};

    #[test]
    fn steps_are_complete_and_use_real_cmdlets() {
        assert_eq!(ADMIN_STEPS.len(), 14);
        let mut ids = std::collections::HashSet::new();
        for s in ADMIN_STEPS {
            assert!(ids.insert(s.id));
            assert!(
                s.docs.starts_with("https://learn.microsoft.com"),
                "{}",
                s.id
            );
            assert!(!s.check.is_empty(), "{} needs a read-only check", s.id);
            assert!(
                s.check.starts_with("Get-") || s.check.starts_with("(Get-"),
                "{}: checks must be read-only",
                s.id
            );
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
        // The seed's invented cmdlets must never be offered as a fix.
        for s in ADMIN_STEPS {
            assert!(!s.fix.contains("Set-TeamGuestAccess"));
            assert!(!s.check.contains("-enable"));
        }
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
