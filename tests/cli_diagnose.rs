//! `teamsfix-cli diagnose` as a black box: the real program, run with the kind of text people
//! paste (English and Dutch, exact Microsoft texts, codes in every spelling, descriptions in
//! their own words, codes the catalogue does not know, nonsense and huge input). It must never
//! panic, always answer with exit 0 for a message, and name its Microsoft source.

mod common;

use common::FakeHome;

fn run_text(h: &FakeHome, lang: &str, message: &str) -> (i32, String, String) {
    let out = h
        .cli_bare()
        .args(["--lang", lang, "diagnose", "--", message])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn top_id(h: &FakeHome, message: &str) -> Option<String> {
    let (code, json) = h.run_json(&["diagnose", "--json", "--", message]);
    assert_eq!(code, 0, "{message}");
    json["matches"][0]["id"].as_str().map(str::to_string)
}

#[test]
fn codes_in_every_spelling_and_language_find_their_entry() {
    let h = FakeHome::new();
    for (message, id) in [
        (
            "AADSTS500571: The guest user account is disabled.",
            "aadsts500571",
        ),
        ("aadsts 50105", "aadsts50105"),
        ("Foutcode AADSTS-50057 bij aanmelden", "aadsts50057"),
        ("Error code: 50034", "guest-not-in-directory"),
        (
            "AADSTS51004: The user account doesn't exist",
            "guest-not-in-directory",
        ),
        ("AADSTS50014", "redemption-pending"),
        ("Sign-in error code 16000", "aadsts16000"),
        (
            "AADSTS50076: Due to a configuration change...",
            "mfa-registration",
        ),
        ("Ik krijg AADSTS50079 bij het aanmelden", "mfa-registration"),
        ("AADSTS50072", "mfa-registration"),
        (
            "AADSTS530004: AcceptCompliantDevice setting isn't configured",
            "aadsts530004",
        ),
        (
            "AADSTS90071: An admin from Contoso must update their access settings",
            "aadsts90071",
        ),
        ("AADSTS530035 blocked by security defaults", "aadsts530035"),
        (
            "AADSTS500208: The domain is not a valid login domain",
            "aadsts500208",
        ),
        (
            "AADSTS53003: Access has been blocked by Conditional Access policies.",
            "aadsts53003",
        ),
        ("AADSTS90072", "aadsts90072"),
        ("AADSTS500213", "aadsts500213"),
        ("AADSTS500212", "aadsts500212"),
        (
            "AADSTS65005: Using application 'Teams' is currently not supported",
            "aadsts65005",
        ),
    ] {
        assert_eq!(top_id(&h, message).as_deref(), Some(id), "{message}");
    }
}

#[test]
fn an_unconfirmed_alias_and_unknown_codes_are_said_to_be_so() {
    let h = FakeHome::new();
    let (_, json) = h.run_json(&["diagnose", "--json", "AADSTS650051"]);
    assert_eq!(json["matches"][0]["id"], "aadsts65005");
    assert_eq!(json["matches"][0]["code_confirmed"], false);
    let (_, text, _) = run_text(&h, "en", "AADSTS650051");
    assert!(text.contains("not in Microsoft's list"), "{text}");

    // Codes about app consent or delegated admin are not in the catalogue: not guessed at.
    for code in ["65001", "90094", "700016", "530034", "99999"] {
        let message = format!("AADSTS{code}: something");
        let (code_out, json) = h.run_json(&["diagnose", "--json", &message]);
        assert_eq!(code_out, 0);
        assert_eq!(json["matches"].as_array().unwrap().len(), 0, "{message}");
        assert_eq!(json["unknown_codes"][0]["code"], code);
        assert_eq!(
            json["unknown_codes"][0]["lookup"],
            format!("https://login.microsoftonline.com/error?code={code}")
        );
        let (_, text, _) = run_text(&h, "nl", &message);
        assert!(
            text.contains("login.microsoftonline.com/error?code="),
            "{text}"
        );
        assert!(text.contains("staat niet in de catalogus"), "{text}");
    }
}

#[test]
fn descriptions_in_both_languages() {
    let h = FakeHome::new();
    for (message, id) in [
        ("We didn't find any matches.", "no-matches"),
        (
            "we didnt find any matches when I type the guest's address",
            "no-matches",
        ),
        (
            "Geen resultaten gevonden bij het toevoegen van een gast",
            "no-matches",
        ),
        (
            "We couldn't add member. We ran into an issue.",
            "couldnt-add-member",
        ),
        (
            "Attempted to perform an unauthorized operation",
            "files-unauthorized",
        ),
        ("Contact your administrator", "contact-admin"),
        ("Neem contact op met je beheerder", "contact-admin"),
        ("gasttoegang staat uit", "guest-access-off"),
        (
            "guest access is disabled for our tenant",
            "guest-access-off",
        ),
        (
            "Een gast toevoegen lukt niet, foutmelding",
            "adding-guest-failed",
        ),
        (
            "De uitnodigingsmail komt niet aan bij de gast",
            "invitation-mail-missing",
        ),
        (
            "Guest never received the invitation",
            "invitation-mail-missing",
        ),
        (
            "uitnodiging staat nog op PendingAcceptance",
            "redemption-pending",
        ),
        (
            "Gast is uitgenodigd op een alias in plaats van de UPN",
            "invited-other-address",
        ),
        (
            "geen eenmalige code ontvangen, gast moet Microsoft-account aanmaken",
            "email-otp-off",
        ),
        (
            "Is een gedeeld kanaal beter dan gasttoegang?",
            "collaboration-types",
        ),
        (
            "Teams blijft in een lus hangen bij het wisselen van organisatie",
            "org-switch-loop",
        ),
        (
            "Teams keeps looping when switching organization",
            "org-switch-loop",
        ),
        (
            "Teams logt in met een verkeerd account",
            "wrong-account-or-tenant",
        ),
        ("berichten ontbreken in het kanaal", "missing-messages"),
        ("geblokkeerd door voorwaardelijke toegang", "aadsts53003"),
        (
            "The guest must set up the Authenticator app",
            "mfa-registration",
        ),
    ] {
        assert_eq!(top_id(&h, message).as_deref(), Some(id), "{message}");
    }
}

#[test]
fn text_output_names_the_source_quotes_only_english_and_shows_connections() {
    let h = FakeHome::new();
    let (code, text, _) = run_text(&h, "nl", "We didn't find any matches");
    assert_eq!(code, 0);
    assert!(
        text.contains("Bron (Microsoft): https://learn.microsoft.com/"),
        "{text}"
    );
    assert!(
        text.contains("Tekst van Microsoft (Engels): \"We didn't find any matches."),
        "{text}"
    );
    // Every admin check is printed with its own connection first.
    assert!(text.contains("Connect-MicrosoftTeams"), "{text}");
    assert!(text.contains("Get-CsTeamsClientConfiguration"), "{text}");
    assert!(
        text.contains("Connect-MgGraph -Scopes \"Policy.Read.All\""),
        "{text}"
    );
    // A description is marked as such; no Dutch text is presented as Microsoft's.
    let (_, text, _) = run_text(&h, "nl", "gasttoegang staat uit");
    assert!(
        text.contains("Geen tekst die Microsoft documenteert"),
        "{text}"
    );
    assert!(!text.contains("Tekst van Microsoft"), "{text}");
    // The MFA step points the guest at the inviting organisation's security info.
    let (_, text, _) = run_text(&h, "en", "AADSTS50079");
    assert!(
        text.contains("https://mysignins.microsoft.com/security-info?tenant=<domain of the inviting organisation>"),
        "{text}"
    );
}

#[test]
fn json_carries_the_source_and_the_quote() {
    let h = FakeHome::new();
    let (code, json) = h.run_json(&["diagnose", "--json", "AADSTS530004"]);
    assert_eq!(code, 0);
    assert_eq!(json["schema_version"], 1);
    let m = &json["matches"][0];
    assert_eq!(m["id"], "aadsts530004");
    assert_eq!(m["match"], "code");
    assert_eq!(m["confirmed_text"], true);
    assert!(
        m["source"]
            .as_str()
            .unwrap()
            .starts_with("https://learn.microsoft.com/")
    );
    assert!(!m["sources"].as_array().unwrap().is_empty());
    assert!(m["quote"].as_str().unwrap().starts_with("AADSTS530004"));
    assert!(
        m["admin_layers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "entra-cross-tenant")
    );
    let (_, json) = h.run_json(&["diagnose", "--json", "gasttoegang staat uit"]);
    assert_eq!(json["matches"][0]["quote"], serde_json::Value::Null);
    assert_eq!(json["matches"][0]["match"], "paraphrase");
    assert_eq!(json["unknown_codes"].as_array().unwrap().len(), 0);
}

#[test]
fn nonsense_huge_and_odd_input_never_breaks_it() {
    let h = FakeHome::new();
    // Far over the 16 KiB the matcher reads, within what Linux passes as one argument.
    let huge = format!("{}AADSTS50020", "x".repeat(120_000));
    let odd = [
        "my printer is out of paper",
        "🙂🙂🙂",
        "-- --help",
        "-x",
        "\u{1}\u{7f}",
        "AADSTS",
        "AADSTS:",
        "AADSTS99999999999999999999",
        "12345678901234567890",
        "Teams versie 25306.804.4102.7193",
        "ÀÉÎÕÜ ñ ç ß",
        "\u{202e}AADSTS50020",
        huge.as_str(),
    ];
    for message in odd {
        let (code, text, err) = run_text(&h, "nl", message);
        assert_eq!(code, 0, "{message:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!text.is_empty());
        let (code, _) = h.run_json(&["diagnose", "--json", "--", message]);
        assert_eq!(code, 0, "{message:?}");
    }
    assert_eq!(top_id(&h, "my printer is out of paper"), None);
    // Only an empty message is refused.
    let (code, _, err) = run_text(&h, "en", "   ");
    assert_eq!(code, 2, "{err}");
}
