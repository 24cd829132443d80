//! What the audit script reads, as data: the four connections (module, connect command, read
//! scopes, least-privileged role) and, per layer, the read-only commands it runs, the JSON keys it
//! writes and the role that suffices, with the Microsoft pages these facts come from. The script
//! generator (`script.rs`) turns this table into PowerShell; the reader (`facts.rs`) reads the
//! keys back by the same table.
//!
//! Each `body` is PowerShell that runs inside a `try` with `$v` (the values to write) in scope;
//! it may use `$Guest`, `$Team`, `$GuestUser`, `$TeamGroup`, `$TeamLabelId` and `$ToAccess`
//! (see `script.rs`). A body only calls `Get-*` commands and `Invoke-MgGraphRequest -Method GET`.

/// One connection the script makes.
#[derive(Debug)]
pub struct Part {
    pub id: &'static str,
    pub name: &'static str,
    /// Modules to import; the first is the one that connects.
    pub modules: &'static [&'static str],
    /// The connect command as the header shows it.
    pub connect: &'static str,
    pub disconnect: &'static str,
    /// Microsoft Graph scopes asked for (read-only).
    pub scopes: &'static [&'static str],
    /// The least-privileged role that can read everything this part reads (Microsoft's name).
    pub role: &'static str,
    /// Where the role and the module come from.
    pub docs: &'static [&'static str],
    /// Which PowerShell runs it (a note for the header and the README).
    pub edition: &'static str,
    /// When the part is not needed or cannot run here: a PowerShell condition, the status and
    /// the reason written for it.
    pub skip: Option<Skip>,
    /// PowerShell that imports the modules and connects (inside a `try`; `$Part` in scope).
    pub connect_body: &'static str,
}

#[derive(Debug)]
pub struct Skip {
    pub when: &'static str,
    pub status: &'static str,
    pub reason: &'static str,
}

pub static PARTS: &[Part] = &[
    Part {
        id: "graph",
        name: "Microsoft Graph (Entra ID, Microsoft 365 Groups, the guest, the team)",
        modules: &[
            "Microsoft.Graph.Authentication",
            "Microsoft.Graph.Identity.SignIns",
            "Microsoft.Graph.Identity.DirectoryManagement",
            "Microsoft.Graph.Users",
            "Microsoft.Graph.Groups",
            "Microsoft.Graph.Applications",
        ],
        connect: "Connect-MgGraph -Scopes $GraphScopes",
        disconnect: "Disconnect-MgGraph",
        scopes: &[
            "Policy.Read.All",
            "Directory.Read.All",
            "Policy.Read.B2BManagementPolicy",
            "Policy.Read.AuthenticationMethod",
            "CrossTenantInformation.ReadBasic.All",
        ],
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/authorizationpolicy-get",
            "https://learn.microsoft.com/graph/api/crosstenantaccesspolicy-get",
            "https://learn.microsoft.com/graph/api/b2bmanagementpolicy-get?view=graph-rest-beta",
            "https://learn.microsoft.com/graph/api/tenantrelationship-findtenantinformationbydomainname",
            "https://learn.microsoft.com/graph/api/group-list-settings",
        ],
        edition: "PowerShell 7 or Windows PowerShell 5.1",
        skip: None,
        connect_body: r#"foreach ($name in @($Part.modules.Keys)) { Import-Module $name -ErrorAction Stop }
Connect-MgGraph -Scopes $GraphScopes -ErrorAction Stop
$Part.account = [string](Get-MgContext).Account"#,
    },
    Part {
        id: "teams",
        name: "Microsoft Teams (the guest switch and the guest calling, meeting and messaging settings)",
        modules: &["MicrosoftTeams"],
        connect: "Connect-MicrosoftTeams",
        disconnect: "Disconnect-MicrosoftTeams",
        scopes: &[],
        role: "Teams Reader (or Global Reader)",
        docs: &[
            "https://learn.microsoft.com/powershell/module/teams/get-csteamsclientconfiguration",
            "https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference#teams-reader",
        ],
        edition: "PowerShell 7 or Windows PowerShell 5.1",
        skip: None,
        connect_body: r#"Import-Module MicrosoftTeams -ErrorAction Stop
$null = Connect-MicrosoftTeams -ErrorAction Stop"#,
    },
    Part {
        id: "sharepoint",
        name: "SharePoint Online (external sharing of the tenant and of the team's site)",
        modules: &["Microsoft.Online.SharePoint.PowerShell"],
        connect: "Connect-SPOService -Url $SharePointAdminUrl",
        disconnect: "Disconnect-SPOService",
        scopes: &[],
        role: "SharePoint Administrator (Connect-SPOService accepts no read-only role)",
        docs: &[
            "https://learn.microsoft.com/powershell/module/sharepoint-online/connect-sposervice",
            "https://learn.microsoft.com/powershell/sharepoint/sharepoint-online/connect-sharepoint-online",
        ],
        edition: "Windows PowerShell 5.1; in PowerShell 7 on Windows the script loads it with Import-Module -UseWindowsPowerShell",
        skip: Some(Skip {
            when: "-not ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows)",
            status: "not_supported",
            reason: "The SharePoint Online Management Shell runs only on Windows.",
        }),
        // Microsoft's maintainers: Windows PowerShell is the version the module is made for; in
        // PowerShell 7 it loads through the Windows PowerShell compatibility layer.
        connect_body: r#"if ($PSVersionTable.PSEdition -eq 'Core') { Import-Module Microsoft.Online.SharePoint.PowerShell -UseWindowsPowerShell -WarningAction SilentlyContinue -ErrorAction Stop }
else { Import-Module Microsoft.Online.SharePoint.PowerShell -DisableNameChecking -ErrorAction Stop }
if (-not $SharePointAdminUrl -and $Result.lookups['tenant'] -and $Result.lookups['tenant']['values'].InitialDomain) {
    $SharePointAdminUrl = 'https://' + ($Result.lookups['tenant']['values'].InitialDomain -replace '\.onmicrosoft\.com$', '') + '-admin.sharepoint.com'
}
if (-not $SharePointAdminUrl) { throw 'The address of the SharePoint admin centre is not known: run the script again with -SharePointAdminUrl https://<tenant>-admin.sharepoint.com' }
$SharePointRootUrl = $SharePointAdminUrl -replace '-admin\.sharepoint\.com.*$', '.sharepoint.com'
$Part.admin_url = $SharePointAdminUrl
Connect-SPOService -Url $SharePointAdminUrl -ErrorAction Stop"#,
    },
    Part {
        id: "purview",
        name: "Security & Compliance PowerShell (the team's sensitivity label; only when the team has one)",
        modules: &["ExchangeOnlineManagement"],
        connect: "Connect-IPPSSession",
        disconnect: "Disconnect-ExchangeOnline -Confirm:$false",
        scopes: &[],
        role: "Compliance Administrator (estimated: the Get-Label page names no read-only role)",
        docs: &[
            "https://learn.microsoft.com/powershell/module/exchange/get-label",
            "https://learn.microsoft.com/purview/sensitivity-labels-teams-groups-sites",
        ],
        edition: "PowerShell 7 or Windows PowerShell 5.1",
        skip: Some(Skip {
            when: "-not $TeamLabelId",
            status: "not_needed",
            reason: "No team with a sensitivity label was given: no label to read.",
        }),
        connect_body: r#"Import-Module ExchangeOnlineManagement -ErrorAction Stop
Connect-IPPSSession -ErrorAction Stop"#,
    },
];

