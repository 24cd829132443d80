//! The verdict rules, one row per layer: the values that must be known (else the layer is "not
//! read"), then rules tried in order (the first that matches decides: its verdict, the values it
//! shows as deciding, why, and for a blocking rule what it means for the guest), and the
//! outcome when none matches. Fix, role and delay come from the layer (`layers.rs`, i.e. the
//! Admin tab's data), with the placeholders in the fix filled from the audit where it knows them.
//! Texts are under `audit.why.*` and `audit.effect.*` in the catalogues.

/// A verdict on one layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Blocks,
    MayBlock,
    Ok,
    NotRead,
}

impl Verdict {
    /// From the strongest to the weakest.
    pub const ALL: [Verdict; 4] = [
        Verdict::Blocks,
        Verdict::MayBlock,
        Verdict::Ok,
        Verdict::NotRead,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Verdict::Blocks => "blocks",
            Verdict::MayBlock => "may_block",
            Verdict::Ok => "ok",
            Verdict::NotRead => "not_read",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Verdict::Blocks => "audit.verdict.blocks",
            Verdict::MayBlock => "audit.verdict.may_block",
            Verdict::Ok => "audit.verdict.ok",
            Verdict::NotRead => "audit.verdict.not_read",
        }
    }
}

/// A condition on the values (text compared without regard to case; `true`/`false` for
/// booleans). A condition on an unknown value is unknown, which makes the layer "not read",
/// unless it is wrapped in `Opt`, where unknown counts as false.
#[derive(Debug)]
pub enum Cond {
    Eq(&'static str, &'static str),
    In(&'static str, &'static [&'static str]),
    /// A list with at least one element.
    NonEmpty(&'static str),
    /// A number above the limit.
    Above(&'static str, f64),
    Not(&'static Cond),
    All(&'static [Cond]),
    Any(&'static [Cond]),
    Opt(&'static Cond),
}

#[derive(Debug)]
pub struct Rule {
    pub when: Cond,
    pub verdict: Verdict,
    pub why: &'static str,
    pub shows: &'static [&'static str],
    pub effect: Option<&'static str>,
    /// A fix for this case where the layer's own does not fit.
    pub fix: Option<&'static str>,
    /// Checklist steps to mark besides the ones for the layer itself.
    pub checklist: &'static [&'static str],
}

#[derive(Debug)]
pub struct LayerRules {
    pub layer: &'static str,
    pub needs: &'static [&'static str],
    pub rules: &'static [Rule],
    /// When no rule matches (its `when` is not used).
    pub otherwise: Rule,
    /// Placeholders in the fix command, and the value that fills each.
    pub fills: &'static [(&'static str, &'static str)],
}

const ALWAYS: Cond = Cond::All(&[]);

const fn rule(
    when: Cond,
    verdict: Verdict,
    why: &'static str,
    shows: &'static [&'static str],
) -> Rule {
    Rule {
        when,
        verdict,
        why,
        shows,
        effect: None,
        fix: None,
        checklist: &[],
    }
}

const fn blocks(
    when: Cond,
    why: &'static str,
    effect: &'static str,
    shows: &'static [&'static str],
) -> Rule {
    Rule {
        when,
        verdict: Verdict::Blocks,
        why,
        shows,
        effect: Some(effect),
        fix: None,
        checklist: &[],
    }
}

const fn ok(why: &'static str, shows: &'static [&'static str]) -> Rule {
    rule(ALWAYS, Verdict::Ok, why, shows)
}

/// The guest already has an account: settings checked only when inviting do not apply.
const GUEST_EXISTS: Cond = Cond::Opt(&Cond::In(
    "guest.State",
    &["accepted", "pending", "disabled"],
));

pub static RULES: &[LayerRules] = &[
    LayerRules {
        layer: "teams-guest-switch",
        needs: &["teams-guest-switch.AllowGuestUser"],
        rules: &[blocks(
            Cond::Eq("teams-guest-switch.AllowGuestUser", "false"),
            "audit.why.teams_switch_off",
            "audit.effect.no_guests",
            &["teams-guest-switch.AllowGuestUser"],
        )],
        otherwise: ok(
            "audit.why.teams_switch_on",
            &["teams-guest-switch.AllowGuestUser"],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "teams-guest-calling",
        needs: &["teams-guest-calling.AllowPrivateCalling"],
        rules: &[rule(
            Cond::Eq("teams-guest-calling.AllowPrivateCalling", "false"),
            Verdict::MayBlock,
            "audit.why.calling_off",
            &["teams-guest-calling.AllowPrivateCalling"],
        )],
        otherwise: ok(
            "audit.why.calling_on",
            &["teams-guest-calling.AllowPrivateCalling"],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "teams-guest-meetings",
        needs: &[
            "teams-guest-meetings.AllowIPVideo",
            "teams-guest-meetings.ScreenSharingMode",
            "teams-guest-meetings.AllowMeetNow",
        ],
        rules: &[rule(
            Cond::Any(&[
                Cond::Eq("teams-guest-meetings.AllowIPVideo", "false"),
                Cond::Eq("teams-guest-meetings.ScreenSharingMode", "Disabled"),
                Cond::Eq("teams-guest-meetings.AllowMeetNow", "false"),
            ]),
            Verdict::MayBlock,
            "audit.why.meetings_limited",
            &[
                "teams-guest-meetings.AllowIPVideo",
                "teams-guest-meetings.ScreenSharingMode",
                "teams-guest-meetings.AllowMeetNow",
            ],
        )],
        otherwise: ok(
            "audit.why.meetings_on",
            &[
                "teams-guest-meetings.AllowIPVideo",
                "teams-guest-meetings.ScreenSharingMode",
                "teams-guest-meetings.AllowMeetNow",
            ],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "teams-guest-messaging",
        needs: &[
            "teams-guest-messaging.AllowUserChat",
            "teams-guest-messaging.AllowUserEditMessage",
            "teams-guest-messaging.AllowUserDeleteMessage",
        ],
        rules: &[
            rule(
                Cond::Eq("teams-guest-messaging.AllowUserChat", "false"),
                Verdict::MayBlock,
                "audit.why.chat_off",
                &["teams-guest-messaging.AllowUserChat"],
            ),
            rule(
                Cond::Any(&[
                    Cond::Eq("teams-guest-messaging.AllowUserEditMessage", "false"),
                    Cond::Eq("teams-guest-messaging.AllowUserDeleteMessage", "false"),
                ]),
                Verdict::MayBlock,
                "audit.why.messaging_limited",
                &[
                    "teams-guest-messaging.AllowUserEditMessage",
                    "teams-guest-messaging.AllowUserDeleteMessage",
                ],
            ),
        ],
        otherwise: ok(
            "audit.why.messaging_on",
            &["teams-guest-messaging.AllowUserChat"],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "entra-who-may-invite",
        needs: &["entra-who-may-invite.AllowInvitesFrom"],
        rules: &[
            // The guest already has an account: nothing stops them now, but nobody can invite
            // them again or reset their redemption.
            rule(
                Cond::All(&[
                    Cond::Eq("entra-who-may-invite.AllowInvitesFrom", "none"),
                    GUEST_EXISTS,
                ]),
                Verdict::MayBlock,
                "audit.why.invites_none_existing_guest",
                &["entra-who-may-invite.AllowInvitesFrom", "guest.State"],
            ),
            blocks(
                Cond::Eq("entra-who-may-invite.AllowInvitesFrom", "none"),
                "audit.why.invites_none",
                "audit.effect.cannot_invite",
                &["entra-who-may-invite.AllowInvitesFrom"],
            ),
            rule(
                Cond::Eq(
                    "entra-who-may-invite.AllowInvitesFrom",
                    "adminsAndGuestInviters",
                ),
                Verdict::MayBlock,
                "audit.why.invites_admins_only",
                &["entra-who-may-invite.AllowInvitesFrom"],
            ),
            rule(
                Cond::In(
                    "entra-who-may-invite.AllowInvitesFrom",
                    &["adminsGuestInvitersAndAllMemberUsers", "everyone"],
                ),
                Verdict::Ok,
                "audit.why.invites_members",
                &["entra-who-may-invite.AllowInvitesFrom"],
            ),
        ],
        // Any other value (Graph's `unknownFutureValue`, a value from a later API): not one we
        // can vouch for.
        otherwise: rule(
            ALWAYS,
            Verdict::MayBlock,
            "audit.why.invites_unknown",
            &["entra-who-may-invite.AllowInvitesFrom"],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "entra-guest-access-level",
        needs: &["entra-guest-access-level.Level"],
        rules: &[rule(
            Cond::Eq("entra-guest-access-level.Level", "unknown"),
            Verdict::MayBlock,
            "audit.why.guest_level_unknown",
            &["entra-guest-access-level.GuestUserRoleId"],
        )],
        otherwise: ok(
            "audit.why.guest_level_known",
            &[
                "entra-guest-access-level.GuestUserRoleId",
                "entra-guest-access-level.Level",
            ],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "entra-domain-lists",
        needs: &["entra-domain-lists.Restriction"],
        rules: &[
            // The guest already has an account: the lists are checked when inviting, so they
            // stop only a new invitation.
            rule(
                Cond::All(&[
                    GUEST_EXISTS,
                    Cond::Opt(&Cond::In(
                        "entra-domain-lists.GuestDomainStatus",
                        &["denied", "not_allowed"],
                    )),
                ]),
                Verdict::MayBlock,
                "audit.why.domain_listed_existing_guest",
                &[
                    "entra-domain-lists.BlockedDomains",
                    "entra-domain-lists.AllowedDomains",
                    "guest.Domain",
                    "guest.State",
                ],
            ),
            blocks(
                Cond::Opt(&Cond::Eq("entra-domain-lists.GuestDomainStatus", "denied")),
                "audit.why.domain_denied",
                "audit.effect.cannot_invite",
                &["entra-domain-lists.BlockedDomains", "guest.Domain"],
            ),
            blocks(
                Cond::Opt(&Cond::Eq(
                    "entra-domain-lists.GuestDomainStatus",
                    "not_allowed",
                )),
                "audit.why.domain_not_allowed",
                "audit.effect.cannot_invite",
                &["entra-domain-lists.AllowedDomains", "guest.Domain"],
            ),
            rule(
                Cond::All(&[
                    Cond::Not(&Cond::Eq("entra-domain-lists.Restriction", "none")),
                    Cond::Not(&Cond::Opt(&Cond::Eq(
                        "entra-domain-lists.GuestDomainStatus",
                        "allowed",
                    ))),
                ]),
                Verdict::MayBlock,
                "audit.why.domain_lists_set",
                &[
                    "entra-domain-lists.AllowedDomains",
                    "entra-domain-lists.BlockedDomains",
                ],
            ),
            rule(
                Cond::Eq("entra-domain-lists.Restriction", "none"),
                Verdict::Ok,
                "audit.why.domain_lists_none",
                &["entra-domain-lists.Restriction"],
            ),
        ],
        otherwise: ok(
            "audit.why.domain_allowed",
            &["entra-domain-lists.Restriction", "guest.Domain"],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "entra-cross-tenant",
        needs: &["entra-cross-tenant.InboundUsers"],
        rules: &[
            rule(
                Cond::Opt(&Cond::Eq("entra-cross-tenant.HomeTenant", "none")),
                Verdict::Ok,
                "audit.why.cross_tenant_not_entra",
                &["guest.Domain"],
            ),
            blocks(
                Cond::Any(&[
                    Cond::Eq("entra-cross-tenant.InboundUsers", "blocked"),
                    Cond::Eq("entra-cross-tenant.InboundApps", "blocked"),
                ]),
                "audit.why.cross_tenant_blocked",
                "audit.effect.cannot_sign_in",
                &[
                    "entra-cross-tenant.B2BCollaborationInbound",
                    "entra-cross-tenant.PolicySource",
                ],
            ),
            rule(
                Cond::Any(&[
                    Cond::Eq("entra-cross-tenant.InboundUsers", "partly"),
                    Cond::Eq("entra-cross-tenant.InboundApps", "partly"),
                ]),
                Verdict::MayBlock,
                "audit.why.cross_tenant_partly",
                &[
                    "entra-cross-tenant.B2BCollaborationInbound",
                    "entra-cross-tenant.PolicySource",
                ],
            ),
        ],
        otherwise: ok(
            "audit.why.cross_tenant_allowed",
            &[
                "entra-cross-tenant.B2BCollaborationInbound",
                "entra-cross-tenant.PolicySource",
                "entra-cross-tenant.IsMfaAccepted",
            ],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "guest-redemption",
        needs: &["guest.Redemption"],
        rules: &[
            Rule {
                fix: Some(
                    "Connect-MgGraph -Scopes \"User.Invite.All\"\nNew-MgInvitation -InvitedUserEmailAddress '<guest e-mail>' -InviteRedirectUrl 'https://teams.microsoft.com' -SendInvitationMessage",
                ),
                ..blocks(
                    Cond::Eq("guest.Redemption", "not_found"),
                    "audit.why.guest_not_found",
                    "audit.effect.not_invited",
                    &["guest.Address"],
                )
            },
            // Pending, but since when is not known (no date, or no time the audit ran).
            Rule {
                checklist: &["accept-invitation"],
                ..blocks(
                    Cond::All(&[
                        Cond::Eq("guest.Redemption", "pending"),
                        Cond::Not(&Cond::Opt(&Cond::Above("guest.Days", -1.0))),
                    ]),
                    "audit.why.guest_pending_undated",
                    "audit.effect.not_accepted",
                    &["guest.ExternalUserState", "guest.Since"],
                )
            },
            Rule {
                checklist: &["accept-invitation"],
                ..blocks(
                    Cond::Eq("guest.Redemption", "pending"),
                    "audit.why.guest_pending",
                    "audit.effect.not_accepted",
                    &["guest.ExternalUserState", "guest.Since"],
                )
            },
        ],
        otherwise: ok(
            "audit.why.guest_accepted",
            &["guest.UserType", "guest.ExternalUserState"],
        ),
        fills: &[("<guest e-mail>", "guest.Address")],
    },
    LayerRules {
        layer: "guest-account-enabled",
        needs: &["guest.Enabled"],
        rules: &[blocks(
            Cond::Eq("guest.Enabled", "false"),
            "audit.why.guest_disabled",
            "audit.effect.cannot_sign_in",
            &["guest.AccountEnabled", "guest.UserPrincipalName"],
        )],
        otherwise: ok("audit.why.guest_enabled", &["guest.AccountEnabled"]),
        fills: &[("<guest e-mail>", "guest.Address")],
    },
    LayerRules {
        layer: "invitation-conflicts",
        needs: &["invitation-conflicts.Conflicts"],
        rules: &[
            rule(
                Cond::All(&[
                    Cond::NonEmpty("invitation-conflicts.Conflicts"),
                    Cond::Opt(&Cond::Eq("guest.Redemption", "accepted")),
                ]),
                Verdict::MayBlock,
                "audit.why.conflicts_accepted_guest",
                &["invitation-conflicts.Conflicts"],
            ),
            blocks(
                Cond::NonEmpty("invitation-conflicts.Conflicts"),
                "audit.why.conflicts",
                "audit.effect.cannot_invite",
                &["invitation-conflicts.Conflicts", "guest.Address"],
            ),
        ],
        otherwise: ok("audit.why.conflicts_none", &["guest.Address"]),
        fills: &[("<guest e-mail>", "guest.Address")],
    },
    LayerRules {
        layer: "teams-app-assignment",
        needs: &["teams-app-assignment.AppRoleAssignmentRequired"],
        rules: &[rule(
            Cond::Eq("teams-app-assignment.AppRoleAssignmentRequired", "true"),
            Verdict::MayBlock,
            "audit.why.app_assignment_required",
            &["teams-app-assignment.AppRoleAssignmentRequired"],
        )],
        otherwise: ok(
            "audit.why.app_assignment_not_required",
            &["teams-app-assignment.AppRoleAssignmentRequired"],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "email-one-time-passcode",
        needs: &["email-one-time-passcode.ExternalEmailOtp"],
        rules: &[rule(
            Cond::Eq("email-one-time-passcode.ExternalEmailOtp", "disabled"),
            Verdict::MayBlock,
            "audit.why.otp_off",
            &[
                "email-one-time-passcode.AllowExternalIdToUseEmailOtp",
                "email-one-time-passcode.State",
            ],
        )],
        otherwise: ok(
            "audit.why.otp_on",
            &["email-one-time-passcode.AllowExternalIdToUseEmailOtp"],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "conditional-access",
        needs: &["conditional-access.GuestPolicies"],
        rules: &[Rule {
            ..rule(
                Cond::NonEmpty("conditional-access.GuestPolicies"),
                Verdict::MayBlock,
                "audit.why.ca_listed",
                &["conditional-access.GuestPolicies"],
            )
        }],
        otherwise: ok("audit.why.ca_none", &["conditional-access.ReportOnly"]),
        fills: &[],
    },
    LayerRules {
        layer: "entra-read-other-users",
        needs: &["entra-read-other-users.AllowedToReadOtherUsers"],
        rules: &[blocks(
            Cond::Eq("entra-read-other-users.AllowedToReadOtherUsers", "false"),
            "audit.why.read_users_off",
            "audit.effect.cannot_add",
            &["entra-read-other-users.AllowedToReadOtherUsers"],
        )],
        otherwise: ok(
            "audit.why.read_users_on",
            &["entra-read-other-users.AllowedToReadOtherUsers"],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "m365-groups-guests",
        needs: &[
            "m365-groups-guests.AllowToAddGuests",
            "m365-groups-guests.AllowGuestsToAccessGroups",
        ],
        rules: &[
            blocks(
                Cond::Eq("m365-groups-guests.AllowToAddGuests", "false"),
                "audit.why.groups_add_off",
                "audit.effect.cannot_add",
                &["m365-groups-guests.AllowToAddGuests"],
            ),
            blocks(
                Cond::Eq("m365-groups-guests.AllowGuestsToAccessGroups", "false"),
                "audit.why.groups_access_off",
                "audit.effect.no_content",
                &["m365-groups-guests.AllowGuestsToAccessGroups"],
            ),
            rule(
                Cond::Eq("m365-groups-guests.Source", "default"),
                Verdict::Ok,
                "audit.why.groups_default",
                &[
                    "m365-groups-guests.AllowToAddGuests",
                    "m365-groups-guests.AllowGuestsToAccessGroups",
                ],
            ),
        ],
        otherwise: ok(
            "audit.why.groups_on",
            &[
                "m365-groups-guests.AllowToAddGuests",
                "m365-groups-guests.AllowGuestsToAccessGroups",
            ],
        ),
        fills: &[],
    },
    LayerRules {
        layer: "team-blocked-for-guests",
        needs: &["team-blocked-for-guests.AllowToAddGuests"],
        rules: &[blocks(
            Cond::Eq("team-blocked-for-guests.AllowToAddGuests", "false"),
            "audit.why.team_setting_off",
            "audit.effect.cannot_add_to_team",
            &[
                "team-blocked-for-guests.AllowToAddGuests",
                "team.DisplayName",
            ],
        )],
        otherwise: ok(
            "audit.why.team_setting_on",
            &["team-blocked-for-guests.AllowToAddGuests"],
        ),
        fills: &[("<team name>", "team.DisplayName")],
    },
    LayerRules {
        layer: "team-membership",
        needs: &["team-membership.IsMember"],
        rules: &[blocks(
            Cond::Eq("team-membership.IsMember", "false"),
            "audit.why.not_member",
            "audit.effect.not_member",
            &["team-membership.IsMember", "team.DisplayName"],
        )],
        otherwise: ok("audit.why.member", &["team-membership.IsMember"]),
        fills: &[
            ("<team id>", "team.Id"),
            ("<guest e-mail>", "guest.Address"),
        ],
    },
    LayerRules {
        layer: "sharepoint-sharing",
        needs: &["sharepoint-sharing.SharingCapability"],
        rules: &[
            blocks(
                Cond::Eq("sharepoint-sharing.SharingCapability", "Disabled"),
                "audit.why.spo_tenant_off",
                "audit.effect.no_files",
                &["sharepoint-sharing.SharingCapability"],
            ),
            Rule {
                ..blocks(
                    Cond::Opt(&Cond::Eq(
                        "sharepoint-sharing.SiteSharingCapability",
                        "Disabled",
                    )),
                    "audit.why.spo_site_off",
                    "audit.effect.no_files",
                    &[
                        "sharepoint-sharing.SiteSharingCapability",
                        "sharepoint-sharing.SharingCapability",
                        "sharepoint-sharing.SiteUrl",
                    ],
                )
            },
            rule(
                Cond::Opt(&Cond::In(
                    "sharepoint-sharing.GuestDomainSharing",
                    &["blocked", "not_allowed"],
                )),
                Verdict::MayBlock,
                "audit.why.spo_domain_blocked",
                &[
                    "sharepoint-sharing.DomainRestriction",
                    "sharepoint-sharing.SharingAllowedDomainList",
                    "sharepoint-sharing.SharingBlockedDomainList",
                    "guest.Domain",
                ],
            ),
            rule(
                Cond::All(&[
                    Cond::In(
                        "sharepoint-sharing.DomainRestriction",
                        &["AllowList", "BlockList"],
                    ),
                    Cond::Not(&Cond::Opt(&Cond::Eq(
                        "sharepoint-sharing.GuestDomainSharing",
                        "ok",
                    ))),
                ]),
                Verdict::MayBlock,
                "audit.why.spo_domain_list",
                &[
                    "sharepoint-sharing.DomainRestriction",
                    "sharepoint-sharing.SharingAllowedDomainList",
                    "sharepoint-sharing.SharingBlockedDomainList",
                ],
            ),
            rule(
                Cond::Opt(&Cond::Eq("sharepoint-sharing.SiteBelowTenant", "true")),
                Verdict::Ok,
                "audit.why.spo_site_lower",
                &[
                    "sharepoint-sharing.SiteSharingCapability",
                    "sharepoint-sharing.SharingCapability",
                ],
            ),
        ],
        otherwise: ok(
            "audit.why.spo_on",
            &[
                "sharepoint-sharing.SharingCapability",
                "sharepoint-sharing.SiteSharingCapability",
            ],
        ),
        fills: &[
            ("<team site URL>", "sharepoint-sharing.SiteUrl"),
            ("<tenant>", "tenant.Name"),
        ],
    },
    LayerRules {
        layer: "sensitivity-label",
        needs: &["sensitivity-label.Label"],
        rules: &[
            rule(
                Cond::Eq("sensitivity-label.Label", "none"),
                Verdict::Ok,
                "audit.why.label_none",
                &["sensitivity-label.Label"],
            ),
            blocks(
                Cond::Eq("sensitivity-label.AllowAccessToGuestUsers", "false"),
                "audit.why.label_blocks",
                "audit.effect.cannot_add_to_team",
                &[
                    "sensitivity-label.Label",
                    "sensitivity-label.AllowAccessToGuestUsers",
                ],
            ),
        ],
        otherwise: ok(
            "audit.why.label_allows",
            &[
                "sensitivity-label.Label",
                "sensitivity-label.AllowAccessToGuestUsers",
            ],
        ),
        fills: &[("<label name>", "sensitivity-label.Label")],
    },
    LayerRules {
        layer: "hybrid-sync",
        needs: &["hybrid-sync.OnPremisesSyncEnabled"],
        rules: &[
            rule(
                Cond::Eq("hybrid-sync.OnPremisesSyncEnabled", "false"),
                Verdict::Ok,
                "audit.why.sync_none",
                &["hybrid-sync.OnPremisesSyncEnabled"],
            ),
            // Entra Connect syncs every 30 minutes by default; 3 hours without one is estimated.
            rule(
                Cond::Opt(&Cond::Above("hybrid-sync.HoursSinceSync", 3.0)),
                Verdict::MayBlock,
                "audit.why.sync_stale",
                &["hybrid-sync.LastSync"],
            ),
            // Synced, but when it last ran (or when the audit ran) is not known.
            rule(
                Cond::Not(&Cond::Opt(&Cond::Above("hybrid-sync.HoursSinceSync", -1.0))),
                Verdict::Ok,
                "audit.why.sync_unknown",
                &["hybrid-sync.OnPremisesSyncEnabled", "hybrid-sync.LastSync"],
            ),
        ],
        otherwise: ok(
            "audit.why.sync_recent",
            &["hybrid-sync.OnPremisesSyncEnabled", "hybrid-sync.LastSync"],
        ),
        fills: &[],
    },
];

pub fn rules_for(layer: &str) -> Option<&'static LayerRules> {
    RULES.iter().find(|r| r.layer == layer)
}
