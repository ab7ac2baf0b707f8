//! The toolbar: files, undo, zoom, the design's title, its finding counts, the save state and
//! the language.

use moat_model::export::Format;
use moat_model::rules::Summary;
use yew::prelude::*;

use crate::i18n::{self, Text, use_lang};
use crate::state::{Action, SaveState};
use crate::toolbar_menus::{ExportMenu, TemplatesMenu, VersionsMenu};

/// What a toolbar button asks of the app (which holds the files, the canvas's size and the
/// language).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Open,
    Save,
    Share,
    Fit,
    TidyUp,
    SwitchLang,
}

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// The design's title, empty when it has none.
    pub title: AttrValue,
    pub summary: Summary,
    pub save_state: SaveState,
    pub zoom: f64,
    pub can_undo: bool,
    pub can_redo: bool,
    /// Changes when a version is saved (the Versions menu lists them again).
    pub saves: u64,
    /// The canvas's centre on screen, which the zoom buttons zoom about.
    pub center: (f64, f64),
    pub dispatch: Callback<Action>,
    pub on_command: Callback<Command>,
    pub on_template: Callback<&'static str>,
    pub on_export: Callback<Option<Format>>,
    pub on_restore: Callback<usize>,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let lang = use_lang();
    let act = |action: Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
    };
    let command = |command: Command| {
        let on_command = props.on_command.clone();
        Callback::from(move |_: MouseEvent| on_command.emit(command))
    };
    let title =
        if props.title.is_empty() { Text::UntitledDesign.get(lang).to_owned() } else { props.title.to_string() };
    let saved = match props.save_state {
        SaveState::Saved => Text::Saved.get(lang),
        SaveState::Pending => Text::Saving.get(lang),
    };
    let center = props.center;
    let summary = props.summary;
    html! {
        <header class="toolbar">
            <span class="brand">{ "Moat" }</span>
            <button data-action="new" title={Text::NewTitle.get(lang)} onclick={act(Action::Replace { design: Box::default(), fresh: false })}>{ Text::New.get(lang) }</button>
            <TemplatesMenu on_choose={props.on_template.clone()} />
            <button data-action="open" title={Text::OpenTitle.get(lang)} onclick={command(Command::Open)}>{ Text::Open.get(lang) }</button>
            <button data-action="save" title={Text::SaveTitle.get(lang)} onclick={command(Command::Save)}>{ Text::Save.get(lang) }</button>
            <ExportMenu on_export={props.on_export.clone()} />
            <button data-action="share" title={Text::ShareTitle.get(lang)} onclick={command(Command::Share)}>{ Text::Share.get(lang) }</button>
            <VersionsMenu stamp={props.saves} on_restore={props.on_restore.clone()} />
            <span class="separator" />
            // Arrows, as in draw.io and Excalidraw: named for screen readers and in the tooltip.
            <button data-action="undo" class="icon-button" title={Text::UndoTitle.get(lang)} aria-label={Text::Undo.get(lang)}
                    disabled={!props.can_undo} onclick={act(Action::Undo)}>{ "↶" }</button>
            <button data-action="redo" class="icon-button" title={Text::RedoTitle.get(lang)} aria-label={Text::Redo.get(lang)}
                    disabled={!props.can_redo} onclick={act(Action::Redo)}>{ "↷" }</button>
            <span class="separator" />
            <button data-action="zoom-out" title={Text::ZoomOut.get(lang)} aria-label={Text::ZoomOut.get(lang)} onclick={act(Action::Zoom { factor: 1.0 / 1.2, screen: center })}>{ "−" }</button>
            <span class="zoom" data-testid="zoom">{ format!("{:.0}%", props.zoom * 100.0) }</span>
            <button data-action="zoom-in" title={Text::ZoomIn.get(lang)} aria-label={Text::ZoomIn.get(lang)} onclick={act(Action::Zoom { factor: 1.2, screen: center })}>{ "+" }</button>
            <button data-action="fit" title={Text::FitTitle.get(lang)} onclick={command(Command::Fit)}>{ Text::Fit.get(lang) }</button>
            <button data-action="tidy-up" title={Text::TidyUpTitle.get(lang)} onclick={command(Command::TidyUp)}>{ Text::TidyUp.get(lang) }</button>
            <span class="title" data-testid="design-title" title={title.clone()}>{ title }</span>
            <span class="finding-counts" data-testid="finding-counts" title={Text::FindingCountsTitle.get(lang)}>
                <span class="badge error" data-severity="error">{ summary.error }</span>
                <span class="badge warning" data-severity="warning">{ summary.warning }</span>
                <span class="badge info" data-severity="info">{ summary.info }</span>
            </span>
            <span class={classes!("save-state", (props.save_state == SaveState::Pending).then_some("pending"))}
                  data-testid="save-state">{ saved }</span>
            <button data-action="lang" class="lang" title={Text::LangTitle.get(lang)} aria-label={Text::LangLabel.get(lang)}
                    onclick={command(Command::SwitchLang)}>
                <span lang={i18n::other(lang).as_str()}>{ Text::LangButton.get(lang) }</span>
            </button>
        </header>
    }
}
