//! moat-web: the Yew app — a whiteboard over moat-model. Views draw the design and turn
//! gestures into `state::Action`s; the model decides what they do to the design.

mod analysis_panel;
mod banners;
mod bench;
mod browser;
mod canvas;
mod culling;
mod estimates_panel;
mod findings_panel;
mod hooks;
pub mod i18n;
mod inspector;
mod legend;
mod menu;
mod outline;
mod palette;
mod reach_panel;
mod shared;
pub mod state;
mod toolbar;
mod toolbar_menus;

use std::rc::Rc;

use gloo::events::EventListener;
use moat_model::{Design, format};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use analysis_panel::{AnalysisPanel, PanelSize, Tab};
use banners::{Banners, Choice};
pub use canvas::Canvas;
use hooks::{DesignFiles, PriceBookState};
use i18n::{Lang, Text, tr, trf};
use inspector::Inspector;
use palette::Palette;
use reach_panel::Query;
use shared::Shared;
use state::{Action, Editor, Gesture, Target, open_file};
use toolbar::{Command, Toolbar};

/// The example design the app opens with on a first visit.
pub const EXAMPLE_NAME: &str = "n-tier.moat.json";

/// The example as the tests read it; the app reads it from its site (`start`).
#[cfg(test)]
pub const EXAMPLE_JSON: &str = include_str!("../../../assets/examples/n-tier.moat.json");

/// Builds the first state: the autosaved design if there is one, else the example (blank when
/// the site's copy could not be read: `start` has kept why, to show).
fn initial_editor() -> Editor {
    let example = || {
        let text = EXAMPLE.with(std::cell::RefCell::take).unwrap_or_default();
        format::load(&text).map(|l| l.design).unwrap_or_default()
    };
    match browser::load_autosave() {
        None => Editor::new(example()),
        Some(text) => match open_file(tr(Text::AutosavedDesign), text.as_bytes()) {
            Ok(design) => Editor::new(design),
            Err(message) => {
                // Keep the unreadable copy: the user's work is never thrown away.
                let kept = browser::store(browser::UNREADABLE_KEY, &text).is_ok();
                let mut editor = Editor::new(example());
                editor.error = Some(if kept {
                    trf(Text::KeptAs, &[("message", &message), ("key", &browser::UNREADABLE_KEY)])
                } else {
                    message
                });
                editor
            }
        },
    }
}

