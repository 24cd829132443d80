//! "Repair Teams" at the top of the first screen: one button that quits Teams, runs the quick
//! clean and starts Teams again (the core's repair sequence on the worker thread), then asks
//! "Does Teams work now?". Yes ends it; no offers the full reset (previewed before it runs),
//! and when that does not help either, leads into the checklist at the step that matches.
//! Every answer is written to the journal, so the helpdesk report says how it went.

use super::app::{App, Level, Tab};
use super::worker::{Job, RepairJob, RepairStep, Repaired};
use super::{style, tab_repair, widgets};
use crate::cache::clear::Mode;
use crate::clients::discover::Installation;
use crate::clients::status::ClientState;
use crate::clients::version::Verdict;
use crate::common::i18n::{Lang, tr, tr_args};
use crate::common::sizes::human_bytes;
use crate::guide::checklist::{CHECKLIST, StepStatus};
use crate::repair::sequence::ClearResult;
use crate::report::journal::Journal;
use eframe::egui::{self, RichText};

/// The checklist step about updating Teams: where the checklist continues when a client is
/// outdated or retired (otherwise it is passed over: the version is fine).
const UPDATE_STEP: &str = "update-client";

/// Where the one-click repair is.
#[derive(Clone, Debug, Default)]
pub enum Flow {
    /// Nothing under way; the button is offered.
    #[default]
    Idle,
    /// Teams works again (the user said so); the button is offered again.
    Fixed,
    /// Cancel was pressed: what was done, and the button again.
    Stopped(Repaired),
    /// The repair (or the preview of the full reset) runs on the worker.
    Running { mode: Mode, preview: bool },
    /// Done: what happened, then "Does Teams work now?" (not asked when nothing was cleared:
    /// then the button is offered again).
    Ask { result: Repaired, ask: bool },
    /// The quick clean did not help: offer the full reset; `preview` once it was shown.
    OfferFull { preview: Option<Repaired> },
    /// The full reset did not help either (or was declined): go on with the checklist.
    Checklist { step: &'static str },
}

/// One line of a result: its text, whether it went well, and the installation to start by
/// hand when starting it automatically failed.
#[derive(Clone, Debug)]
pub struct Line {
    pub text: String,
    pub ok: bool,
    pub start_by_hand: Option<Installation>,
}

#[derive(Default)]
pub struct OneClickUi {
    pub flow: Flow,
    /// The installations of the repair under way (to name them in the journal).
    insts: Vec<Installation>,
    /// Move the keyboard focus to the first button of the new state (set on every change).
    focus_next: bool,
    /// Bring the card into view (after a step that changes it).
    scroll_next: bool,
    /// A full reset ran in this repair: its undo is offered from then on.
    full_reset_ran: bool,
    /// The data roots of the repair under way that teamsfix refused to touch: client name and
    /// why (said in the result, never skipped silently).
    left_alone: Vec<(&'static str, crate::common::i18n::Msg)>,
}

impl OneClickUi {
    fn set(&mut self, flow: Flow) {
        self.flow = flow;
        self.focus_next = true;
        self.scroll_next = true;
    }

