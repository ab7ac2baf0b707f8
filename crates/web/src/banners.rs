//! What the app says over the canvas: an error with a way to keep the work, a hint, the kind
//! of link to make, another tab's newer autosave, a share link's design to open and a share
//! link to copy by hand.

use moat_model::Design;
use yew::prelude::*;

use crate::i18n::{Text, kind_name, link_name, use_lang};
use crate::shared::Shared;
use crate::state::{Action, ConnectPicker, DropChoice, DropOffer, LinkChoice};

/// A choice between two designs that the user makes in a banner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// The other design (another tab's, or a share link's).
    Theirs,
    /// The design on screen.
    Mine,
}

#[derive(Properties, PartialEq)]
pub struct BannersProps {
    pub error: Option<String>,
    pub hint: Option<String>,
    pub link_choice: Option<LinkChoice>,
    pub drop_offer: Option<DropOffer>,
    pub connect_picker: Option<ConnectPicker>,
    pub shortcuts_open: bool,
    /// What another tab autosaved over this tab's design.
    pub other_tab: Option<Shared<Design>>,
    /// A share link's design, offered over earlier work.
    pub shared: Option<Shared<Design>>,
    /// A share link the browser would not let the app copy, to be copied by hand.
    pub share_link: Option<AttrValue>,
    pub on_close_share: Callback<()>,
    pub dispatch: Callback<Action>,
    /// Downloads the design on screen (the error banner's way to keep the work).
    pub on_download: Callback<()>,
    pub on_other_tab: Callback<Choice>,
    pub on_shared: Callback<Choice>,
}

#[function_component(Banners)]
pub fn banners(props: &BannersProps) -> Html {
    let lang = use_lang();
    let act = |action: Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
    };
    let choose = |on_choice: &Callback<Choice>, choice: Choice| {
        let on_choice = on_choice.clone();
        Callback::from(move |_: MouseEvent| on_choice.emit(choice))
    };
    let error = props.error.as_ref().map(|message| {
        let on_download = props.on_download.clone();
        let download = Callback::from(move |_: MouseEvent| on_download.emit(()));
        html! { <div class="error-banner" role="alert" data-testid="error">
            <span>{ message.clone() }</span>
            <button data-action="download-design" onclick={download}>{ Text::DownloadDesign.get(lang) }</button>
            <button data-action="dismiss" onclick={act(Action::DismissError)}>{ Text::Dismiss.get(lang) }</button>
        </div> }
    });
    let hint = props
        .hint
        .as_ref()
        .map(|hint| html! { <div class="hint" role="status" data-testid="hint">{ hint.clone() }</div> });
    let choice = props.link_choice.as_ref().map(|choice| html! {
        <div class="link-choice" data-testid="link-choice">
            <span>{ Text::LinkAs.fill(lang, &[("from", &choice.from_name), ("to", &choice.to_name)]) }</span>
            { for choice.kinds.iter().map(|kind| html! {
                <button data-link-kind={kind.as_str()} onclick={act(Action::ChooseLink(*kind))}>{ link_name(*kind, lang) }</button>
            }) }
            <button onclick={act(Action::Cancel)}>{ Text::Cancel.get(lang) }</button>
        </div>
    });
    let offer_to_place = props.drop_offer.as_ref().map(|offer| {
        let kind = kind_name(offer.kind, lang);
        let containers = offer.create.as_ref().map(|(_, chain)| {
            let named = chain.iter().map(|(container, role)| match role.and_then(|r| r.azure_subnet_name()) {
                Some(subnet) => format!("{} {subnet}", kind_name(*container, lang)),
                None => kind_name(*container, lang).to_owned(),
            });
            named.collect::<Vec<_>>().join(Text::ListSeparator.get(lang))
        });
        html! {
            <div class="link-choice" data-testid="drop-offer" role="group" aria-label={Text::DropCannot.fill(lang, &[("kind", &kind)])}>
                <span>{ Text::DropCannot.fill(lang, &[("kind", &kind)]) }</span>
                { for containers.map(|containers| html! {
                    <button data-action="create-containers" onclick={act(Action::PlaceDropped(DropChoice::Create))}>
                        { Text::DropCreate.fill(lang, &[("containers", &containers)]) }</button>
                }) }
                { for offer.nearest.as_ref().map(|(_, name, _)| html! {
                    <button data-action="place-nearest" onclick={act(Action::PlaceDropped(DropChoice::Nearest))}>
                        { Text::DropNearest.fill(lang, &[("name", name)]) }</button>
                }) }
                <button data-action="cancel-drop" onclick={act(Action::Cancel)}>{ Text::Cancel.get(lang) }</button>
            </div>
        }
    });
    let connect = props.connect_picker.as_ref().map(|picker| connect_picker(picker, &props.dispatch, lang));
    let shortcuts = props.shortcuts_open.then(|| shortcut_sheet(&props.dispatch, lang));
    let conflict = props.other_tab.as_ref().map(|_| html! {
        <div class="link-choice" data-testid="other-tab">
            <span>{ Text::OtherTab.get(lang) }</span>
            <button data-action="load-theirs" onclick={choose(&props.on_other_tab, Choice::Theirs)}>{ Text::LoadTheirs.get(lang) }</button>
            <button data-action="keep-mine" onclick={choose(&props.on_other_tab, Choice::Mine)}>{ Text::KeepMine.get(lang) }</button>
        </div>
    });
    let offer = props.shared.as_ref().map(|_| html! {
        <div class="link-choice" data-testid="share-offer">
            <span>{ Text::SharedOffer.get(lang) }</span>
            <button data-action="open-shared" onclick={choose(&props.on_shared, Choice::Theirs)}>{ Text::OpenIt.get(lang) }</button>
            <button data-action="keep-mine" onclick={choose(&props.on_shared, Choice::Mine)}>{ Text::KeepMine.get(lang) }</button>
        </div>
    });
    {
        // The Connect command's list takes the focus, so the keyboard goes on from there.
        let opened = props.connect_picker.as_ref().map(|p| p.from.clone());
        use_effect_with(opened, |opened| {
            if opened.is_some() {
                crate::browser::focus("#connect-target");
            }
        });
    }
    let link_input = use_node_ref();
    {
        // The link to copy by hand is focused (and so selected) when it is shown.
        let link_input = link_input.clone();
        use_effect_with(props.share_link.clone(), move |link| {
            if let (Some(_), Some(input)) = (link, link_input.cast::<web_sys::HtmlElement>()) {
                let _ = input.focus();
            }
        });
    }
    let share_link = props.share_link.as_ref().map(|link| {
        let on_close = props.on_close_share.clone();
        // Focused and selected at once, so Ctrl+C copies it.
        let select = Callback::from(|event: FocusEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                input.select();
            }
        });
        html! {
            <div class="link-choice share-link" data-testid="share-link">
                <label for="share-link-text">{ Text::ShareCopyHere.get(lang) }</label>
                <input id="share-link-text" readonly=true value={link.clone()} onfocus={select}
                       aria-label={Text::ShareLinkLabel.get(lang)} ref={link_input.clone()} />
                <button data-action="close-share" onclick={Callback::from(move |_: MouseEvent| on_close.emit(()))}>{ Text::Close.get(lang) }</button>
            </div>
        }
    });
    html! { <>{ for error }{ for hint }{ for choice }{ for connect }{ for shortcuts }{ for offer_to_place }{ for offer }{ for conflict }{ for share_link }</> }
}

