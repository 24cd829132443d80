//! `teamsfix-cli diagnose` as a black box: the real program, run with the kind of text people
//! paste (English and Dutch, exact Microsoft texts, codes in every spelling, descriptions in
//! their own words, codes the catalogue does not know, nonsense and huge input). It must never
//! panic, answer with exit 0 for any message within the size limit, refuse empty, oversized or
//! non-text input with a clear message and exit 2, and name its Microsoft source.

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

fn run_stdin(h: &FakeHome, lang: &str, input: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    let mut child = h
        .cli_bare()
        .args(["--lang", lang, "diagnose", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The program may stop reading at its limit: a broken pipe here is its answer, not ours.
    let _ = child.stdin.take().unwrap().write_all(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Over 16 KiB is not an error message: refused with a clear message and exit 2, whether it
/// comes as an argument or on standard input; exactly at the limit is still read.
#[test]
fn oversized_input_is_refused_clearly_not_cut_silently() {
    let h = FakeHome::new();
    let limit = 16 * 1024;
    let at_limit = format!("{}AADSTS50105", "x ".repeat((limit - 11) / 2));
    assert!(at_limit.len() <= limit);
    assert_eq!(top_id(&h, &at_limit).as_deref(), Some("aadsts50105"));
    let over = format!("{} AADSTS50020", "x".repeat(limit));
    for lang in ["en", "nl"] {
        let (code, text, err) = run_text(&h, lang, &over);
        assert_eq!(code, 2, "{lang}: {err}");
        assert!(text.is_empty(), "{lang}: {text}");
        assert!(err.contains("16 KiB") && !err.contains("panicked"), "{err}");
    }
    let (code, _, err) = run_text(&h, "en", &"x".repeat(120_000));
    assert_eq!(code, 2);
    assert!(err.contains("longer than 16 KiB"), "{err}");
    // With --json the reason is on stdout too, in the shape every command uses for failures.
    let (code, json) = h.run_json(&["diagnose", "--json", "--", &over]);
    assert_eq!(code, 2);
    assert_eq!(json["exit_code"], 2);
    assert!(json["error"].as_str().unwrap().contains("16 KiB"), "{json}");
    let (code, json) = h.run_json(&["diagnose", "--json", "  "]);
    assert_eq!((code, &json["exit_code"]), (2, &serde_json::json!(2)));
    // On standard input too, without reading an endless stream to its end.
    let (code, _, err) = run_stdin(&h, "nl", "AADSTS50020 ".repeat(10_000).as_bytes());
    assert_eq!(code, 2);
    assert!(err.contains("langer dan 16 KiB"), "{err}");
}

/// A whole error page piped in (as a helpdesk script would), in UTF-8 or in UTF-16 with a
/// byte-order mark; bytes that are not text are refused, not guessed at.
#[test]
fn a_whole_error_page_can_be_piped_in() {
    let h = FakeHome::new();
    let page = "Sign in\r\nSorry, but we're having trouble signing you in.\r\n\r\n\
        AADSTS50105: Your administrator has configured the application Microsoft Teams \
        ('1fec8e78-bce4-4aaf-ab1b-5451cc387264') to block users unless they are specifically \
        granted ('assigned') access to the application.\r\n\r\nTroubleshooting details\r\n\
        If you contact your administrator, send this info to them.\r\n\
        Request Id: 5f3b1c2e-1234-4f00-9000-500200000000\r\n\
        Correlation Id: 1b2c3d4e-5002-4aaa-9bbb-160001234567\r\n\
        Timestamp: 2026-11-24T21:15:03.123Z\r\n";
    let (code, text, err) = run_stdin(&h, "en", page.as_bytes());
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("AADSTS50105"), "{text}");
    // The page's boilerplate about contacting the administrator is not a second diagnosis.
    assert!(!text.contains("Other possible matches"), "{text}");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(page.encode_utf16().flat_map(u16::to_le_bytes));
    let (code, text, _) = run_stdin(&h, "en", &utf16);
    assert_eq!(code, 0);
    assert!(text.starts_with("AADSTS50105"), "{text}");
    let (code, _, err) = run_stdin(&h, "en", b"AADSTS\xff\xfe50020");
    assert_eq!(code, 2);
    assert!(err.contains("not text"), "{err}");
    let (code, _, err) = run_stdin(&h, "nl", b"");
    assert_eq!(code, 2);
    assert!(err.contains("Geef de melding"), "{err}");
}

/// Codes as people write them around a sentence, and numbers that only look like codes.
#[test]
fn codes_in_sentences_and_numbers_that_are_not_codes() {
    let h = FakeHome::new();
    for (message, id) in [
        ("I get error code 50020.", "aadsts50020"),
        ("Foutcode 50105.", "aadsts50105"),
        ("Foutcode: 530004, daarna niets", "aadsts530004"),
        (
            "https://login.microsoftonline.com/error?code=50034",
            "guest-not-in-directory",
        ),
        (
            "{\"error_codes\":[50057],\"trace_id\":\"9bdf8b2c\"}",
            "aadsts50057",
        ),
        (
            "AADSTS\u{ff15}\u{ff10}\u{ff10}\u{ff12}\u{ff10}",
            "aadsts50020",
        ),
        ("50076", "mfa-registration"),
        (
            "AADSTS53000: Device is not in required device state",
            "device-not-compliant",
        ),
        ("AADSTS53001", "device-not-compliant"),
    ] {
        assert_eq!(top_id(&h, message).as_deref(), Some(id), "{message}");
    }
    let (_, json) = h.run_json(&["diagnose", "--json", "error codes 50020, 53003"]);
    let ids: Vec<&str> = json["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["aadsts50020", "aadsts53003"]);
    for message in [
        "Timeout after 16000 ms",
        "Teams 1.50020 crashed",
        "order 5002012",
        "Correlation Id: 1b2c3d4e-5002-4aaa-9bbb-160001234567",
        "Request Id: 50020000-1234-4f00-9000-500200000000",
        "Timestamp: 2026-11-24T21:15:03.123Z",
    ] {
        assert_eq!(top_id(&h, message), None, "{message}");
    }
}

/// Symptoms a helpdesk hears in its own words, and sign-in pages that carry no code.
#[test]
fn more_symptoms_in_both_languages() {
    let h = FakeHome::new();
    for (message, id) in [
        ("guest can't open files in the team", "files-unauthorized"),
        ("Gast ziet de bestanden niet", "files-unauthorized"),
        ("gast kan niet inloggen", "guest-cannot-sign-in"),
        ("The guest cannot sign in to Teams", "guest-cannot-sign-in"),
        ("Meer informatie vereist", "mfa-registration"),
        (
            "More information required. Your organization needs more information to keep your account secure",
            "mfa-registration",
        ),
        ("You can't get there from here", "device-not-compliant"),
        ("uitnodiging is verlopen", "redemption-pending"),
        (
            "ik kan geen gasten toevoegen aan mijn team",
            "adding-guest-failed",
        ),
        (
            "guest sees 'you don't have access' when opening the channel",
            "need-permission",
        ),
        ("The guest doesn't receive a code", "email-otp-off"),
        ("AADSTS50053", "aadsts50053"),
        (
            "AADSTS50126: Error validating credentials due to invalid username or password.",
            "own-password",
        ),
        ("Foutcode: 50055", "own-password"),
        (
            "This invitation is blocked by cross-tenant access settings. Admins in both your organization and the invited user's organization must configure cross-tenant access settings to allow the invitation.",
            "invite-blocked-cross-tenant",
        ),
        (
            "Your account has been locked. Contact your support person to unlock it",
            "aadsts50053",
        ),
        // "Contact your administrator" ends many messages: the specific part decides.
        (
            "Uw account is geblokkeerd. Neem contact op met uw beheerder",
            "aadsts50057",
        ),
    ] {
        assert_eq!(top_id(&h, message).as_deref(), Some(id), "{message}");
    }
}

/// "Contact your administrator" is only on Microsoft's 2019-2021 pages: it is still recognised,
/// but never presented as Microsoft's current text, in either language.
#[test]
fn an_outdated_message_is_not_presented_as_microsofts() {
    let h = FakeHome::new();
    let (_, json) = h.run_json(&["diagnose", "--json", "Contact your administrator"]);
    assert_eq!(json["matches"][0]["id"], "contact-admin");
    assert_eq!(json["matches"][0]["quote"], serde_json::Value::Null);
    assert_eq!(json["matches"][0]["confirmed_text"], false);
    for (lang, not_documented, quote) in [
        ("en", "Not a text Microsoft documents", "Microsoft's text"),
        (
            "nl",
            "Geen tekst die Microsoft documenteert",
            "Tekst van Microsoft",
        ),
    ] {
        let (_, text, _) = run_text(&h, lang, "Contact your administrator");
        assert!(text.contains(not_documented), "{text}");
        assert!(!text.contains(quote), "{text}");
    }
}

/// Inputs from the second review: characters before a number that used to crash the program
/// (an accented word, a curly quote, a dash), a list of codes joined by "and", codes the
/// catalogue does not know written after "Error code:", and symptoms people put in their own
/// words that found nothing.
#[test]
fn second_review_inputs() {
    let h = FakeHome::new();
    for message in [
        "Foutcode: café 50020",
        "é 50020",
        "Fout bij één 53003",
        "Error code \u{2013} 50020",
        "Foutcode \u{2018}530004\u{2019}",
    ] {
        let (code, text, err) = run_text(&h, "nl", message);
        assert_eq!(code, 0, "{message:?}: {err}");
        assert!(!err.contains("panicked"), "{message:?}: {err}");
        assert!(!text.is_empty());
    }
    assert_eq!(
        top_id(&h, "Error code \u{2013} 50020").as_deref(),
        Some("aadsts50020")
    );
    assert_eq!(
        top_id(&h, "Foutcode \u{2018}530004\u{2019}").as_deref(),
        Some("aadsts530004")
    );

    for (message, expected) in [
        (
            "Error codes 50105 and 500213",
            ["aadsts50105", "aadsts500213"],
        ),
        ("Foutcode: 50020/53003", ["aadsts50020", "aadsts53003"]),
    ] {
        let (_, json) = h.run_json(&["diagnose", "--json", message]);
        let ids: Vec<&str> = json["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, expected, "{message}");
    }

    // A code after "Error code:" that the catalogue does not know is said to be unknown, with
    // Microsoft's page and where its cause is found, in both languages.
    for (message, code) in [
        ("Error Code: 700016", "700016"),
        ("Foutcode: 90084", "90084"),
        ("Sign-in error code: 50158", "50158"),
    ] {
        let (_, json) = h.run_json(&["diagnose", "--json", message]);
        assert_eq!(json["matches"].as_array().unwrap().len(), 0, "{message}");
        assert_eq!(json["unknown_codes"][0]["code"], code, "{message}");
        let (_, text, _) = run_text(&h, "en", message);
        assert!(text.contains(&format!("AADSTS{code} is not in")), "{text}");
        assert!(text.contains("Sign-in logs"), "{text}");
        assert!(!text.contains("Try the exact text"), "{text}");
        let (_, text, _) = run_text(&h, "nl", message);
        assert!(text.contains("staat niet in de catalogus"), "{text}");
        assert!(text.contains("aanmeldlogboeken"), "{text}");
    }

    for (message, id) in [
        ("Je hebt geen toegang", "need-permission"),
        ("You don't have access to this team", "need-permission"),
        (
            "De uitnodiging is nooit aangekomen",
            "invitation-mail-missing",
        ),
        ("the invitation did not arrive", "invitation-mail-missing"),
        (
            "Guests are not allowed in this organization",
            "guest-access-off",
        ),
        ("Het gebruikersaccount is uitgeschakeld", "aadsts50057"),
        ("Your sign-in was blocked", "guest-cannot-sign-in"),
        (
            "We couldn't find an account with that username.",
            "guest-not-in-directory",
        ),
        ("Dit account bestaat niet", "guest-not-in-directory"),
        (
            "The organization you're trying to reach needs to update their settings to let you sign in.",
            "aadsts90071",
        ),
        ("Ik krijg geen code per mail", "email-otp-off"),
        (
            "Teams gebruikt mijn privéaccount in plaats van mijn werkaccount",
            "wrong-account-or-tenant",
        ),
        (
            "The guest's device is not compliant",
            "device-not-compliant",
        ),
        (
            "Het apparaat van de gast is niet compatibel",
            "device-not-compliant",
        ),
        (
            "Geblokkeerd door standaardinstellingen voor beveiliging",
            "aadsts530035",
        ),
        ("account locked", "aadsts50053"),
        ("Ik ben mijn wachtwoord vergeten", "own-password"),
        (
            "Teams shows a blocking page: your version is outdated",
            "client-outdated",
        ),
        ("Teams zegt dat mijn versie verouderd is", "client-outdated"),
        ("Classic Teams stopped working", "client-outdated"),
        ("Gasten kunnen niet bellen", "guest-features-off"),
        (
            "Guests can't share their screen in meetings",
            "guest-features-off",
        ),
        ("the guest cannot chat in Teams", "guest-features-off"),
        (
            "Your IT admin hasn't enabled guest access",
            "guest-access-off",
        ),
        ("Your organization doesn't allow guests", "guest-access-off"),
        ("Je organisatie staat gasten niet toe", "guest-access-off"),
        (
            "Guest can't find the team after accepting the invite",
            "need-permission",
        ),
        (
            "Gastgebruiker ziet het team niet in Teams",
            "need-permission",
        ),
        ("Het gastaccount is verwijderd", "guest-not-in-directory"),
        ("Guest account was deleted", "guest-not-in-directory"),
    ] {
        assert_eq!(top_id(&h, message).as_deref(), Some(id), "{message}");
    }
    // A code that was sent but never arrives: the junk folder is among the steps, not only the
    // admin's switch for one-time passcodes.
    let (_, json) = h.run_json(&[
        "diagnose",
        "--json",
        "The guest is told a code was sent but never receives the email",
    ]);
    assert_eq!(json["matches"][0]["id"], "email-otp-off");
    let steps: Vec<&str> = json["matches"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(steps.contains(&"check-invitation-mail"), "{steps:?}");
    assert!(
        json["matches"][0]["cause"]
            .as_str()
            .unwrap()
            .contains("junk folder")
    );

    // The guest-feature switches come with their commands to check them.
    let (_, text, _) = run_text(&h, "en", "Gasten kunnen niet bellen");
    for command in [
        "Get-CsTeamsGuestCallingConfiguration",
        "Get-CsTeamsGuestMeetingConfiguration",
        "Get-CsTeamsGuestMessagingConfiguration",
    ] {
        assert!(text.contains(command), "{text}");
    }

    // Still nothing for what is not about guest access.
    for message in [
        "Need admin approval",
        "Error code: caa70004",
        "Something went wrong. Error code 80080300",
        "Our office is at 50020 Main Street",
        "Error code 50020 and then 16000 ms later it failed again",
        "Can you reset my password for SAP?",
        "my old laptop is slow",
        "My laptop battery does not charge",
        "The VPN is not working from home",
        "Outlook crashes when I open a calendar invite",
        "Mijn laptop laadt niet op",
        "Outlook start niet op",
        "The app store does not open",
        "Windows update failed with error 0x80070005",
        "OneDrive sync error code 0x8004de40",
    ] {
        let (_, json) = h.run_json(&["diagnose", "--json", "--", message]);
        let ids: Vec<&str> = json["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert!(
            ids.iter().all(|id| *id == "aadsts50020"),
            "{message}: {ids:?}"
        );
        assert!(
            json["unknown_codes"].as_array().unwrap().is_empty(),
            "{message}"
        );
    }
}