pub fn part(id: &str) -> Option<&'static Part> {
    PARTS.iter().find(|p| p.id == id)
}

/// Where a read writes its values in the result file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `layers.<id>`: the values that decide an audit layer.
    Layer(&'static str),
    /// `lookups.<id>`: something other reads build on (the tenant, the team).
    Lookup(&'static str),
}

impl Target {
    pub fn id(self) -> &'static str {
        match self {
            Target::Layer(id) | Target::Lookup(id) => id,
        }
    }

    pub fn section(self) -> &'static str {
        match self {
            Target::Layer(_) => "layers",
            Target::Lookup(_) => "lookups",
        }
    }
}

/// What a read needs from the inputs or from earlier reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// `-Guest` was given.
    Guest,
    /// `-Team` was given and found.
    Team,
    /// The guest's account and the team were both found.
    GuestAndTeam,
    /// The team was found and carries a sensitivity label.
    TeamLabel,
}

/// The JSON type a key is written with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bool,
    /// A string (enum values are written as their names).
    Text,
    /// A string or null.
    OptText,
    /// A number.
    Count,
    /// A date (ISO 8601) or null.
    OptTime,
    /// Anything: objects and lists the reader looks into itself.
    Json,
}

#[derive(Clone, Copy, Debug)]
pub struct Key {
    pub name: &'static str,
    pub kind: Kind,
    /// The key may be absent even when the read succeeded (written only in some cases).
    pub optional: bool,
}

const fn key(name: &'static str, kind: Kind) -> Key {
    Key {
        name,
        kind,
        optional: false,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Key {
    Key {
        name,
        kind,
        optional: true,
    }
}

#[derive(Debug)]
pub struct Read {
    pub target: Target,
    pub part: &'static str,
    /// The module whose commands the body calls.
    pub module: &'static str,
    /// The read-only commands the body calls, as written in it.
    pub commands: &'static [&'static str],
    pub keys: &'static [Key],
    pub needs: Needs,
    /// The least-privileged role that can run the commands (Microsoft's name).
    pub role: &'static str,
    /// The Microsoft pages for the commands, their permissions and the values' meaning.
    pub docs: &'static [&'static str],
    pub body: &'static str,
}

const GRAPH_AUTH: &str = "Microsoft.Graph.Authentication";
const SIGNINS: &str = "Microsoft.Graph.Identity.SignIns";