/// The whole app.
#[function_component(App)]
pub fn app() -> Html {
    // The language first: what the first state says (an unreadable autosave) is in it.
    let lang_state = use_state(browser::initial_lang);
    let lang = *lang_state;
    i18n::set_current(lang);
    use_effect_with(lang, |lang| browser::apply_lang(*lang));
    let state = use_reducer(initial_editor);
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            if let Some(message) = UNREAD_AT_START.with(std::cell::RefCell::take) {
                dispatch.dispatch(Action::ShowError(message));
            }
        });
    }
    let svg_ref = use_node_ref();
    let root_ref = use_node_ref();
    let file_input = use_node_ref();
    let latest = use_mut_ref(|| state.design.clone());
    *latest.borrow_mut() = state.design.clone();
    // Analyses run when the design settles: during a drag they keep their last answer.
    let idle = state.gesture.is_none();
    // The analyses run after the frame that shows an edit (see `use_analyses`); until they
    // are back the panels show the last answers, marked as being brought up to date.
    let analysed = hooks::use_analyses(&state.design, idle);
    let updating = !Rc::ptr_eq(&analysed.design, &state.design);
    let (problems, report, flows) = (analysed.problems.clone(), analysed.report.clone(), analysed.flows.clone());
    // The panels show the design the analyses are of; the inspector the settled design
    // (during a gesture, the one from before it), so a drag redraws the canvas only.
    let settled = hooks::use_inspected_design(&state.design, idle);
    let dragging = matches!(&state.gesture, Some(Gesture::Move { offset, .. }) if *offset != (0.0, 0.0));
    let inspected = hooks::use_inspected_selection(&state.selection, dragging);
    let panel_design = analysed.design.clone();
    let finding_names: Rc<findings_panel::ElementNames> =
        use_memo((Shared(panel_design.clone()), Shared(report.clone())), |(design, report)| {
            findings_panel::element_names(design, report)
        });
    let markers: Shared<std::collections::BTreeMap<String, (moat_model::rules::Severity, usize)>> =
        use_memo(Shared(report.clone()), |report| {
            let mut markers = std::collections::BTreeMap::new();
            for finding in &report.findings {
                let entry = markers.entry(finding.element.clone()).or_insert((finding.severity, 0));
                entry.0 = entry.0.max(finding.severity);
                entry.1 += 1;
            }
            markers
        })
        .into();
    let tab = use_state(Tab::default);
    // How the page is laid out around the canvas: session state, never saved in the design.
    // The palette shows icons only on a narrow window until the user opens it.
    let narrow = hooks::use_window_width() < hooks::NARROW_WINDOW;
    let palette_open = use_state(|| None::<bool>);
    let palette_folded = palette_open.map_or(narrow, |open| !open);
    let inspector_folded = use_state(|| false);
    let panel_size = use_state(PanelSize::default);
    let on_fold_palette = {
        let palette_open = palette_open.setter();
        use_callback(palette_folded, move |_: (), folded| palette_open.set(Some(*folded)))
    };
    let on_fold_inspector = {
        let inspector_folded = inspector_folded.clone();
        use_callback(*inspector_folded, move |_: (), folded| inspector_folded.set(!*folded))
    };
    let dispatch_action = {
        let dispatch = state.dispatcher();
        use_callback((), move |action: Action, _| dispatch.dispatch(action))
    };
    let PriceBookState { book, unreadable: book_unreadable } = hooks::use_price_book(dispatch_action.clone());
    let rule_texts = hooks::use_rule_texts(lang, dispatch_action.clone());
    let imported = use_state(Vec::<(String, moat_model::cost::Imported)>::new);
    let prices_input = use_node_ref();
    let query = use_state(Query::default);
    let denied_flows: Shared<std::collections::BTreeSet<String>> = use_memo(Shared(flows.clone()), |flows| {
        moat_model::sorting::set_of(
            flows.iter().filter(|(_, a)| a.verdict == moat_model::reach::Verdict::Deny).map(|(id, _)| id.clone()),
        )
    })
    .into();
    let shown_path = use_memo(
        (Shared(panel_design.clone()), (*query).clone(), *tab == Tab::Reachability),
        |(design, query, shown)| {
            let answer = if *shown { query.answer(design) } else { None };
            answer.map(|a| (a.path, a.return_path)).unwrap_or_default()
        },
    );

    // What this tab last wrote to the autosave, to notice another tab writing over it.
    let written = use_mut_ref(browser::load_autosave);
    let other_tab = hooks::use_other_tab(written.clone());
    hooks::use_autosave(&state, latest.clone(), written.clone());
    hooks::use_keyboard(state.dispatcher(), latest.clone());
    let shared = hooks::use_share_link(dispatch_action.clone());
    {
        // Show the whole design on first load.
        let (dispatch, svg_ref) = (state.dispatcher(), svg_ref.clone());
        use_effect_with((), move |_| {
            if let Some(size) = element_size(&svg_ref) {
                dispatch.dispatch(Action::Fit { size });
            }
        });
    }

    let canvas_size = use_canvas_size(&svg_ref);
    {
        // The editor places what the keyboard adds, and follows it, in the canvas on screen.
        let dispatch = state.dispatcher();
        use_effect_with(*canvas_size, move |size| dispatch.dispatch(Action::CanvasResized(*size)));
    }
    // The viewport as of the latest render: canvas elements keep the callbacks of the render
    // that last drew them, so what those callbacks read must not be a copy from that render.
    let current_viewport = use_mut_ref(|| state.viewport);
    *current_viewport.borrow_mut() = state.viewport;
    let points = {
        let (svg_ref, current_viewport) = (svg_ref.clone(), current_viewport.clone());
        move |x: i32, y: i32| -> ((f64, f64), (f64, f64), bool) {
            let viewport = *current_viewport.borrow();
            let rect = svg_ref.cast::<web_sys::Element>().map(|e| e.get_bounding_client_rect());
            let (left, top, w, h) = rect.map_or((0.0, 0.0, 0.0, 0.0), |r| (r.left(), r.top(), r.width(), r.height()));
            let screen = (f64::from(x) - left, f64::from(y) - top);
            let over = screen.0 >= 0.0 && screen.1 >= 0.0 && screen.0 <= w && screen.1 <= h;
            (viewport.to_canvas(screen), screen, over)
        }
    };
    // Callbacks handed to components are made once (`use_callback` with no dependencies: they
    // read only refs and the dispatcher, which never change), so the components' props stay
    // equal from one render to the next.
    let on_pointer_down = {
        let (dispatch, root_ref, points) = (state.dispatcher(), root_ref.clone(), points.clone());
        use_callback((), move |(target, event): (Target, PointerEvent), _| {
            if event.button() == 2 {
                return;
            }
            let (canvas, screen, _) = points(event.client_x(), event.client_y());
            if let Some(root) = root_ref.cast::<web_sys::Element>() {
                let _ = root.set_pointer_capture(event.pointer_id());
            }
            let pan = event.button() == 1;
            dispatch.dispatch(Action::PointerDown { target, canvas, screen, shift: event.shift_key(), pan });
        })
    };
    let select_one = {
        let dispatch = state.dispatcher();
        use_callback((), move |id: String, _| dispatch.dispatch(Action::Select(vec![id])))
    };
    let add_in_selection = {
        let dispatch = state.dispatcher();
        use_callback((), move |kind, _| dispatch.dispatch(Action::AddInSelection(kind)))
    };
    let focus_element = {
        let (dispatch, svg_ref) = (state.dispatcher(), svg_ref.clone());
        use_callback((), move |id: String, _| {
            let size = element_size(&svg_ref).unwrap_or((800.0, 600.0));
            dispatch.dispatch(Action::Focus { id, size });
        })
    };
    let set_query = {
        let query = query.setter();
        use_callback((), move |q: Query, _| query.set(q))
    };
    let import_prices = {
        let prices_input = prices_input.clone();
        use_callback((), move |_: MouseEvent, _| {
            if let Some(input) = prices_input.cast::<web_sys::HtmlElement>() {
                input.click();
            }
        })
    };
    let on_pointer_move = {
        let (dispatch, points, active) = (state.dispatcher(), points.clone(), state.gesture.is_some());
        Callback::from(move |event: PointerEvent| {
            if active {
                let (canvas, screen, over_canvas) = points(event.client_x(), event.client_y());
                dispatch.dispatch(Action::PointerMove { canvas, screen, over_canvas });
            }
        })
    };
    let on_pointer_up = {
        let (dispatch, points, active) = (state.dispatcher(), points.clone(), state.gesture.is_some());
        // Only a link being drawn asks what it ends on (a hit test costs a layout).
        let connecting = matches!(state.gesture, Some(Gesture::Connect { .. }));
        Callback::from(move |event: PointerEvent| {
            if active {
                let (canvas, screen, over_canvas) = points(event.client_x(), event.client_y());
                dispatch.dispatch(Action::PointerMove { canvas, screen, over_canvas });
                let over = connecting.then(|| element_under(event.client_x(), event.client_y())).flatten();
                dispatch.dispatch(Action::PointerUp { canvas, over });
            }
        })
    };
    let export_as = {
        let (latest, dispatch) = (latest.clone(), state.dispatcher());
        let deps = (book.as_ref().map(|b| Shared(b.clone())), (*book_unreadable).clone(), rule_texts.english.clone());
        use_callback(deps, move |format: Option<moat_model::export::Format>, (book, unreadable, english)| {
            use moat_model::export::Format;
            let design = latest.borrow().clone();
            let result = match (format, book) {
                (Some(Format::Json), _) => {
                    save_design(&design, &dispatch);
                    Ok(())
                }
                (Some(format), None) if format.priced() => {
                    Err(unreadable.as_deref().unwrap_or(i18n::tr(Text::PricesLoading)).to_owned())
                }
                // The report quotes the rules' fixes: read them first if no finding was opened.
                (Some(Format::Report), book) if english.is_none() => {
                    let (book, dispatch) = (book.clone(), dispatch.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let made = hooks::read_english_rules()
                            .await
                            .and_then(|english| export_file(&design, Format::Report, book.as_deref(), Some(&english)));
                        if let Err(message) = made {
                            dispatch.dispatch(Action::ShowError(message));
                        }
                    });
                    Ok(())
                }
                // A format that prices nothing never reads the book.
                (Some(format), book) => export_file(&design, format, book.as_deref(), english.as_deref()),
                (None, _) => {
                    let icons = browser::icon_sprite();
                    let picture = moat_model::export::svg::Picture { icons: icons.as_deref(), lang: i18n::current() };
                    browser::download_png(
                        &browser::export_name(&design.meta.title, "png"),
                        &moat_model::export::svg::picture(&design, picture),
                    )
                }
            };
            if let Err(message) = result {
                dispatch.dispatch(Action::ShowError(message));
            }
        })
    };
    let start_from = {
        let (dispatch, svg_ref) = (state.dispatcher(), svg_ref.clone());
        use_callback((), move |name: &'static str, _| {
            let Some(template) = moat_model::templates::templates().iter().find(|t| t.name == name) else { return };
            let (dispatch, svg_ref) = (dispatch.clone(), svg_ref.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = browser::fetch_text(template.file).await;
                let read = |text: String| {
                    moat_model::templates::from_text(&text).map_err(|e| format!("{}: {e}", template.file))
                };
                open_over(&dispatch, &svg_ref, text.and_then(read));
            });
        })
    };
    let restore_version = {
        let dispatch = state.dispatcher();
        use_callback((), move |position: usize, _| {
            let Some(version) = browser::versions().into_iter().nth(position) else { return };
            match open_file(tr(Text::EarlierVersion), version.text.as_bytes()) {
                Ok(design) => dispatch.dispatch(Action::Replace { design: Box::new(design), fresh: false }),
                Err(message) => dispatch.dispatch(Action::ShowError(message)),
            }
        })
    };
    let on_wheel = {
        let (dispatch, points) = (state.dispatcher(), points.clone());
        use_callback((), move |event: WheelEvent, _| {
            let (_, screen, _) = points(event.client_x(), event.client_y());
            let (dx, dy) = (event.delta_x(), event.delta_y());
            // Pinch (ctrl) and mouse-wheel notches zoom; a trackpad's two-finger scroll pans.
            if event.ctrl_key() || (dx == 0.0 && dy.abs() >= 50.0) {
                dispatch.dispatch(Action::Zoom { factor: (-dy * 0.002).exp(), screen });
            } else {
                dispatch.dispatch(Action::Pan(-dx, -dy));
            }
        })
    };

    let DesignFiles { on_chosen: on_file_chosen, on_drop } =
        hooks::use_design_files(state.dispatcher(), svg_ref.clone());
    let on_drag_over = Callback::from(|event: DragEvent| event.prevent_default());
    let on_prices_chosen = {
        let (book, unreadable, imported, dispatch) =
            (book.clone(), (*book_unreadable).clone(), imported.clone(), state.dispatcher());
        Callback::from(move |event: Event| {
            let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            let files: Vec<web_sys::File> =
                input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
            input.set_value("");
            if files.is_empty() {
                return;
            }
            let (book, unreadable, imported, dispatch) =
                (book.clone(), unreadable.clone(), imported.clone(), dispatch.clone());
            // The files are taken in order over one book; one that cannot be read changes nothing.
            wasm_bindgen_futures::spawn_local(async move {
                let Some(mut next) = book.as_deref().cloned() else {
                    let reason = unreadable.as_deref().unwrap_or(Text::PricesLoading.get(lang));
                    return dispatch.dispatch(Action::ShowError(reason.to_owned()));
                };
                let mut files_read = (*imported).clone();
                for file in files {
                    let name = file.name();
                    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
                    let text = text.ok_or_else(|| trf(Text::CouldNotReadFile, &[("file", &name)]));
                    match text.and_then(|text| next.import(&name, &text)) {
                        Ok(summary) => files_read.push((name, summary)),
                        Err(message) => return dispatch.dispatch(Action::ShowError(message)),
                    }
                }
                book.set(Some(Rc::new(next)));
                imported.set(files_read);
            });
        })
    };

    // A share link the browser would not let us copy, shown to be copied by hand.
    let share_link = use_state(|| None::<AttrValue>);
    let on_command = {
        let (dispatch, file_input, latest, svg_ref, set_lang, show_link) = (
            state.dispatcher(),
            file_input.clone(),
            latest.clone(),
            svg_ref.clone(),
            lang_state.setter(),
            share_link.setter(),
        );
        use_callback((), move |command: Command, _| {
            let fit = || {
                if let Some(size) = element_size(&svg_ref) {
                    dispatch.dispatch(Action::Fit { size });
                }
            };
            match command {
                Command::Open => {
                    if let Some(input) = file_input.cast::<web_sys::HtmlElement>() {
                        input.click();
                    }
                }
                Command::Save => save_design(&latest.borrow(), &dispatch),
                Command::Share => {
                    let json = moat_model::share::json_of(&latest.borrow());
                    // Copied, or shown to be copied by hand when the browser refuses.
                    let (dispatch, show_link) = (dispatch.clone(), show_link.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let packed =
                            browser::through_deflate(json.as_bytes(), browser::Deflate::Pack, usize::MAX).await;
                        let link = packed
                            .ok()
                            .and_then(|packed| browser::set_fragment(&moat_model::share::fragment_of(&packed)));
                        let Some(link) = link else {
                            return dispatch.dispatch(Action::ShowError(tr(Text::ShareFailed).into()));
                        };
                        match browser::copy_text(&link).await {
                            Ok(()) => {
                                let n = link.chars().count();
                                dispatch.dispatch(Action::Notify(trf(Text::ShareCopied, &[("n", &n)])))
                            }
                            Err(_) => show_link.set(Some(AttrValue::from(link))),
                        }
                    });
                }
                Command::Fit => fit(),
                Command::TidyUp => {
                    dispatch.dispatch(Action::TidyUp);
                    fit();
                }
                Command::SwitchLang => {
                    let next = i18n::other(i18n::current());
                    let (set_lang, dispatch) = (set_lang.clone(), dispatch.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if next == Lang::Ja
                            && let Err(message) = i18n::read(Lang::Ja).await
                        {
                            dispatch.dispatch(Action::ShowError(message));
                            return;
                        }
                        browser::choose_lang(next);
                        browser::apply_lang(next);
                        set_lang.set(next);
                    });
                }
            }
        })
    };
    let toolbar = html! {
        <>
            // From the size kept up to date on resize: measuring here would force a layout in
            // the middle of every render.
            <Toolbar title={AttrValue::from(state.design.meta.title.clone())} summary={report.summary} save_state={state.save_state}
                zoom={state.viewport.zoom} can_undo={state.history.can_undo()} can_redo={state.history.can_redo()}
                saves={state.saves} center={(canvas_size.0 / 2.0, canvas_size.1 / 2.0)} dispatch={dispatch_action.clone()}
                on_command={on_command} on_template={start_from} on_export={export_as} on_restore={restore_version} />
            <input ref={file_input} class="file-input" type="file" accept=".json,application/json"
                   aria-label={Text::OpenTitle.get(lang)} tabindex="-1"
                   data-action="open-file" onchange={on_file_chosen} />
            <input ref={prices_input.clone()} class="file-input" type="file" accept=".json,application/json" multiple=true
                   aria-label={Text::ImportPrices.get(lang)} tabindex="-1"
                   data-action="prices-file" onchange={on_prices_chosen} />
        </>
    };

    let on_download = {
        let (latest, dispatch) = (latest.clone(), state.dispatcher());
        use_callback((), move |_: (), _| save_design(&latest.borrow(), &dispatch))
    };
    let on_other_tab = {
        let (dispatch, other_tab, latest, written) =
            (state.dispatcher(), other_tab.clone(), latest.clone(), written.clone());
        Callback::from(move |choice: Choice| {
            match (choice, other_tab.as_ref()) {
                (Choice::Theirs, Some(theirs)) => {
                    dispatch.dispatch(Action::Replace { design: Box::new((**theirs).clone()), fresh: false })
                }
                // Keep mine: write it back over the other tab's version.
                _ => {
                    let design = latest.borrow().clone();
                    let text = format::to_json(&design);
                    if browser::autosave(&text, &design.meta.title).is_ok() {
                        *written.borrow_mut() = Some(text);
                    }
                }
            }
            other_tab.set(None);
        })
    };
    let on_shared = {
        let (dispatch, shared) = (state.dispatcher(), shared.clone());
        Callback::from(move |choice: Choice| {
            if let (Choice::Theirs, Some(design)) = (choice, shared.as_ref()) {
                dispatch.dispatch(Action::Replace { design: Box::new((**design).clone()), fresh: false });
            }
            shared.set(None);
        })
    };
    let on_close_share = {
        let share_link = share_link.setter();
        use_callback((), move |_: (), _| share_link.set(None))
    };
    let overlay = html! {
        <Banners error={state.error.clone()} hint={state.hint.clone()} link_choice={state.link_choice.clone()} drop_offer={state.drop_offer.clone()}
            connect_picker={state.connect_picker.clone()} shortcuts_open={state.shortcuts_open}
            other_tab={other_tab.as_ref().map(|d| Shared(d.clone()))} shared={shared.as_ref().map(|d| Shared(d.clone()))}
            share_link={(*share_link).clone()} on_close_share={on_close_share}
            dispatch={dispatch_action.clone()} {on_download} {on_other_tab} {on_shared} />
    };

    let on_tab = {
        let tab = tab.setter();
        use_callback((), move |chosen: Tab, _| tab.set(chosen))
    };
    let finding_focus = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    let on_marker = {
        let (dispatch, tab, panel_size) = (state.dispatcher(), tab.setter(), panel_size.clone());
        use_callback(*panel_size, move |id: String, size| {
            dispatch.dispatch(Action::Select(vec![id.clone()]));
            tab.set(Tab::Findings);
            if *size == PanelSize::Folded {
                panel_size.set(PanelSize::Normal);
            }
            // Once the panel shows them: the element's first finding takes the focus (and so
            // scrolls into view).
            let selector = format!("li.finding[data-finding-element=\"{id}\"] [data-action=focus]");
            *finding_focus.borrow_mut() = Some(gloo::timers::callback::Timeout::new(0, move || {
                browser::focus(&selector);
            }));
        })
    };
    let on_panel_size = {
        let panel_size = panel_size.setter();
        use_callback((), move |size: PanelSize, _| panel_size.set(size))
    };
    let panel = html! {
        <AnalysisPanel tab={*tab} {on_tab} size={*panel_size} on_size={on_panel_size} design={panel_design.clone()} problems={problems.clone()}
            report={report.clone()} finding_names={finding_names.clone()} denied={denied_flows.len()} {updating}
            rule_texts={rule_texts.of(lang)} want_rule_texts={rule_texts.want_english.clone()} book={book.as_ref().map(|b| Shared(b.clone()))} book_unreadable={(*book_unreadable).clone()}
            imported={(*imported).clone()} on_import={import_prices.clone()} selection={state.selection.clone()}
            query={(*query).clone()} on_query={set_query.clone()} on_focus={focus_element.clone()} dispatch={dispatch_action.clone()} />
    };

    let carrying = matches!(state.gesture, Some(Gesture::Palette { .. }));
    html! {
        <ContextProvider<Lang> context={lang}>
        <div class={classes!("app", carrying.then_some("carrying"), state.space_held.then_some("panning"))} ref={root_ref}
             onpointermove={on_pointer_move} onpointerup={on_pointer_up} ondrop={on_drop} ondragover={on_drag_over}>
            // The first stop of Tab: past the toolbar and the palette, to the canvas.
            <a class="skip-link" href="#canvas" data-action="skip-to-canvas" onclick={Callback::from(|event: MouseEvent| {
                event.prevent_default();
                let _ = hooks::CANVAS.iter().any(|selector| browser::focus(selector));
            })}>{ Text::SkipToCanvas.get(lang) }</a>
            { toolbar }
            <div class="body">
                <Palette on_pointer_down={on_pointer_down.clone()} on_add={add_in_selection} folded={palette_folded}
                    on_fold={on_fold_palette} />
                <main class="workspace">
                    <Canvas design={state.design.clone()} selection={state.selection.clone()} viewport={state.viewport}
                            gesture={state.gesture.clone()} on_pointer_down={on_pointer_down} {on_wheel} node_ref={svg_ref}
                            path={shown_path.0.clone()} return_path={shown_path.1.clone()} {denied_flows} {markers}
                            on_select={select_one} size={*canvas_size} {on_marker} />
                    { overlay }
                    { panel }
                </main>
                <Inspector design={settled.clone()} selection={inspected.0} behind={inspected.1} problems={problems}
                           dispatch={dispatch_action} folded={*inspector_folded} on_fold={on_fold_inspector}
                           book={book.as_ref().map(|b| Shared(b.clone()))} />
            </div>
        </div>
        </ContextProvider<Lang>>
    }
}