    /// Escape: closes the full reset's preview. True when it did.
    pub fn close_preview(&mut self) -> bool {
        if let Flow::OfferFull { preview } = &mut self.flow
            && preview.is_some()
        {
            *preview = None;
            self.focus_next = true;
            return true;
        }
        false
    }
}

/// Why the button cannot run now, in words for the button and (longer) below it.
struct Blocked {
    button: String,
    why: Option<String>,
    looking: bool,
}

fn blocked(app: &App) -> Option<Blocked> {
    let lang = app.lang;
    if let Err(m) = &app.env.folders {
        return Some(Blocked {
            button: tr(lang, "gui.one_click.button_no_folders"),
            why: Some(m.text(lang)),
            looking: false,
        });
    }
    let Some(clients) = &app.clients else {
        return Some(Blocked {
            button: tr(lang, "gui.one_click.button_looking"),
            why: None,
            looking: true,
        });
    };
    if clients.is_empty() {
        return Some(Blocked {
            button: tr(lang, "gui.one_click.button_none"),
            why: Some(tr(lang, "gui.repair.none_what")),
            looking: false,
        });
    }
    if repairable(clients).is_empty() {
        let reasons: Vec<String> = clients
            .iter()
            .filter_map(|c| c.inst.root.as_ref().err())
            .map(|m| m.text(lang))
            .collect();
        return Some(Blocked {
            button: tr(lang, "gui.one_click.button_refused"),
            why: Some(tr_args(
                lang,
                "gui.one_click.refused_why",
                &[("reason", &reasons.join(" "))],
            )),
            looking: false,
        });
    }
    if app.is_busy() {
        return Some(Blocked {
            button: tr(lang, "gui.one_click.button"),
            why: Some(tr(lang, "gui.one_click.other_job")),
            looking: false,
        });
    }
    None
}

/// The data roots teamsfix may work in.
fn repairable(clients: &[ClientState]) -> Vec<&ClientState> {
    clients.iter().filter(|c| c.inst.root.is_ok()).collect()
}

/// The data roots teamsfix refuses to touch: client name and why.
fn refused(clients: &[ClientState]) -> Vec<(&'static str, crate::common::i18n::Msg)> {
    clients
        .iter()
        .filter_map(|c| {
            c.inst
                .root
                .as_ref()
                .err()
                .map(|m| (c.inst.client.name, m.clone()))
        })
        .collect()
}

/// Starts the repair (or, with `preview`, its dry run) of every data root teamsfix may work in.
fn start(app: &mut App, mode: Mode, preview: bool) {
    let Some(clients) = &app.clients else {
        return;
    };
    let chosen = repairable(clients);
    let mut insts: Vec<Installation> = chosen.iter().map(|c| c.inst.clone()).collect();
    // The full reset after a quick clean works on the same data roots, also those of an
    // instance that no longer runs (a scan finds such a root only while it runs). Each is
    // checked again right before anything in it moves.
    if mode == Mode::Full && matches!(app.one_click.flow, Flow::OfferFull { .. }) {
        for inst in &app.one_click.insts {
            if !insts.iter().any(|i| i.label() == inst.label()) {
                insts.push(inst.clone());
            }
        }
    }
    if insts.is_empty() {
        return;
    }
    let job = if preview {
        Job::RepairPreview {
            insts: insts.clone(),
            mode,
        }
    } else {
        // When nothing runs, start what the user would start: not a retired client when a
        // current one is installed too.
        let current: Vec<&'static str> = chosen
            .iter()
            .filter(|c| c.version.verdict != Verdict::Retired)
            .map(|c| c.inst.id())
            .collect();
        let start_if_none_ran = if current.is_empty() {
            chosen.iter().map(|c| c.inst.id()).collect()
        } else {
            current
        };
        Job::Repair(RepairJob {
            insts: insts.clone(),
            mode,
            last_exes: app.last_exes.iter().map(|(c, p)| (*c, p.clone())).collect(),
            start_if_none_ran,
        })
    };
    app.one_click.insts = insts;
    app.one_click.left_alone = refused(clients);
    if !preview {
        // A new repair starts afresh; a full reset's undo stays offered after it ran.
        app.one_click.full_reset_ran = mode == Mode::Full;
    }
    app.one_click.set(Flow::Running { mode, preview });
    app.submit(job);
}

/// The worker finished a one-click job.
pub fn finished(app: &mut App, r: Repaired) {
    if r.dry_run {
        // The preview arrived; it is shown only while the full reset is still on offer.
        if matches!(app.one_click.flow, Flow::Running { preview: true, .. }) {
            app.one_click.set(Flow::OfferFull { preview: Some(r) });
        }
        return;
    }
    for (label, result) in &r.results {
        app.repair.card(label).result = Some(result.clone());
    }
    let cleared = r
        .results
        .iter()
        .any(|(_, res)| res.outcome().is_some_and(|o| !o.cancelled));
    if cleared {
        app.mark_cleared(r.mode);
    }
    // The status bar says it too (also when the card is scrolled away), in every language; the
    // card renders the lines itself, in the language shown.
    let one_click = &app.one_click;
    app.notice = Some(super::app::Notice::each(|lang| {
        notice(lang, &r, &result_lines(lang, one_click, &r), cleared)
    }));
    if r.cancelled {
        app.one_click.set(Flow::Stopped(r));
    } else {
        app.one_click.set(Flow::Ask {
            result: r,
            ask: cleared,
        });
    }
}

/// The status bar's message after a repair. A clean that worked after which Teams could not be
/// started again is a warning that says both (never a failure: the repair itself worked); a
/// cancelled repair is a warning too; a clean that failed is an error.
fn notice(lang: Lang, r: &Repaired, lines: &[Line], cleared: bool) -> super::app::Notice {
    let joined = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let not_started: Vec<&str> = r
        .started
        .iter()
        .filter(|s| s.result.is_err())
        .map(|s| s.name)
        .collect();
    let start_lines = r.started.iter().filter(|s| s.result.is_err()).count();
    // Every line but those of the clients that could not be started went well.
    let clean_ok = lines.iter().filter(|l| !l.ok).count() == start_lines;
    let (level, text) = if r.cancelled {
        (Level::Warning, joined)
    } else if clean_ok && cleared && !not_started.is_empty() {
        let headline = tr_args(
            lang,
            "gui.one_click.result.cleaned_not_started",
            &[("client", &not_started.join(", "))],
        );
        // The headline says Teams must be started by hand: the lines that say it again are
        // left out (the card keeps them, with "Start Teams").
        let done: Vec<&str> = lines
            .iter()
            .filter(|l| l.ok)
            .map(|l| l.text.as_str())
            .collect();
        (Level::Warning, format!("{headline} {}", done.join(" ")))
    } else if lines.iter().all(|l| l.ok) {
        (Level::Ok, joined)
    } else {
        (Level::Error, joined)
    };
    super::app::Notice::new(level, text)
}

/// What the repair did, one line per data root (also those it left alone) and per client
/// started.
fn result_lines(lang: Lang, ui: &OneClickUi, r: &Repaired) -> Vec<Line> {
    let insts = &ui.insts;
    let name = |label: &str| {
        insts
            .iter()
            .find(|i| i.label() == label)
            .map_or(label.to_string(), |i| shown_name(insts, i))
    };
    let mut lines = Vec::new();
    if !r.quit.forced.is_empty() {
        lines.push(Line {
            text: tr(lang, "gui.one_click.result.forced"),
            ok: true,
            start_by_hand: None,
        });
    }
    for (label, result) in &r.results {
        let client = name(label);
        let (text, ok) = match result {
            ClearResult::Done(o) => {
                let size = human_bytes(o.removed_total().bytes);
                let mut text = tr_args(
                    lang,
                    &format!("gui.one_click.result.cleared_{}", r.mode.id()),
                    &[("client", &client), ("size", &size)],
                );
                if !o.failures.is_empty() {
                    text.push(' ');
                    text.push_str(&tr_args(
                        lang,
                        "gui.one_click.result.failures",
                        &[("count", &o.failures.len().to_string())],
                    ));
                }
                (text, o.failures.is_empty())
            }
            ClearResult::StillRunning(_) => (
                tr_args(
                    lang,
                    "gui.one_click.result.still_running",
                    &[("client", &client)],
                ),
                false,
            ),
            ClearResult::Refused(m) => (
                tr_args(
                    lang,
                    "gui.one_click.result.refused",
                    &[("client", &client), ("reason", &m.text(lang))],
                ),
                false,
            ),
        };
        lines.push(Line {
            text,
            ok,
            start_by_hand: None,
        });
    }
    for (client, why) in &ui.left_alone {
        lines.push(Line {
            text: tr_args(
                lang,
                "gui.one_click.result.refused",
                &[("client", client), ("reason", &why.text(lang))],
            ),
            ok: false,
            start_by_hand: None,
        });
    }
    for s in &r.started {
        lines.push(match &s.result {
            Ok(_) => Line {
                text: tr_args(lang, "gui.one_click.result.started", &[("client", s.name)]),
                ok: true,
                start_by_hand: None,
            },
            Err(m) => Line {
                text: m.text(lang),
                ok: false,
                start_by_hand: insts.iter().find(|i| i.client.name == s.name).cloned(),
            },
        });
    }
    lines
}

/// The client's name, and which of its data roots when the repair works on several of the
/// same client ("Teams for Linux (flatpak)"): otherwise their result lines read the same.
fn shown_name(insts: &[Installation], inst: &Installation) -> String {
    let same = insts.iter().filter(|i| i.id() == inst.id()).count();
    if same < 2 {
        return inst.client.name.to_string();
    }
    let label = inst.label();
    let which = label
        .strip_prefix(&format!("{}-", inst.id()))
        .unwrap_or(&label);
    format!("{} ({which})", inst.client.name)
}

/// Writes the user's answer to "Does Teams work now?" to the journal.
fn record_answer(app: &App, mode: Mode, works: bool) {
    let lang = app.lang;
    let mut labels: Vec<String> = app.one_click.insts.iter().map(|i| i.label()).collect();
    labels.dedup();

    let (result, key) = if works {
        ("works", "gui.one_click.journal.works")
    } else {
        ("not_working", "gui.one_click.journal.not_working")
    };
    Journal {
        data_dir: &app.env.app_folders.data,
        lang,
    }
    .write(
        "teams_works",
        &labels.join(", "),
        result,
        |lang| {
            let mode_name = tr(lang, &format!("mode.{}.name", mode.id()));
            tr_args(lang, key, &[("mode", &mode_name)])
        },
        None,
    );
}

/// The checklist step to go on with: the first open step among those that matter for the
/// message the user diagnosed, else the first open step in checklist order. The update step
/// only counts when a client is outdated or retired.
pub fn next_step(app: &App) -> &'static str {
    let outdated = app
        .clients
        .iter()
        .flatten()
        .any(|c| matches!(c.version.verdict, Verdict::Outdated | Verdict::Retired));
    let open =
        |id: &str| app.saved.status(id) == StepStatus::Open && (id != UPDATE_STEP || outdated);
    let highlighted = app.checklist.highlighted();
    highlighted
        .iter()
        .copied()
        .find(|id| open(id))
        .or_else(|| CHECKLIST.iter().map(|s| s.id).find(|id| open(id)))
        .unwrap_or(CHECKLIST[0].id)
}

/// Sends the user to `step` in the checklist below the card: the step takes the focus and is
/// brought into view (not the card).
fn go_to_checklist(app: &mut App, step: &'static str) {
    app.one_click.flow = Flow::Checklist { step };
    app.checklist.lead_to(step);
    app.tab = Tab::Checklist;
}

/// The card at the top of the first screen.
pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let lang = app.lang;
    let focus = std::mem::take(&mut app.one_click.focus_next);
    let scroll = std::mem::take(&mut app.one_click.scroll_next);
    let accent = style::accent(ui);
    let preview_shown = matches!(app.one_click.flow, Flow::OfferFull { preview: Some(_) });
    let card = ui.scope(|ui| {
        widgets::card(ui, Some(accent), |ui| {
            widgets::section(ui, tr(lang, "gui.one_click.heading"));
            let flow = app.one_click.flow.clone();
            match flow {
                Flow::Idle | Flow::Fixed | Flow::Stopped(_) => {
                    if let Flow::Fixed = flow {
                        let r = ui.label(
                            RichText::new(tr(lang, "gui.one_click.fixed")).color(style::good(ui)),
                        );
                        widgets::announce(ui, &r);
                    }
                    if let Flow::Stopped(result) = &flow {
                        let r = ui.label(RichText::new(tr(lang, "gui.one_click.stopped")).strong());
                        widgets::announce(ui, &r);
                        let lines = result_lines(lang, &app.one_click, result);
                        show_lines(app, ui, &lines);
                    }
                    // After an answer or a Cancel the button must not take the focus: one
                    // Enter too many would run the repair again.
                    idle(app, ui, focus && matches!(flow, Flow::Idle));
                }
                Flow::Running { mode, preview } => running(app, ui, mode, preview, focus),
                Flow::Ask { result, ask } => {
                    let lines = result_lines(lang, &app.one_click, &result);
                    asking(app, ui, result.mode, &lines, ask, focus);
                }
                Flow::OfferFull { preview } => offer_full(app, ui, preview.as_ref(), focus),
                Flow::Checklist { step } => lead(app, ui, step, focus),
            }
        })
    });
    if scroll && !preview_shown {
        // Its next question must not be out of sight (a long preview brings its own buttons
        // into view instead).
        card.response.scroll_to_me(None);
    }
}