/// In the order the script runs them (a read comes after the reads it builds on).
pub static READS: &[Read] = &[
    // ---- Microsoft Graph ------------------------------------------------------------------
    Read {
        target: Target::Lookup("tenant"),
        part: "graph",
        module: "Microsoft.Graph.Identity.DirectoryManagement",
        commands: &["Get-MgContext", "Get-MgOrganization"],
        keys: &[
            key("TenantId", Kind::Text),
            key("Account", Kind::OptText),
            key("DisplayName", Kind::OptText),
            key("InitialDomain", Kind::OptText),
        ],
        needs: Needs::Nothing,
        role: "Global Reader",
        docs: &["https://learn.microsoft.com/graph/api/organization-get"],
        body: r#"$context = Get-MgContext
$org = @(Get-MgOrganization -ErrorAction Stop)[0]
$v.TenantId = [string]$org.Id
$v.Account = [string]$context.Account
$v.DisplayName = [string]$org.DisplayName
$v.InitialDomain = $null
foreach ($d in $org.VerifiedDomains) { if ($d.IsInitial) { $v.InitialDomain = [string]$d.Name } }
$Result.tenant_id = $v.TenantId
$Result.ran_by = $v.Account"#,
    },
    Read {
        target: Target::Lookup("guest"),
        part: "graph",
        module: "Microsoft.Graph.Users",
        commands: &["Get-MgUser"],
        keys: &[
            key("Found", Kind::Bool),
            key("Matches", Kind::Count),
            opt("Id", Kind::OptText),
            opt("UserPrincipalName", Kind::OptText),
            opt("DisplayName", Kind::OptText),
            opt("AccountEnabled", Kind::Bool),
            opt("UserType", Kind::OptText),
            opt("ExternalUserState", Kind::OptText),
            opt("ExternalUserStateChangeDateTime", Kind::OptTime),
            opt("CreationType", Kind::OptText),
        ],
        needs: Needs::Guest,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/user-list",
            "https://learn.microsoft.com/graph/api/resources/user",
        ],
        body: r#"$properties = 'Id', 'DisplayName', 'UserPrincipalName', 'Mail', 'AccountEnabled', 'UserType', 'ExternalUserState', 'ExternalUserStateChangeDateTime', 'CreationType'
$address = $Guest.Replace("'", "''")
$users = @(Get-MgUser -Filter "mail eq '$address'" -Property $properties -ErrorAction Stop)
if ($users.Count -eq 0) { $users = @(Get-MgUser -Filter "otherMails/any(m:m eq '$address')" -Property $properties -ErrorAction Stop) }
$v.Found = ($users.Count -gt 0)
$v.Matches = $users.Count
if ($users.Count -gt 0) {
    $u = $users[0]
    $GuestUser = $u
    $v.Id = [string]$u.Id
    $v.UserPrincipalName = [string]$u.UserPrincipalName
    $v.DisplayName = [string]$u.DisplayName
    $v.AccountEnabled = [bool]$u.AccountEnabled
    $v.UserType = [string]$u.UserType
    $v.ExternalUserState = $u.ExternalUserState
    $v.ExternalUserStateChangeDateTime = $null
    if ($u.ExternalUserStateChangeDateTime) { $v.ExternalUserStateChangeDateTime = ([datetime]$u.ExternalUserStateChangeDateTime).ToUniversalTime().ToString('o') }
    $v.CreationType = $u.CreationType
}"#,
    },
    Read {
        target: Target::Lookup("team"),
        part: "graph",
        module: "Microsoft.Graph.Groups",
        commands: &["Get-MgGroup"],
        keys: &[
            key("Found", Kind::Bool),
            key("Matches", Kind::Count),
            opt("Id", Kind::OptText),
            opt("DisplayName", Kind::OptText),
            opt("MailNickname", Kind::OptText),
            opt("IsTeam", Kind::Bool),
            opt("AssignedLabels", Kind::Json),
        ],
        needs: Needs::Team,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/group-get",
            "https://learn.microsoft.com/graph/api/resources/group",
        ],
        body: r#"$properties = 'Id', 'DisplayName', 'MailNickname', 'ResourceProvisioningOptions', 'AssignedLabels'
if ($Team -match '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$') {
    try { $groups = @(Get-MgGroup -GroupId $Team -Property $properties -ErrorAction Stop) }
    catch { if ($_.Exception.Message -match 'NotFound|does not exist') { $groups = @() } else { throw } }
} else {
    $name = $Team.Replace("'", "''")
    $groups = @(Get-MgGroup -Filter "displayName eq '$name'" -Property $properties -All -ErrorAction Stop)
}
$v.Found = ($groups.Count -eq 1)
$v.Matches = $groups.Count
if ($groups.Count -eq 1) {
    $g = $groups[0]
    $TeamGroup = $g
    $v.Id = [string]$g.Id
    $v.DisplayName = [string]$g.DisplayName
    $v.MailNickname = [string]$g.MailNickname
    $v.IsTeam = (@($g.ResourceProvisioningOptions) -contains 'Team')
    $v.AssignedLabels = @(foreach ($l in $g.AssignedLabels) { [ordered]@{ LabelId = [string]$l.LabelId; DisplayName = [string]$l.DisplayName } })
    if ($v.AssignedLabels.Count -gt 0) { $TeamLabelId = $v.AssignedLabels[0].LabelId }
}"#,
    },
    Read {
        target: Target::Layer("entra-who-may-invite"),
        part: "graph",
        module: SIGNINS,
        commands: &["Get-MgPolicyAuthorizationPolicy"],
        keys: &[key("AllowInvitesFrom", Kind::Text)],
        needs: Needs::Nothing,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/authorizationpolicy-get",
            "https://learn.microsoft.com/entra/external-id/external-collaboration-settings-configure",
        ],
        body: r#"$policy = Get-MgPolicyAuthorizationPolicy -ErrorAction Stop