/// Downloads the design as a file of `format` (priced with `book`, the built-in one when
/// read; the report's fixes from `english`, the rules' texts read from the site).
fn export_file(
    design: &Design,
    format: moat_model::export::Format,
    book: Option<&moat_model::cost::PriceBook>,
    english: Option<&moat_model::rules::i18n::Translation>,
) -> Result<(), String> {
    let (icons, date) = (browser::icon_sprite(), browser::today());
    let picture = moat_model::export::svg::Picture { icons: icons.as_deref(), lang: i18n::current() };
    let no_prices = moat_model::cost::PriceBook::empty();
    let with =
        moat_model::export::With { book: book.unwrap_or(&no_prices), picture, date: Some(&date), rule_texts: english };
    browser::download(
        &browser::export_name(&design.meta.title, format.extension()),
        &moat_model::export::export_with(design, format, &with),
    )
}

/// Mounts the app on `root`, with `example` as the design of a first visit (what `start`
/// reads from the site). The reference tables must be there: built in, or installed.
pub fn mount(root: web_sys::Element, example: &str) {
    EXAMPLE.with(|kept| kept.replace(Some(example.to_owned())));
    yew::Renderer::<App>::with_root(root).render();
}

/// Starts the app on the page's body.
pub fn start() {
    // What is said before the app is mounted (an unreadable file) is in the page's language.
    i18n::set_current(browser::initial_lang());
    wasm_bindgen_futures::spawn_local(async {
        match read_before_start().await {
            Ok(()) => mount_on_body(),
            Err(message) => show_cannot_start(&message),
        }
    });
}

