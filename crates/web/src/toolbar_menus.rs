//! The toolbar's three menus (templates, export, earlier versions) as components of their
//! own: their props change rarely, so the app's renders during a drag or after an edit skip
//! them — the template thumbnails are large pictures, and the earlier versions are read from
//! local storage, which costs as much as the designs kept there.

use moat_model::export::Format;
use yew::prelude::*;

use crate::browser;
use crate::i18n::{self, Text, use_lang};
use crate::menu::{self, MenuButton};
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct TemplatesMenuProps {
    /// One picture (a data URL) per template, in the order of `templates()`.
    pub thumbnails: Shared<Vec<String>>,
    /// Starts from the named template.
    pub on_choose: Callback<&'static str>,
}

#[function_component(TemplatesMenu)]
pub fn templates_menu(props: &TemplatesMenuProps) -> Html {
    let lang = use_lang();
    html! {
        <MenuButton action="template" label={Text::Templates.get(lang)} title={Text::TemplatesTitle.get(lang)}
                    menu_label={Text::Templates.get(lang)} testid="template-menu" class={classes!("templates-menu")}>
            { for moat_model::templates::templates().iter().zip(props.thumbnails.iter()).map(|(t, thumbnail)| {
                let (title, description) = i18n::template_text(t, lang);
                let (on_choose, name) = (props.on_choose.clone(), t.name);
                let onclick = Callback::from(move |_: MouseEvent| on_choose.emit(name));
                html! {
                    <button class="template-entry" role={menu::ENTRY_ROLE} data-template={t.name} {onclick}>
                        <img class="thumbnail" alt="" src={thumbnail.clone()} />
                        <span><strong>{ title }</strong><br /><span class="muted">{ description }</span></span>
                    </button>
                }
            }) }
        </MenuButton>
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportMenuProps {
    /// Exports in a format; `None` is a PNG picture.
    pub on_export: Callback<Option<Format>>,
}

#[function_component(ExportMenu)]
pub fn export_menu(props: &ExportMenuProps) -> Html {
    let lang = use_lang();
    let entry = |format: Option<Format>| {
        let on_export = props.on_export.clone();
        Callback::from(move |_: MouseEvent| on_export.emit(format))
    };
    html! {
        <MenuButton action="export" label={Text::Export.get(lang)} title={Text::ExportTitle.get(lang)}
                    menu_label={Text::Export.get(lang)} testid="export-menu">
            { for Format::ALL.iter().map(|format| {
                let label = match format {
                    Format::Json => Text::ExportJson,
                    Format::JsonSchema => Text::ExportJsonSchema,
                    Format::Terraform => Text::ExportTerraform,
                    Format::Drawio => Text::ExportDrawio,
                    Format::Mermaid => Text::ExportMermaid,
                    Format::Svg => Text::ExportSvg,
                    Format::Report => Text::ExportReport,
                }
                .get(lang);
                html! { <button role={menu::ENTRY_ROLE} data-export={format.name()} onclick={entry(Some(*format))}>{ label }</button> }
            }) }
            <button role={menu::ENTRY_ROLE} data-export="png" onclick={entry(None)}>{ Text::ExportPng.get(lang) }</button>
        </MenuButton>
    }
}

#[derive(Properties, PartialEq)]
pub struct VersionsMenuProps {
    /// Changes whenever the autosave was written (and so the versions may have changed).
    pub stamp: u64,
    /// Opens an earlier version: its position in `browser::versions()`.
    pub on_restore: Callback<usize>,
}

#[function_component(VersionsMenu)]
pub fn versions_menu(props: &VersionsMenuProps) -> Html {
    let lang = use_lang();
    let versions = use_memo(props.stamp, |_| browser::versions());
    html! {
        <MenuButton action="versions" label={Text::Versions.get(lang)} title={Text::VersionsTitle.get(lang)}
                    menu_label={Text::Versions.get(lang)} testid="versions-menu">
            { for versions.iter().enumerate().map(|(i, version)| {
                let on_restore = props.on_restore.clone();
                let onclick = Callback::from(move |_: MouseEvent| on_restore.emit(i));
                let title = if version.title.is_empty() { Text::UntitledDesign.get(lang).to_owned() } else { version.title.clone() };
                let saved_at = version.saved_at.replace('T', " ").chars().take(19).collect::<String>();
                html! { <button role={menu::ENTRY_ROLE} data-version={i.to_string()} {onclick}>{ format!("{saved_at} — {title}") }</button> }
            }) }
            { for versions.is_empty().then(|| html! { <button role={menu::ENTRY_ROLE} disabled=true>{ Text::NoVersions.get(lang) }</button> }) }
        </MenuButton>
    }
}