$v.AllowInvitesFrom = [string]$policy.AllowInvitesFrom"#,
    },
    Read {
        target: Target::Layer("entra-guest-access-level"),
        part: "graph",
        module: SIGNINS,
        commands: &["Get-MgPolicyAuthorizationPolicy"],
        keys: &[key("GuestUserRoleId", Kind::Text)],
        needs: Needs::Nothing,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/authorizationpolicy-get",
            "https://learn.microsoft.com/entra/identity/users/users-restrict-guest-permissions",
        ],
        body: r#"$policy = Get-MgPolicyAuthorizationPolicy -ErrorAction Stop
$v.GuestUserRoleId = [string]$policy.GuestUserRoleId"#,
    },
    Read {
        target: Target::Layer("entra-read-other-users"),
        part: "graph",
        module: SIGNINS,
        commands: &["Get-MgPolicyAuthorizationPolicy"],
        keys: &[key("AllowedToReadOtherUsers", Kind::Bool)],
        needs: Needs::Nothing,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/authorizationpolicy-get",
            "https://learn.microsoft.com/graph/api/resources/authorizationpolicy",
        ],
        body: r#"$policy = Get-MgPolicyAuthorizationPolicy -ErrorAction Stop
$v.AllowedToReadOtherUsers = $policy.DefaultUserRolePermissions.AllowedToReadOtherUsers"#,
    },
    Read {
        target: Target::Layer("entra-domain-lists"),
        part: "graph",
        module: GRAPH_AUTH,
        commands: &["Invoke-MgGraphRequest"],
        keys: &[key("Policies", Kind::Json)],
        needs: Needs::Nothing,
        role: "Global Reader (estimated: the page names the scope, not a read role)",
        docs: &[
            "https://learn.microsoft.com/graph/api/b2bmanagementpolicy-get?view=graph-rest-beta",
            "https://learn.microsoft.com/entra/external-id/allow-deny-list",
        ],
        // Beta only, and the key names inside `definition` differ between Microsoft's samples:
        // the script writes the definitions as they are and the reader looks for the lists.
        body: r#"$response = Invoke-MgGraphRequest -Method GET -Uri 'https://graph.microsoft.com/beta/policies/b2bManagementPolicies' -ErrorAction Stop
$v.Policies = @(foreach ($p in @($response.value)) { [ordered]@{ id = [string]$p.id; definition = @($p.definition) } })"#,
    },
    Read {
        target: Target::Layer("entra-cross-tenant"),
        part: "graph",
        module: SIGNINS,
        commands: &[
            "Get-MgPolicyCrossTenantAccessPolicyDefault",
            "Invoke-MgGraphRequest",
            "Get-MgPolicyCrossTenantAccessPolicyPartner",
        ],
        keys: &[
            key("DefaultB2BCollaborationInbound", Kind::Json),
            key("DefaultInboundTrust", Kind::Json),
            opt("GuestDomain", Kind::OptText),
            opt("HomeTenantLookup", Kind::OptText),
            opt("HomeTenantLookupError", Kind::OptText),
            opt("HomeTenantId", Kind::OptText),
            opt("PartnerFound", Kind::Bool),
            opt("PartnerB2BCollaborationInbound", Kind::Json),
            opt("PartnerInboundTrust", Kind::Json),
        ],
        needs: Needs::Nothing,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/crosstenantaccesspolicy-get",
            "https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicyconfigurationpartner",
            "https://learn.microsoft.com/graph/api/tenantrelationship-findtenantinformationbydomainname",
            "https://learn.microsoft.com/entra/external-id/cross-tenant-access-overview",
        ],
        body: r#"$default = Get-MgPolicyCrossTenantAccessPolicyDefault -ErrorAction Stop