/// The button, what it keeps, and why it cannot run when it cannot.
fn idle(app: &mut App, ui: &mut egui::Ui, focus: bool) {
    let lang = app.lang;
    ui.label(tr(lang, "gui.one_click.what"));
    ui.add_space(4.0);
    let blocked = blocked(app);
    let text = blocked
        .as_ref()
        .map_or_else(|| tr(lang, "gui.one_click.button"), |b| b.button.clone());
    let clicked = ui
        .horizontal_wrapped(|ui| {
            let button = widgets::primary_button(ui, blocked.is_none(), &text);
            if let Some(b) = &blocked {
                if b.looking {
                    let spinner = ui.spinner();
                    widgets::name(ui, &spinner, &text);
                }
                if let Some(why) = &b.why {
                    widgets::describe(ui, &button, why);
                }
            }
            if focus && blocked.is_none() {
                button.request_focus();
            }
            button.clicked()
        })
        .inner;
    if let Some(why) = blocked.and_then(|b| b.why) {
        ui.label(RichText::new(why).color(style::warn(ui)));
    } else if let Some(clients) = &app.clients {
        // It can run, but not on every data root found: say which it skips, and why.
        for (client, why) in refused(clients) {
            ui.label(
                RichText::new(tr_args(
                    lang,
                    "gui.one_click.left_alone",
                    &[("client", client), ("reason", &why.text(lang))],
                ))
                .color(style::warn(ui)),
            );
        }
    }
    if clicked {
        start(app, Mode::Safe, false);
    }
}