thread_local! {
    /// The example's text, read from the site before the first render on a first visit.
    static EXAMPLE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    /// Why a file read before the first render could not be (the example, the interface's
    /// Japanese): the app shows it as an error, and goes on with a blank design or English.
    static UNREAD_AT_START: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Reads, all at once, the site files the first render needs: the reference tables the
/// analyses look things up in and the interface's English (without them nothing can be
/// shown: the error), the example on a first visit, and the interface's Japanese when the
/// page opens in it.
async fn read_before_start() -> Result<(), String> {
    use moat_model::tables::{self, Table};
    // A file that could not be fetched is named once the Japanese is read (in parallel).
    let read_table = |table: Table| async move {
        let text = browser::fetch_text(table.file()).await.map_err(|_| None)?;
        tables::install(table, &text).map_err(Some)
    };
    let example_path = format!("examples/{EXAMPLE_NAME}");
    let read_example = async {
        if browser::load_autosave().is_some() {
            return Ok::<(), ()>(());
        }
        let text = browser::fetch_text(&example_path).await.map_err(drop)?;
        EXAMPLE.with(|example| example.replace(Some(text)));
        Ok(())
    };
    let read_japanese = async {
        if browser::initial_lang() == Lang::Ja
            && let Err(message) = i18n::read(Lang::Ja).await
        {
            UNREAD_AT_START.with(|unread| unread.replace(Some(message)));
        }
    };
    // Without the interface's English nothing can be shown either.
    let english_file = i18n::site_file(Lang::En);
    let read_english = async {
        let text = browser::fetch_text(english_file).await.map_err(|_| None)?;
        i18n::install(Lang::En, &text).map_err(Some)
    };
    let (read, example, (), english) = futures::future::join4(
        futures::future::join_all(Table::ALL.map(read_table)),
        read_example,
        read_japanese,
        read_english,
    )
    .await;
    english.map_err(|message| message.unwrap_or_else(|| trf(Text::CouldNotFetch, &[("file", &english_file)])))?;
    if example.is_err() {
        UNREAD_AT_START.with(|unread| unread.replace(Some(trf(Text::CouldNotFetch, &[("file", &example_path)]))));
    }
    for (table, read) in Table::ALL.into_iter().zip(read) {
        read.map_err(|message| message.unwrap_or_else(|| trf(Text::CouldNotFetch, &[("file", &table.file())])))?;
    }
    Ok(())
}

/// Says on the page why the app cannot start (a reference table could not be read).
fn show_cannot_start(message: &str) {
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
    let alert = body.owner_document().and_then(|d| d.create_element("p").ok());
    if let Some(alert) = alert {
        let _ = alert.set_attribute("role", "alert");
        let _ = alert.set_attribute("class", "load-error");
        browser::apply_lang(i18n::current());
        alert.set_text_content(Some(&trf(Text::CannotStart, &[("message", &message)])));
        let _ = body.append_child(&alert);
    }
}

fn mount_on_body() {
    // The page holds the icon sprite (index.html inlines `assets/icons/sprite.svg`); Yew
    // empties the body it mounts on, so the sprite is put back once the app is mounted.
    let document = web_sys::window().and_then(|w| w.document());
    let sprite = document.as_ref().and_then(|d| d.query_selector(".icon-sprite").ok().flatten());
    yew::Renderer::<App>::new().render();
    if let (Some(sprite), Some(body)) = (sprite, document.and_then(|d| d.body())) {
        let _ = body.append_child(&sprite);
    }
}

/// Stops the app as a bug would, to test that work survives (`wasmBindings.debug_panic()`).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn debug_panic() {
    panic!("debug_panic was called");
}