$v.DefaultB2BCollaborationInbound = & $ToAccess $default.B2BCollaborationInbound
$v.DefaultInboundTrust = & $ToTrust $default.InboundTrust
if ($Guest) {
    # The guest's home organisation, found from the domain of the address.
    $v.GuestDomain = $Guest.Split('@')[-1].ToLowerInvariant()
    $domain = $v.GuestDomain.Replace("'", "''")
    try {
        $info = Invoke-MgGraphRequest -Method GET -Uri ("https://graph.microsoft.com/v1.0/tenantRelationships/findTenantInformationByDomainName(domainName='" + $domain + "')") -ErrorAction Stop
        $v.HomeTenantId = [string]$info.tenantId
        $v.HomeTenantLookup = 'found'
    } catch {
        if ($_.Exception.Message -match 'NotFound|404') { $v.HomeTenantLookup = 'not_found' }
        else { $v.HomeTenantLookup = 'failed'; $v.HomeTenantLookupError = $_.Exception.Message }
    }
    if ($v.HomeTenantId) {
        $v.PartnerFound = $false
        foreach ($partner in @(Get-MgPolicyCrossTenantAccessPolicyPartner -All -ErrorAction Stop)) {
            if ([string]$partner.TenantId -eq $v.HomeTenantId) {
                $v.PartnerFound = $true
                $v.PartnerB2BCollaborationInbound = & $ToAccess $partner.B2BCollaborationInbound
                $v.PartnerInboundTrust = & $ToTrust $partner.InboundTrust
            }
        }
    }
}"#,
    },
    Read {
        target: Target::Layer("email-one-time-passcode"),
        part: "graph",
        module: GRAPH_AUTH,
        commands: &["Invoke-MgGraphRequest"],
        keys: &[
            key("State", Kind::OptText),
            key("AllowExternalIdToUseEmailOtp", Kind::OptText),
        ],
        needs: Needs::Nothing,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/resources/emailauthenticationmethodconfiguration",
            "https://learn.microsoft.com/entra/external-id/one-time-passcode",
        ],
        body: r#"$email = Invoke-MgGraphRequest -Method GET -Uri 'https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email' -ErrorAction Stop
$v.State = [string]$email.state
$v.AllowExternalIdToUseEmailOtp = [string]$email.allowExternalIdToUseEmailOtp"#,
    },
    Read {
        target: Target::Layer("conditional-access"),
        part: "graph",
        module: SIGNINS,
        commands: &["Get-MgIdentityConditionalAccessPolicy"],
        keys: &[key("Policies", Kind::Json)],
        needs: Needs::Nothing,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/conditionalaccessroot-list-policies",
            "https://learn.microsoft.com/entra/external-id/authentication-conditional-access",
        ],
        // Listed, not evaluated: the reader names the enabled policies that include guests.
        body: r#"$v.Policies = @(foreach ($p in @(Get-MgIdentityConditionalAccessPolicy -All -ErrorAction Stop)) {
    $users = $p.Conditions.Users
    [ordered]@{
        DisplayName = [string]$p.DisplayName
        State = [string]$p.State
        IncludeUsers = @($users.IncludeUsers)
        ExcludeUsers = @($users.ExcludeUsers)
        IncludeGuestOrExternalUserTypes = [string]$users.IncludeGuestsOrExternalUsers.GuestOrExternalUserTypes
        ExcludeGuestOrExternalUserTypes = [string]$users.ExcludeGuestsOrExternalUsers.GuestOrExternalUserTypes
        BuiltInControls = @($p.GrantControls.BuiltInControls)
        AuthenticationStrength = [string]$p.GrantControls.AuthenticationStrength.DisplayName
        TermsOfUse = @($p.GrantControls.TermsOfUse).Count
    }
})"#,
    },
    Read {
        target: Target::Layer("m365-groups-guests"),
        part: "graph",
        module: "Microsoft.Graph.Groups",
        commands: &["Get-MgGroupSetting"],
        keys: &[
            key("GroupUnifiedFound", Kind::Bool),
            opt("SettingId", Kind::OptText),
            opt("AllowToAddGuests", Kind::OptText),
            opt("AllowGuestsToAccessGroups", Kind::OptText),
        ],
        needs: Needs::Nothing,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/group-list-settings",
            "https://learn.microsoft.com/microsoft-365/admin/create-groups/manage-guest-access-in-groups",
        ],
        // No Group.Unified setting means both values are at their default, True. Should
        // there be more than one, a False in any of them is kept (as the reader of a
        // ScubaGear export does).
        body: r#"$v.GroupUnifiedFound = $false
foreach ($s in @(Get-MgGroupSetting -ErrorAction Stop)) {
    if ($s.DisplayName -eq 'Group.Unified' -or $s.TemplateId -eq '62375ab9-6b52-47ed-826b-58e47e0e304b') {
        if (-not $v.GroupUnifiedFound) { $v.SettingId = [string]$s.Id }
        $v.GroupUnifiedFound = $true
        foreach ($x in $s.Values) {
            if ($x.Name -eq 'AllowToAddGuests' -and "$($v.AllowToAddGuests)" -ne 'False') { $v.AllowToAddGuests = [string]$x.Value }
            if ($x.Name -eq 'AllowGuestsToAccessGroups' -and "$($v.AllowGuestsToAccessGroups)" -ne 'False') { $v.AllowGuestsToAccessGroups = [string]$x.Value }
        }
    }
}"#,
    },
    Read {
        target: Target::Layer("team-blocked-for-guests"),
        part: "graph",
        module: "Microsoft.Graph.Groups",
        commands: &["Get-MgGroupSetting"],
        keys: &[
            key("GuestSettingFound", Kind::Bool),
            opt("AllowToAddGuests", Kind::OptText),
        ],
        needs: Needs::Team,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/group-list-settings",
            "https://learn.microsoft.com/microsoft-365/solutions/per-group-guest-access",
        ],
        body: r#"$v.GuestSettingFound = $false