/// What a step of the repair in `mode` does, in words.
pub fn step_text(lang: Lang, step: RepairStep, mode: Mode) -> String {
    let key = match (step, mode) {
        (RepairStep::Clear, Mode::Full) => "gui.one_click.step.clear_full",
        (s, _) => s.key(),
    };
    tr(lang, key)
}

/// "Step n of 3", a bar and Cancel.
fn running(app: &mut App, ui: &mut egui::Ui, mode: Mode, preview: bool, focus: bool) {
    let lang = app.lang;
    let Some(job) = &app.running else {
        // Queued behind another job.
        let r = ui.label(tr(lang, "gui.one_click.waiting"));
        widgets::announce(ui, &r);
        return;
    };
    let text = if preview {
        tr(lang, "gui.job.preview")
    } else {
        let step = job.step.unwrap_or(RepairStep::Quit);
        tr_args(
            lang,
            "gui.one_click.step_of",
            &[
                ("n", &step.number().to_string()),
                ("total", &RepairStep::ALL.len().to_string()),
                ("step", &step_text(lang, step, mode)),
            ],
        )
    };
    let label = ui.label(RichText::new(&text).strong());
    widgets::announce(ui, &label);
    let fraction = match (job.total, job.done) {
        (Some(total), done) if total > 0 => (done as f32 / total as f32).min(1.0),
        _ => 0.0,
    };
    let cancel_token = job.cancel.clone();
    ui.horizontal_wrapped(|ui| {
        let bar = ui.add(
            egui::ProgressBar::new(fraction)
                .animate(true)
                .desired_width(ui.available_width().min(360.0)),
        );
        widgets::name(ui, &bar, &text);
        let cancelled = cancel_token.is_cancelled();
        let cancel = ui.add_enabled(!cancelled, egui::Button::new(tr(lang, "gui.cancel")));
        // The button that started it is gone: the keyboard focus goes to Cancel.
        if focus {
            cancel.request_focus();
        }
        if cancel.clicked() {
            cancel_token.cancel();
        }
    });
}

