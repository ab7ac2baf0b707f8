//! The toolbar's three menus (templates, export, earlier versions) as components of their
//! own: their props change rarely, so the app's renders during a drag or after an edit skip
//! them — the template thumbnails are large pictures, and the earlier versions are read from
//! local storage, which costs as much as the designs kept there.

use std::rc::Rc;

use moat_model::export::{Format, schema};
use yew::prelude::*;

use crate::browser;
use crate::i18n::{self, Text, use_lang};
use crate::menu::{self, MenuButton};
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct TemplatesMenuProps {
    /// Starts from the named template.
    pub on_choose: Callback<&'static str>,
}

#[function_component(TemplatesMenu)]
pub fn templates_menu(props: &TemplatesMenuProps) -> Html {
    let lang = use_lang();
    // One picture (a data URL) per template, in the order of `templates()`: drawn once, the
    // first time the menu opens, from the templates' files on the site.
    let thumbnails = use_state(|| Shared(Rc::new(Vec::<String>::new())));
    let on_drawn = {
        let thumbnails = thumbnails.clone();
        Callback::from(move |drawn: Vec<String>| thumbnails.set(Shared(Rc::new(drawn))))
    };
    html! {
        <MenuButton action="template" label={Text::Templates.get(lang)} title={Text::TemplatesTitle.get(lang)}
                    menu_label={Text::Templates.get(lang)} testid="template-menu" class={classes!("templates-menu")}>
            <TemplateEntries thumbnails={(*thumbnails).clone()} {on_drawn} on_choose={props.on_choose.clone()} />
        </MenuButton>
    }
}

#[derive(Properties, PartialEq)]
struct TemplateEntriesProps {
    thumbnails: Shared<Vec<String>>,
    /// Receives the thumbnails once drawn.
    on_drawn: Callback<Vec<String>>,
    on_choose: Callback<&'static str>,
}

/// The menu's entries, in the page only while the menu is open.
#[function_component(TemplateEntries)]
fn template_entries(props: &TemplateEntriesProps) -> Html {
    let lang = use_lang();
    {
        // Drawn again on the next opening if a file could not be read (offline, before the
        // service worker kept it).
        let drawn = !props.thumbnails.is_empty() && props.thumbnails.iter().all(|t| !t.is_empty());
        let on_drawn = props.on_drawn.clone();
        use_effect_with((), move |_| {
            if !drawn {
                wasm_bindgen_futures::spawn_local(async move {
                    let mut thumbnails = Vec::new();
                    for template in moat_model::templates::templates() {
                        let text = browser::fetch_text(template.file).await;
                        let design = text.and_then(|text| moat_model::templates::from_text(&text));
                        thumbnails.push(design.map(|design| thumbnail(&design)).unwrap_or_default());
                    }
                    on_drawn.emit(thumbnails);
                });
            }
        });
    }
    html! {
        { for moat_model::templates::templates().iter().enumerate().map(|(i, t)| {
            let (title, description) = i18n::template_text(t, lang);
            let (on_choose, name) = (props.on_choose.clone(), t.name);
            let onclick = Callback::from(move |_: MouseEvent| on_choose.emit(name));
            let picture = props.thumbnails.get(i).filter(|p| !p.is_empty());
            html! {
                <button class="template-entry" role={menu::ENTRY_ROLE} data-template={t.name} {onclick}>
                    { for picture.map(|src| html! { <img class="thumbnail" alt="" src={src.clone()} /> }) }
                    <span><strong>{ title }</strong><br /><span class="muted">{ description }</span></span>
                </button>
            }
        }) }
    }
}

/// A design drawn small, as a data URL.
fn thumbnail(design: &moat_model::Design) -> String {
    let icons = crate::browser::icon_sprite();
    let with = moat_model::export::svg::Picture { icons: icons.as_deref(), lang: crate::i18n::current() };
    let picture = moat_model::export::svg::picture(design, with);
    format!("data:image/svg+xml;charset=utf-8,{}", js_sys::encode_uri_component(&picture))
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
                    Format::Terraform => Text::ExportTerraform,
                    Format::Drawio => Text::ExportDrawio,
                    Format::Mermaid => Text::ExportMermaid,
                    Format::Svg => Text::ExportSvg,
                    Format::Report => Text::ExportReport,
                }
                .get(lang);
                html! { <button role={menu::ENTRY_ROLE} data-export={format.name()} onclick={entry(Some(*format))}>{ label }</button> }
            }) }
            // The format's JSON Schema is the same for every design: the file the site publishes.
            <a role={menu::ENTRY_ROLE} data-export="json-schema" href={schema::SCHEMA_PATH} download={schema::SCHEMA_PATH}>
                { Text::ExportJsonSchema.get(lang) }
            </a>
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