foreach ($s in @(Get-MgGroupSetting -GroupId $TeamGroup.Id -ErrorAction Stop)) {
    if ($s.DisplayName -eq 'Group.Unified.Guest' -or $s.TemplateId -eq '08d542b9-071f-4e16-94b0-74abb372e3d9') {
        $v.GuestSettingFound = $true
        foreach ($x in $s.Values) { if ($x.Name -eq 'AllowToAddGuests') { $v.AllowToAddGuests = [string]$x.Value } }
    }
}"#,
    },
    Read {
        target: Target::Layer("team-membership"),
        part: "graph",
        module: "Microsoft.Graph.Groups",
        commands: &["Get-MgGroupMember"],
        keys: &[key("IsMember", Kind::Bool), key("MemberCount", Kind::Count)],
        needs: Needs::GuestAndTeam,
        role: "Global Reader",
        docs: &["https://learn.microsoft.com/graph/api/group-list-members"],
        body: r#"$members = @(Get-MgGroupMember -GroupId $TeamGroup.Id -All -ErrorAction Stop)
$v.IsMember = $false
foreach ($m in $members) { if ($m.Id -eq $GuestUser.Id) { $v.IsMember = $true } }
$v.MemberCount = $members.Count"#,
    },
    Read {
        target: Target::Layer("teams-app-assignment"),
        part: "graph",
        module: "Microsoft.Graph.Applications",
        commands: &["Get-MgServicePrincipal"],
        keys: &[
            key("Found", Kind::Bool),
            key("AppRoleAssignmentRequired", Kind::Bool),
            key("AppIds", Kind::Json),
        ],
        needs: Needs::Nothing,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/serviceprincipal-list",
            "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50105-user-not-assigned-role",
        ],
        // The same service principal the Admin tab's check looks at, by its display name.
        body: r#"$apps = @(Get-MgServicePrincipal -Filter "displayName eq 'Microsoft Teams'" -Property 'Id', 'AppId', 'DisplayName', 'AppRoleAssignmentRequired' -ErrorAction Stop)
$v.Found = ($apps.Count -gt 0)
$v.AppRoleAssignmentRequired = $false
foreach ($a in $apps) { if ($a.AppRoleAssignmentRequired) { $v.AppRoleAssignmentRequired = $true } }
$v.AppIds = @(foreach ($a in $apps) { [string]$a.AppId })"#,
    },
    Read {
        target: Target::Layer("invitation-conflicts"),
        part: "graph",
        module: "Microsoft.Graph.Identity.DirectoryManagement",
        commands: &["Get-MgUser", "Get-MgGroup", "Get-MgContact"],
        keys: &[
            key("Users", Kind::Json),
            key("Groups", Kind::Json),
            key("Contacts", Kind::Json),
        ],
        needs: Needs::Guest,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/entra/external-id/troubleshoot",
            "https://learn.microsoft.com/graph/api/orgcontact-list",
        ],
        // Other objects with the guest's address among their proxy addresses (the guest's own
        // account has it too and is left out).
        body: r#"$address = $Guest.Replace("'", "''")