fn show_lines(app: &mut App, ui: &mut egui::Ui, lines: &[Line]) {
    let lang = app.lang;
    for line in lines {
        ui.horizontal_wrapped(|ui| {
            let color = if line.ok {
                ui.visuals().text_color()
            } else {
                style::warn(ui)
            };
            ui.label(RichText::new(&line.text).color(color));
            if let Some(inst) = &line.start_by_hand
                && ui
                    .add_enabled(
                        !app.is_busy(),
                        egui::Button::new(tr(lang, "gui.repair.restart")),
                    )
                    .clicked()
            {
                let last_exe = app.last_exes.get(inst.id()).cloned();
                app.submit(Job::Restart {
                    inst: inst.clone(),
                    last_exe,
                });
            }
        });
    }
}

/// The result and "Does Teams work now?".
fn asking(app: &mut App, ui: &mut egui::Ui, mode: Mode, lines: &[Line], ask: bool, focus: bool) {
    let lang = app.lang;
    show_lines(app, ui, lines);
    if !ask {
        // Nothing was cleared (Teams kept running, or every root was refused): the lines say
        // why; the button is offered again.
        idle(app, ui, focus);
        return;
    }
    ui.add_space(4.0);
    let question = ui.label(
        RichText::new(tr(lang, "gui.one_click.ask"))
            .size(style::SECTION_SIZE)
            .strong(),
    );
    widgets::announce(ui, &question);
    ui.label(RichText::new(tr(lang, "gui.one_click.ask_hint")).weak());
    let (yes, no) = ui
        .horizontal_wrapped(|ui| {
            let yes = ui.button(tr(lang, "gui.one_click.yes"));
            let no = ui.button(tr(lang, "gui.one_click.no"));
            if focus {
                yes.request_focus();
            }
            (yes.clicked(), no.clicked())
        })
        .inner;
    if mode == Mode::Full {
        undo_last_reset(app, ui);
    }
    if yes {
        record_answer(app, mode, true);
        app.one_click.set(Flow::Fixed);
    } else if no {
        record_answer(app, mode, false);
        match mode {
            Mode::Safe => app.one_click.set(Flow::OfferFull { preview: None }),
            Mode::Full => {
                let step = next_step(app);
                go_to_checklist(app, step);
            }
        }
    }
}