fn element_size(node: &NodeRef) -> Option<(f64, f64)> {
    node.cast::<web_sys::Element>().map(|e| {
        let rect = e.get_bounding_client_rect();
        (rect.width(), rect.height())
    })
}

/// The id of the element drawn under a screen point.
fn element_under(x: i32, y: i32) -> Option<String> {
    let document = web_sys::window()?.document()?;
    let hit = document.element_from_point(x as f32, y as f32)?;
    hit.closest("[data-element-id]").ok()??.get_attribute("data-element-id")
}

/// Puts an opened design (a file, a template) in place of the one on screen, shown whole; a
/// design that could not be read is an error, and the one on screen stays.
fn open_over(dispatch: &UseReducerDispatcher<Editor>, svg_ref: &NodeRef, opened: Result<Design, String>) {
    match opened {
        Ok(design) => {
            dispatch.dispatch(Action::Replace { design: Box::new(design), fresh: false });
            if let Some(size) = element_size(svg_ref) {
                dispatch.dispatch(Action::Fit { size });
            }
        }
        Err(message) => dispatch.dispatch(Action::ShowError(message)),
    }
}

fn save_design(design: &Rc<Design>, dispatch: &UseReducerDispatcher<Editor>) {
    let name = browser::file_name(&design.meta.title);
    if let Err(message) = browser::download(&name, &format::to_json(design)) {
        dispatch.dispatch(Action::ShowError(message));
    }
}

/// The canvas's size on screen, measured once mounted and again when the window resizes.
#[hook]
fn use_canvas_size(svg_ref: &NodeRef) -> UseStateHandle<(f64, f64)> {
    let size = use_state(|| (1600.0, 1000.0));
    {
        let (size, svg_ref) = (size.clone(), svg_ref.clone());
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(measured) = element_size(&svg_ref).filter(|(w, h)| *w > 0.0 && *h > 0.0) {
                    size.set(measured);
                }
            };
            measure();
            let listener = EventListener::new(&gloo::utils::window(), "resize", move |_| measure());
            move || drop(listener)
        });
    }
    size
}