$v.Users = @(foreach ($u in @(Get-MgUser -Filter "proxyAddresses/any(p:p eq 'SMTP:$address')" -Property 'Id', 'UserPrincipalName' -ErrorAction Stop)) { if (-not $GuestUser -or $u.Id -ne $GuestUser.Id) { [string]$u.UserPrincipalName } })
$v.Groups = @(foreach ($g in @(Get-MgGroup -Filter "proxyAddresses/any(p:p eq 'SMTP:$address')" -Property 'Id', 'DisplayName' -ErrorAction Stop)) { [string]$g.DisplayName })
$v.Contacts = @(foreach ($c in @(Get-MgContact -All -Property 'Id', 'DisplayName', 'Mail' -ErrorAction Stop)) { if ([string]$c.Mail -eq $Guest) { [string]$c.DisplayName } })"#,
    },
    Read {
        target: Target::Layer("hybrid-sync"),
        part: "graph",
        module: "Microsoft.Graph.Identity.DirectoryManagement",
        commands: &["Get-MgOrganization"],
        keys: &[
            key("OnPremisesSyncEnabled", Kind::Bool),
            key("OnPremisesLastSyncDateTime", Kind::OptTime),
        ],
        needs: Needs::Nothing,
        role: "Global Reader",
        docs: &[
            "https://learn.microsoft.com/graph/api/resources/organization",
            "https://learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-sync-feature-scheduler",
        ],
        body: r#"$org = @(Get-MgOrganization -ErrorAction Stop)[0]
$v.OnPremisesSyncEnabled = [bool]$org.OnPremisesSyncEnabled
$v.OnPremisesLastSyncDateTime = $null
if ($org.OnPremisesLastSyncDateTime) { $v.OnPremisesLastSyncDateTime = ([datetime]$org.OnPremisesLastSyncDateTime).ToUniversalTime().ToString('o') }"#,
    },
    // ---- Microsoft Teams ----------------------------------------------------------------------
    Read {
        target: Target::Layer("teams-guest-switch"),
        part: "teams",
        module: "MicrosoftTeams",
        commands: &["Get-CsTeamsClientConfiguration"],
        keys: &[key("AllowGuestUser", Kind::Bool)],
        needs: Needs::Nothing,
        role: "Teams Reader",
        docs: &[
            "https://learn.microsoft.com/powershell/module/teams/get-csteamsclientconfiguration",
            "https://learn.microsoft.com/microsoftteams/set-up-guests",
        ],
        body: r#"$config = Get-CsTeamsClientConfiguration -Identity Global -ErrorAction Stop
$v.AllowGuestUser = $config.AllowGuestUser"#,
    },
    Read {
        target: Target::Layer("teams-guest-calling"),
        part: "teams",
        module: "MicrosoftTeams",
        commands: &["Get-CsTeamsGuestCallingConfiguration"],
        keys: &[key("AllowPrivateCalling", Kind::Bool)],
        needs: Needs::Nothing,
        role: "Teams Reader",
        docs: &[
            "https://learn.microsoft.com/powershell/module/teams/get-csteamsguestcallingconfiguration",
        ],
        body: r#"$config = Get-CsTeamsGuestCallingConfiguration -Identity Global -ErrorAction Stop
$v.AllowPrivateCalling = $config.AllowPrivateCalling"#,
    },
    Read {
        target: Target::Layer("teams-guest-meetings"),
        part: "teams",
        module: "MicrosoftTeams",
        commands: &["Get-CsTeamsGuestMeetingConfiguration"],
        keys: &[
            key("AllowIPVideo", Kind::Bool),
            key("ScreenSharingMode", Kind::Text),
            key("AllowMeetNow", Kind::Bool),
        ],
        needs: Needs::Nothing,
        role: "Teams Reader",
        docs: &[
            "https://learn.microsoft.com/powershell/module/teams/get-csteamsguestmeetingconfiguration",
        ],
        body: r#"$config = Get-CsTeamsGuestMeetingConfiguration -Identity Global -ErrorAction Stop
$v.AllowIPVideo = $config.AllowIPVideo
$v.ScreenSharingMode = [string]$config.ScreenSharingMode
$v.AllowMeetNow = $config.AllowMeetNow"#,
    },
    Read {
        target: Target::Layer("teams-guest-messaging"),
        part: "teams",
        module: "MicrosoftTeams",
        commands: &["Get-CsTeamsGuestMessagingConfiguration"],
        keys: &[
            key("AllowUserChat", Kind::Bool),
            key("AllowUserEditMessage", Kind::Bool),
            key("AllowUserDeleteMessage", Kind::Bool),
        ],
        needs: Needs::Nothing,
        role: "Teams Reader",
        docs: &[
            "https://learn.microsoft.com/powershell/module/teams/get-csteamsguestmessagingconfiguration",
        ],
        body: r#"$config = Get-CsTeamsGuestMessagingConfiguration -Identity Global -ErrorAction Stop
$v.AllowUserChat = $config.AllowUserChat
$v.AllowUserEditMessage = $config.AllowUserEditMessage
$v.AllowUserDeleteMessage = $config.AllowUserDeleteMessage"#,
    },
    // ---- SharePoint Online --------------------------------------------------------------------
    Read {
        target: Target::Layer("sharepoint-sharing"),
        part: "sharepoint",
        module: "Microsoft.Online.SharePoint.PowerShell",
        commands: &["Get-SPOTenant", "Get-SPOSite"],
        keys: &[
            key("SharingCapability", Kind::Text),
            key("SharingDomainRestrictionMode", Kind::OptText),
            key("SharingAllowedDomainList", Kind::OptText),
            key("SharingBlockedDomainList", Kind::OptText),
            opt("SiteUrl", Kind::OptText),
            opt("SiteSharingCapability", Kind::OptText),
            opt("SiteNote", Kind::OptText),
        ],
        needs: Needs::Nothing,
        role: "SharePoint Administrator",
        docs: &[
            "https://learn.microsoft.com/powershell/module/sharepoint-online/get-spotenant",
            "https://learn.microsoft.com/powershell/module/sharepoint-online/get-sposite",
            "https://learn.microsoft.com/sharepoint/turn-external-sharing-on-or-off",
        ],
        body: r#"$tenant = Get-SPOTenant -ErrorAction Stop
$v.SharingCapability = [string]$tenant.SharingCapability
$v.SharingDomainRestrictionMode = [string]$tenant.SharingDomainRestrictionMode
$v.SharingAllowedDomainList = [string]$tenant.SharingAllowedDomainList
$v.SharingBlockedDomainList = [string]$tenant.SharingBlockedDomainList
if ($TeamGroup) {
    # The team's site: usually /sites/<mail nickname>; otherwise look it up by its group.
    $site = $null
    try {
        $guess = Get-SPOSite -Identity ($SharePointRootUrl + '/sites/' + $TeamGroup.MailNickname) -ErrorAction Stop
        if ([string]$guess.GroupId -eq [string]$TeamGroup.Id) { $site = $guess }
    } catch { $site = $null }
    if (-not $site) {
        foreach ($s in @(Get-SPOSite -Limit All -GroupIdDefined $true -ErrorAction Stop)) {
            if ([string]$s.GroupId -eq [string]$TeamGroup.Id) { $site = $s }
        }
    }
    if ($site) {
        $v.SiteUrl = [string]$site.Url
        $v.SiteSharingCapability = [string]$site.SharingCapability
    } else {
        $v.SiteNote = 'The team has no SharePoint site yet.'
    }
}"#,
    },
    // ---- Security & Compliance (sensitivity labels) -------------------------------------------
    Read {
        target: Target::Layer("sensitivity-label"),
        part: "purview",
        module: "ExchangeOnlineManagement",
        commands: &["Get-Label"],
        keys: &[
            key("LabelId", Kind::Text),
            opt("LabelName", Kind::OptText),
            opt("LabelActions", Kind::Json),
            opt("SiteAndGroupProtectionAllowAccessToGuestUsers", Kind::Json),
        ],
        needs: Needs::TeamLabel,
        role: "Compliance Administrator (estimated)",
        docs: &[
            "https://learn.microsoft.com/powershell/module/exchange/get-label",
            "https://learn.microsoft.com/purview/sensitivity-labels-teams-groups-sites",
        ],
        body: r#"$label = Get-Label -Identity $TeamLabelId -IncludeDetailedLabelActions -ErrorAction Stop
$v.LabelId = [string]$TeamLabelId
$v.LabelName = [string]$label.DisplayName
$v.LabelActions = @($label.LabelActions)
$v.SiteAndGroupProtectionAllowAccessToGuestUsers = $label.SiteAndGroupProtectionAllowAccessToGuestUsers"#,
    },
];