/// The full reset, explained; its preview and confirmation once asked for.
fn offer_full(app: &mut App, ui: &mut egui::Ui, preview: Option<&Repaired>, focus: bool) {
    let lang = app.lang;
    let intro = ui.label(tr(lang, "gui.one_click.offer_full"));
    widgets::announce(ui, &intro);
    let busy = app.is_busy();
    match preview {
        None => {
            let (show, skip) = ui
                .horizontal_wrapped(|ui| {
                    let show = ui.add_enabled(
                        !busy,
                        egui::Button::new(tr(lang, "gui.one_click.show_full")),
                    );
                    let skip = ui.button(tr(lang, "gui.one_click.to_checklist"));
                    if focus {
                        show.request_focus();
                    }
                    (show.clicked(), skip.clicked())
                })
                .inner;
            if show {
                start(app, Mode::Full, true);
            } else if skip {
                let step = next_step(app);
                go_to_checklist(app, step);
            }
        }
        Some(p) => {
            let (confirm, not_now) = widgets::card(ui, Some(style::warn(ui)), |ui| {
                ui.label(RichText::new(tr(lang, "gui.one_click.preview_heading")).strong());
                for (label, result) in &p.results {
                    let name = app
                        .one_click
                        .insts
                        .iter()
                        .find(|i| &i.label() == label)
                        .map_or(label.clone(), |i| shown_name(&app.one_click.insts, i));
                    ui.label(RichText::new(name).strong());
                    match result {
                        ClearResult::Done(o) => tab_repair::preview(ui, lang, o),
                        ClearResult::Refused(m) => {
                            ui.label(RichText::new(m.text(lang)).color(style::warn(ui)));
                        }
                        ClearResult::StillRunning(_) => {}
                    }
                }
                ui.label(
                    RichText::new(tr(lang, "gui.repair.full_signs_out")).color(style::warn(ui)),
                );
                // Keep a backup of the sign-in and app data first, so the reset can be undone.
                super::helpdesk_panel::backup_choice(&mut app.helpdesk, ui, lang);
                let row = ui.horizontal_wrapped(|ui| {
                    let confirm = ui.add_enabled(
                        !busy,
                        egui::Button::new(
                            RichText::new(tr(lang, "gui.one_click.confirm_full")).strong(),
                        ),
                    );
                    let not_now = ui.button(tr(lang, "gui.repair.not_now"));
                    // The safe choice gets the focus: a second Enter must not reset Teams.
                    if focus {
                        not_now.request_focus();
                    }
                    (confirm.clicked(), not_now.clicked())
                });
                if focus {
                    ui.scroll_to_rect(row.response.rect.expand2(egui::vec2(0.0, 16.0)), None);
                }
                row.inner
            });
            if confirm {
                start(app, Mode::Full, false);
            } else if not_now {
                app.one_click.close_preview();
            }
        }
    }
}

/// Where the checklist goes on.
fn lead(app: &mut App, ui: &mut egui::Ui, step: &'static str, focus: bool) {
    let lang = app.lang;
    let title = crate::guide::checklist::step(step)
        .map(|s| tr(lang, &s.title_key()))
        .unwrap_or_default();
    let r = ui.label(tr_args(
        lang,
        "gui.one_click.checklist",
        &[("step", &title)],
    ));
    widgets::announce(ui, &r);
    undo_last_reset(app, ui);
    let (go, again) = ui
        .horizontal_wrapped(|ui| {
            let go = ui.button(tr(lang, "gui.one_click.go_step"));
            let again = ui.button(tr(lang, "gui.one_click.again"));
            if focus {
                go.request_focus();
            }
            (go.clicked(), again.clicked())
        })
        .inner;
    if go {
        app.checklist.lead_to(step);
    } else if again {
        app.one_click.set(Flow::Idle);
        app.checklist.lead_to_none();
    }
}

/// After a full reset that did not help: "Undo the last reset" for each data root it kept a
/// backup of (the same section as on the Repair tab's cards, with its confirmation).
fn undo_last_reset(app: &mut App, ui: &mut egui::Ui) {
    if !app.one_click.full_reset_ran {
        return;
    }
    for inst in app.one_click.insts.clone() {
        super::helpdesk_panel::undo_section(app, ui, &inst);
    }
}