/// The Connect command's list: what the selected element can be linked to, by name; Enter or
/// the Link button makes the link (or asks which kind, when several fit).
fn connect_picker(picker: &ConnectPicker, dispatch: &Callback<Action>, lang: crate::i18n::Lang) -> Html {
    if picker.targets.is_empty() {
        return html! {
            <div class="link-choice" data-testid="connect-picker" role="group">
                <span>{ Text::ConnectNothing.fill(lang, &[("from", &picker.from_name)]) }</span>
                <button data-action="cancel-connect" onclick={dispatch.reform(|_: MouseEvent| Action::Cancel)}>{ Text::Cancel.get(lang) }</button>
            </div>
        };
    }
    let chosen = NodeRef::default();
    let link = {
        let (dispatch, chosen) = (dispatch.clone(), chosen.clone());
        move || {
            if let Some(select) = chosen.cast::<web_sys::HtmlSelectElement>() {
                dispatch.emit(Action::ConnectTo(select.value()));
            }
        }
    };
    let onclick = {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| link())
    };
    let onkeydown = Callback::from(move |event: KeyboardEvent| {
        if event.key() == "Enter" {
            event.prevent_default();
            link();
        }
    });
    let label = Text::ConnectFrom.fill(lang, &[("from", &picker.from_name)]);
    html! {
        <div class="link-choice" data-testid="connect-picker" role="group" aria-label={label.clone()}>
            <label for="connect-target">{ label }</label>
            <select id="connect-target" data-field="connect-target" ref={chosen} {onkeydown}>
                { for picker.targets.iter().map(|(id, name)| html! { <option value={id.clone()}>{ name.clone() }</option> }) }
            </select>
            <button data-action="link-chosen" {onclick}>{ Text::LinkIt.get(lang) }</button>
            <button data-action="cancel-connect" onclick={dispatch.reform(|_: MouseEvent| Action::Cancel)}>{ Text::Cancel.get(lang) }</button>
        </div>
    }
}

/// The keyboard shortcuts, as a sheet over the canvas (`?` shows and hides it).
fn shortcut_sheet(dispatch: &Callback<Action>, lang: crate::i18n::Lang) -> Html {
    let rows = [
        ("Ctrl+Z, Ctrl+Shift+Z", Text::ShortcutUndo),
        ("Ctrl+C, Ctrl+V, Ctrl+D", Text::ShortcutClipboard),
        ("Ctrl+A", Text::ShortcutSelectAll),
        ("Delete", Text::ShortcutDelete),
        ("← ↑ → ↓", Text::ShortcutNudge),
        ("L", Text::ShortcutConnect),
        ("Escape", Text::ShortcutCancel),
        ("Space + drag", Text::ShortcutPan),
        ("Ctrl+S", Text::ShortcutSave),
        ("Alt+1, Alt+2, Alt+3", Text::ShortcutPlaces),
        ("Enter", Text::ShortcutAdd),
        ("?", Text::ShortcutSheet),
    ];
    html! {
        <div class="shortcut-sheet" data-testid="shortcuts" role="dialog" aria-label={Text::ShortcutsTitle.get(lang)}>
            <h2>{ Text::ShortcutsTitle.get(lang) }</h2>
            <table>
                { for rows.iter().map(|(keys, what)| html! { <tr><th scope="row"><kbd>{ *keys }</kbd></th><td>{ what.get(lang) }</td></tr> }) }
            </table>
            <button data-action="close-shortcuts" onclick={dispatch.reform(|_: MouseEvent| Action::ToggleShortcuts)}>{ Text::Close.get(lang) }</button>
        </div>
    }
}