/// The commands a generated script may call besides `Get-*`: connecting and disconnecting,
/// loading modules, writing JSON, and `Invoke-MgGraphRequest`, always with `-Method GET`.
pub const ALLOWED_COMMANDS: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Connect-MicrosoftTeams",
    "Connect-SPOService",
    "Connect-IPPSSession",
    "Disconnect-MgGraph",
    "Disconnect-MicrosoftTeams",
    "Disconnect-SPOService",
    "Disconnect-ExchangeOnline",
    "ConvertTo-Json",
    "Invoke-MgGraphRequest",
    "Out-File",
];

pub fn reads_for(target: Target) -> Option<&'static Read> {
    READS.iter().find(|r| r.target == target)
}

/// Layers judged from a lookup rather than from a read of their own: both guest layers from
/// the one read of the guest's account.
pub static FROM_LOOKUPS: &[(&str, &str)] = &[
    ("guest-redemption", "guest"),
    ("guest-account-enabled", "guest"),
];

/// The read whose values judge `layer`.
pub fn read_for_layer(layer: &str) -> Option<&'static Read> {
    if let Some(r) = READS
        .iter()
        .find(|r| r.target == Target::Layer(r.target.id()) && r.target.id() == layer)
    {
        return Some(r);
    }
    let lookup = FROM_LOOKUPS.iter().find(|(l, _)| *l == layer)?.1;
    reads_for(Target::Lookup(lookup))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::audit::layers;

    #[test]
    fn every_layer_is_read_once_and_every_read_is_well_formed() {
        for l in layers::checking_order() {
            let n = READS
                .iter()
                .filter(|r| r.target == Target::Layer(l.id()))
                .count();
            let from_lookup = FROM_LOOKUPS.iter().any(|(layer, _)| *layer == l.id());
            assert_eq!(
                n + usize::from(from_lookup),
                1,
                "layer {} is read {n} times",
                l.id()
            );
            assert!(read_for_layer(l.id()).is_some());
        }
        for r in READS {
            let p = part(r.part).expect("known part");
            assert!(p.modules.contains(&r.module), "{:?}: module", r.target);
            assert!(!r.docs.is_empty() && !r.role.is_empty());
            for d in r.docs {
                assert!(d.starts_with("https://learn.microsoft.com/"), "{d}");
            }
            for c in r.commands {
                assert!(
                    c.starts_with("Get-") || *c == "Invoke-MgGraphRequest",
                    "{c} is not a read"
                );
                assert!(r.body.contains(c), "{:?} does not call {c}", r.target);
            }
            for k in r.keys {
                assert!(
                    r.body.contains(&format!("$v.{} =", k.name)),
                    "{:?} never writes {}",
                    r.target,
                    k.name
                );
            }
        }
    }
}
