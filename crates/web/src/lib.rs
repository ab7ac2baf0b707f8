//! moat-web: the Yew app — a whiteboard over moat-model. Views draw the design and turn
//! gestures into `state::Action`s; the model decides what they do to the design.

mod bench;
mod browser;
mod canvas;
mod culling;
mod estimates_panel;
mod findings_panel;
pub mod i18n;
mod inspector;
mod legend;
mod menu;
mod palette;
mod reach_panel;
mod shared;
pub mod state;
mod toolbar_menus;

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use moat_model::{Design, check, format};
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub use canvas::Canvas;
use estimates_panel::EstimatesPanel;
use findings_panel::FindingsPanel;
use i18n::{Lang, Text, link_name, tr, trf};
use inspector::Inspector;
use palette::Palette;
use reach_panel::{Query, ReachPanel};
use shared::Shared;
use state::{Action, Editor, Gesture, SaveState, Target, open_file};
use toolbar_menus::{ExportMenu, TemplatesMenu, VersionsMenu};

/// The example design the app opens with on a first visit.
pub const EXAMPLE_NAME: &str = "n-tier.moat.json";
/// The analysis panel's tabs, in order.
const TABS: [&str; 5] = ["findings", "reachability", "estimates", "structure", "outline"];

pub const EXAMPLE_JSON: &str = include_str!("../../../assets/examples/n-tier.moat.json");

/// Builds the first state: the autosaved design if there is one, else the example.
fn initial_editor() -> Editor {
    let example = || format::load(EXAMPLE_JSON).map(|l| l.design).unwrap_or_default();
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
    let svg_ref = use_node_ref();
    let root_ref = use_node_ref();
    let file_input = use_node_ref();
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let latest = use_mut_ref(|| state.design.clone());
    *latest.borrow_mut() = state.design.clone();
    // Analyses run when the design settles: during a drag they keep their last answer.
    let idle = state.gesture.is_none();
    // The analyses run after the frame that shows an edit (see `use_analyses`); until they
    // are back the panels show the last answers, marked as being brought up to date.
    let analysed = use_analyses(&state.design, idle);
    let updating = !Rc::ptr_eq(&analysed.design, &state.design);
    let (problems, report, flows) = (analysed.problems.clone(), analysed.report.clone(), analysed.flows.clone());
    // The panels show the design the analyses are of; the inspector the settled design
    // (during a gesture, the one from before it), so a drag redraws the canvas only.
    let settled = use_inspected_design(&state.design, idle);
    let panel_design = analysed.design.clone();
    let finding_names: Rc<Vec<String>> =
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
    let tab = use_state(|| "findings");
    // The price book is a file of the site, read after the first render (the Estimates tab,
    // the review report and imported prices wait for it).
    let book = use_state(|| None::<Rc<moat_model::cost::PriceBook>>);
    let book_unreadable = use_state(|| None::<AttrValue>);
    {
        let (book, book_unreadable, dispatch) = (book.clone(), book_unreadable.clone(), state.dispatcher());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match read_price_book().await {
                    Ok(read) => book.set(Some(Rc::new(read))),
                    Err(message) => {
                        book_unreadable.set(Some(message.clone().into()));
                        dispatch.dispatch(Action::OpenFailed(message));
                    }
                }
            });
        });
    }
    // The rules' texts in Japanese are a file of the site too, read when Japanese is first shown.
    let japanese = use_state(|| None::<Shared<moat_model::rules::i18n::Translation>>);
    {
        let (japanese, dispatch) = (japanese.clone(), state.dispatcher());
        use_effect_with(lang, move |lang| {
            if *lang == Lang::Ja && japanese.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    let read = |text: String| {
                        moat_model::rules::i18n::Translation::parse(&text).map_err(|e| format!("{JAPANESE_RULES}: {e}"))
                    };
                    match browser::fetch_text(JAPANESE_RULES).await.and_then(read) {
                        Ok(translation) => japanese.set(Some(Shared(Rc::new(translation)))),
                        Err(message) => dispatch.dispatch(Action::OpenFailed(message)),
                    }
                });
            }
        });
    }
    let imported = use_state(Vec::<String>::new);
    let prices_input = use_node_ref();
    let query = use_state(Query::default);
    let denied_flows: Shared<std::collections::BTreeSet<String>> = use_memo(Shared(flows.clone()), |flows| {
        moat_model::sorting::set_of(
            flows.iter().filter(|(_, a)| a.verdict == moat_model::reach::Verdict::Deny).map(|(id, _)| id.clone()),
        )
    })
    .into();
    let shown_path =
        use_memo((Shared(panel_design.clone()), (*query).clone(), *tab == "reachability"), |(design, query, shown)| {
            let answer = if *shown { query.answer(design) } else { None };
            answer.map(|a| (a.path, a.return_path)).unwrap_or_default()
        });

    // What this tab last wrote to the autosave, to notice another tab writing over it.
    let written = use_mut_ref(browser::load_autosave);
    let other_tab = use_state(|| None::<Rc<Design>>);
    use_autosave(&state, latest.clone(), written.clone());
    {
        let (other_tab, written) = (other_tab.clone(), written.clone());
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "storage", move |event| {
                let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else { return };
                if event.key().as_deref() != Some(browser::AUTOSAVE_KEY) {
                    return;
                }
                let Some(theirs) = event.new_value() else { return };
                if written.borrow().as_deref() == Some(theirs.as_str()) {
                    return;
                }
                if let Ok(loaded) = format::load(&theirs) {
                    other_tab.set(Some(Rc::new(loaded.design)));
                }
            });
            move || drop(listener)
        });
    }
    use_keyboard(state.dispatcher(), latest.clone());
    let shared = use_state(|| None::<Rc<Design>>);
    {
        // A share link opens its design; over earlier work, only when the user says so.
        let (dispatch, shared) = (state.dispatcher(), shared.clone());
        use_effect_with((), move |_| {
            if let Some(fragment) = browser::fragment().filter(|f| f.starts_with(moat_model::share::PREFIX)) {
                match moat_model::share::decode(&fragment) {
                    Ok(loaded) if browser::load_autosave().is_some() => shared.set(Some(Rc::new(loaded.design))),
                    Ok(loaded) => dispatch.dispatch(Action::Replace { design: Box::new(loaded.design), fresh: true }),
                    Err(message) => {
                        dispatch.dispatch(Action::OpenFailed(trf(Text::SharedLink, &[("message", &message)])))
                    }
                }
                browser::clear_fragment();
            }
        });
    }
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
    let dispatch_action = {
        let dispatch = state.dispatcher();
        use_callback((), move |action: Action, _| dispatch.dispatch(action))
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
        let deps = (book.as_ref().map(|b| Shared(b.clone())), (*book_unreadable).clone());
        use_callback(deps, move |format: Option<moat_model::export::Format>, (book, unreadable)| {
            use moat_model::export::Format;
            let design = latest.borrow().clone();
            let no_prices = moat_model::cost::PriceBook::empty();
            let result = match (format, book.as_deref()) {
                (Some(Format::Json), _) => {
                    save_design(&design, &dispatch);
                    Ok(())
                }
                (Some(format), None) if format.priced() => {
                    Err(unreadable.as_deref().unwrap_or(i18n::tr(Text::PricesLoading)).to_owned())
                }
                // A format that prices nothing never reads the book.
                (Some(format), book) => {
                    let (icons, date) = (browser::icon_sprite(), browser::today());
                    let picture = moat_model::export::svg::Picture { icons: icons.as_deref(), lang: i18n::current() };
                    let with =
                        moat_model::export::With { book: book.unwrap_or(&no_prices), picture, date: Some(&date) };
                    browser::download(
                        &browser::export_name(&design.meta.title, format.extension()),
                        &moat_model::export::export_with(&design, format, &with),
                    )
                }
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
                dispatch.dispatch(Action::OpenFailed(message));
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
                match text.and_then(read) {
                    Ok(design) => {
                        dispatch.dispatch(Action::Replace { design: Box::new(design), fresh: false });
                        if let Some(size) = element_size(&svg_ref) {
                            dispatch.dispatch(Action::Fit { size });
                        }
                    }
                    Err(message) => dispatch.dispatch(Action::OpenFailed(message)),
                }
            });
        })
    };
    let restore_version = {
        let dispatch = state.dispatcher();
        use_callback((), move |position: usize, _| {
            let Some(version) = browser::versions().into_iter().nth(position) else { return };
            match open_file(tr(Text::EarlierVersion), version.text.as_bytes()) {
                Ok(design) => dispatch.dispatch(Action::Replace { design: Box::new(design), fresh: false }),
                Err(message) => dispatch.dispatch(Action::OpenFailed(message)),
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

    let open_text = {
        let (dispatch, svg_ref) = (state.dispatcher(), svg_ref.clone());
        Callback::from(move |(name, result): (String, Result<Vec<u8>, String>)| {
            let outcome = result.map_err(|e| format!("{name}: {e}")).and_then(|bytes| open_file(&name, &bytes));
            match outcome {
                Ok(design) => {
                    dispatch.dispatch(Action::Replace { design: Box::new(design), fresh: false });
                    // An opened design is shown whole, as a template is.
                    if let Some(size) = element_size(&svg_ref) {
                        dispatch.dispatch(Action::Fit { size });
                    }
                }
                Err(message) => dispatch.dispatch(Action::OpenFailed(message)),
            }
        })
    };
    let read_file = {
        let (reader, open_text) = (reader.clone(), open_text.clone());
        move |file: web_sys::File| {
            let file = gloo::file::File::from(file);
            let name = file.name();
            let open_text = open_text.clone();
            // Bytes, not text: the browser would patch bad UTF-8 and honour UTF-16 marks.
            let task = gloo::file::callbacks::read_as_bytes(&file, move |result| {
                open_text.emit((name, result.map_err(|e| e.to_string())));
            });
            *reader.borrow_mut() = Some(task);
        }
    };
    let on_file_chosen = {
        let read_file = read_file.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                read_file(file);
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let read_file = read_file.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if let Some(file) = event.data_transfer().and_then(|d| d.files()).and_then(|files| files.get(0)) {
                read_file(file);
            }
        })
    };
    let on_drag_over = Callback::from(|event: DragEvent| event.prevent_default());
    let prices_reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let on_prices_chosen = {
        let (book, unreadable, imported, dispatch, prices_reader) =
            (book.clone(), (*book_unreadable).clone(), imported.clone(), state.dispatcher(), prices_reader.clone());
        Callback::from(move |event: Event| {
            let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                let file = gloo::file::File::from(file);
                let name = file.name();
                let (book, unreadable, imported, dispatch) =
                    (book.clone(), unreadable.clone(), imported.clone(), dispatch.clone());
                let task = gloo::file::callbacks::read_as_text(&file, move |result| {
                    let Some(mut next) = book.as_deref().cloned() else {
                        let reason = unreadable.as_deref().unwrap_or(Text::PricesLoading.get(lang));
                        return dispatch.dispatch(Action::OpenFailed(reason.to_owned()));
                    };
                    match result.map_err(|e| format!("{name}: {e}")).and_then(|text| next.import(&name, &text)) {
                        Ok(_) => {
                            book.set(Some(Rc::new(next)));
                            let mut names = (*imported).clone();
                            names.push(name);
                            imported.set(names);
                        }
                        Err(message) => dispatch.dispatch(Action::OpenFailed(message)),
                    }
                });
                *prices_reader.borrow_mut() = Some(task);
            }
            input.set_value("");
        })
    };

    let toolbar = {
        let dispatch = state.dispatcher();
        let act = |action: Action| {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()))
        };
        let open = {
            let file_input = file_input.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(input) = file_input.cast::<web_sys::HtmlElement>() {
                    input.click();
                }
            })
        };
        let save = {
            let (latest, dispatch) = (latest.clone(), dispatch.clone());
            Callback::from(move |_: MouseEvent| save_design(&latest.borrow(), &dispatch))
        };
        let share = {
            let (latest, dispatch) = (latest.clone(), dispatch.clone());
            Callback::from(move |_: MouseEvent| {
                let fragment = moat_model::share::encode(&latest.borrow());
                match browser::set_fragment(&fragment) {
                    Some(link) => dispatch.dispatch(Action::Notify(trf(Text::ShareReady, &[("n", &link.len())]))),
                    None => dispatch.dispatch(Action::OpenFailed(tr(Text::ShareFailed).into())),
                }
            })
        };
        let fit = {
            let (dispatch, svg_ref) = (dispatch.clone(), svg_ref.clone());
            Callback::from(move |_: MouseEvent| {
                if let Some(size) = element_size(&svg_ref) {
                    dispatch.dispatch(Action::Fit { size });
                }
            })
        };
        let tidy_up = {
            let (dispatch, svg_ref) = (dispatch.clone(), svg_ref.clone());
            Callback::from(move |_: MouseEvent| {
                dispatch.dispatch(Action::TidyUp);
                if let Some(size) = element_size(&svg_ref) {
                    dispatch.dispatch(Action::Fit { size });
                }
            })
        };
        // From the size kept up to date on resize: measuring here would force a layout in
        // the middle of every render.
        let center = (canvas_size.0 / 2.0, canvas_size.1 / 2.0);
        let title = if state.design.meta.title.is_empty() {
            Text::UntitledDesign.get(lang).to_owned()
        } else {
            state.design.meta.title.clone()
        };
        let saved = match state.save_state {
            SaveState::Saved => Text::Saved.get(lang),
            SaveState::Pending => Text::Saving.get(lang),
        };
        let switch_lang = {
            let lang_state = lang_state.clone();
            Callback::from(move |_: MouseEvent| {
                let next = i18n::other(*lang_state);
                browser::choose_lang(next);
                browser::apply_lang(next);
                lang_state.set(next);
            })
        };
        html! {
            <header class="toolbar">
                <span class="brand">{ "Moat" }</span>
                <button data-action="new" title={Text::NewTitle.get(lang)} onclick={act(Action::Replace { design: Box::default(), fresh: false })}>{ Text::New.get(lang) }</button>
                <TemplatesMenu on_choose={start_from.clone()} />
                <button data-action="open" title={Text::OpenTitle.get(lang)} onclick={open}>{ Text::Open.get(lang) }</button>
                <button data-action="save" title={Text::SaveTitle.get(lang)} onclick={save}>{ Text::Save.get(lang) }</button>
                <ExportMenu on_export={export_as.clone()} />
                <button data-action="share" title={Text::ShareTitle.get(lang)} onclick={share}>{ Text::Share.get(lang) }</button>
                <VersionsMenu stamp={state.saves} on_restore={restore_version.clone()} />
                <span class="separator" />
                <button data-action="undo" title={Text::UndoTitle.get(lang)} disabled={!state.history.can_undo()} onclick={act(Action::Undo)}>{ Text::Undo.get(lang) }</button>
                <button data-action="redo" title={Text::RedoTitle.get(lang)} disabled={!state.history.can_redo()} onclick={act(Action::Redo)}>{ Text::Redo.get(lang) }</button>
                <span class="separator" />
                <button data-action="zoom-out" title={Text::ZoomOut.get(lang)} aria-label={Text::ZoomOut.get(lang)} onclick={act(Action::Zoom { factor: 1.0 / 1.2, screen: center })}>{ "−" }</button>
                <span class="zoom" data-testid="zoom">{ format!("{:.0}%", state.viewport.zoom * 100.0) }</span>
                <button data-action="zoom-in" title={Text::ZoomIn.get(lang)} aria-label={Text::ZoomIn.get(lang)} onclick={act(Action::Zoom { factor: 1.2, screen: center })}>{ "+" }</button>
                <button data-action="fit" title={Text::FitTitle.get(lang)} onclick={fit}>{ Text::Fit.get(lang) }</button>
                <button data-action="tidy-up" title={Text::TidyUpTitle.get(lang)} onclick={tidy_up}>{ Text::TidyUp.get(lang) }</button>
                <span class="title" data-testid="design-title">{ title }</span>
                <span class="finding-counts" data-testid="finding-counts" title={Text::FindingCountsTitle.get(lang)}>
                    <span class="badge error" data-severity="error">{ report.summary.error }</span>
                    <span class="badge warning" data-severity="warning">{ report.summary.warning }</span>
                    <span class="badge info" data-severity="info">{ report.summary.info }</span>
                </span>
                <span class={classes!("save-state", (state.save_state == SaveState::Pending).then_some("pending"))}
                      data-testid="save-state">{ saved }</span>
                <button data-action="lang" class="lang" title={Text::LangTitle.get(lang)} aria-label={Text::LangLabel.get(lang)}
                        onclick={switch_lang}>
                    <span lang={i18n::other(lang).as_str()}>{ Text::LangButton.get(lang) }</span>
                </button>
                <input ref={file_input} class="file-input" type="file" accept=".json,application/json"
                       aria-label={Text::OpenTitle.get(lang)} tabindex="-1"
                       data-action="open-file" onchange={on_file_chosen} />
                <input ref={prices_input.clone()} class="file-input" type="file" accept=".json,application/json"
                       aria-label={Text::ImportPrices.get(lang)} tabindex="-1"
                       data-action="prices-file" onchange={on_prices_chosen} />
            </header>
        }
    };

    let overlay = {
        let dispatch = state.dispatcher();
        let error = state.error.clone().map(|message| {
            let dismiss = {
                let dispatch = dispatch.clone();
                Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::DismissError))
            };
            let download = {
                let (latest, dispatch) = (latest.clone(), dispatch.clone());
                Callback::from(move |_: MouseEvent| save_design(&latest.borrow(), &dispatch))
            };
            html! { <div class="error-banner" role="alert" data-testid="error">
                <span>{ message }</span>
                <button data-action="download-design" onclick={download}>{ Text::DownloadDesign.get(lang) }</button>
                <button data-action="dismiss" onclick={dismiss}>{ Text::Dismiss.get(lang) }</button>
            </div> }
        });
        let hint =
            state.hint.clone().map(|hint| html! { <div class="hint" role="status" data-testid="hint">{ hint }</div> });
        let choice = state.link_choice.clone().map(|choice| html! {
            <div class="link-choice" data-testid="link-choice">
                <span>{ Text::LinkAs.fill(lang, &[("from", &choice.from), ("to", &choice.to)]) }</span>
                { for choice.kinds.iter().map(|kind| {
                    let (dispatch, kind) = (dispatch.clone(), *kind);
                    let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ChooseLink(kind)));
                    html! { <button data-link-kind={kind.as_str()} {onclick}>{ link_name(kind, lang) }</button> }
                }) }
                <button onclick={let d = dispatch.clone(); Callback::from(move |_: MouseEvent| d.dispatch(Action::Cancel))}>{ Text::Cancel.get(lang) }</button>
            </div>
        });
        let conflict = other_tab.as_ref().map(|theirs| {
            let (dispatch, other, theirs) = (dispatch.clone(), other_tab.clone(), theirs.clone());
            let load = Callback::from(move |_: MouseEvent| {
                dispatch.dispatch(Action::Replace { design: Box::new((*theirs).clone()), fresh: false });
                other.set(None);
            });
            let keep = {
                let (other, latest, written) = (other_tab.clone(), latest.clone(), written.clone());
                Callback::from(move |_: MouseEvent| {
                    // Keep mine: write it back over the other tab's version.
                    let design = latest.borrow().clone();
                    let text = format::to_json(&design);
                    if browser::autosave(&text, &design.meta.title).is_ok() {
                        *written.borrow_mut() = Some(text);
                    }
                    other.set(None);
                })
            };
            html! {
                <div class="link-choice" data-testid="other-tab">
                    <span>{ Text::OtherTab.get(lang) }</span>
                    <button data-action="load-theirs" onclick={load}>{ Text::LoadTheirs.get(lang) }</button>
                    <button data-action="keep-mine" onclick={keep}>{ Text::KeepMine.get(lang) }</button>
                </div>
            }
        });
        let offer = shared.as_ref().map(|design| {
            let (dispatch, shared_open, design) = (dispatch.clone(), shared.clone(), design.clone());
            let open = Callback::from(move |_: MouseEvent| {
                dispatch.dispatch(Action::Replace { design: Box::new((*design).clone()), fresh: false });
                shared_open.set(None);
            });
            let keep = {
                let shared = shared.clone();
                Callback::from(move |_: MouseEvent| shared.set(None))
            };
            html! {
                <div class="link-choice" data-testid="share-offer">
                    <span>{ Text::SharedOffer.get(lang) }</span>
                    <button data-action="open-shared" onclick={open}>{ Text::OpenIt.get(lang) }</button>
                    <button data-action="keep-mine" onclick={keep}>{ Text::KeepMine.get(lang) }</button>
                </div>
            }
        });
        html! { <>{ for error }{ for hint }{ for choice }{ for offer }{ for conflict }</> }
    };

    let panel = {
        let dispatch = state.dispatcher();
        let on_tab_key = {
            let tab = tab.clone();
            Callback::from(move |event: KeyboardEvent| {
                let here = TABS.iter().position(|t| *t == *tab).unwrap_or(0);
                let next = match event.key().as_str() {
                    "ArrowRight" => (here + 1) % TABS.len(),
                    "ArrowLeft" => (here + TABS.len() - 1) % TABS.len(),
                    "Home" => 0,
                    "End" => TABS.len() - 1,
                    _ => return,
                };
                event.prevent_default();
                tab.set(TABS[next]);
                browser::focus(&format!("#tab-{}", TABS[next]));
            })
        };
        let tab_button = |name: &'static str, label: String| {
            let active = *tab == name;
            let tab = tab.clone();
            let onclick = Callback::from(move |_: MouseEvent| tab.set(name));
            // One tab stop for the tab list (the active tab); arrow keys move along it.
            html! {
                <button class={classes!("tab", active.then_some("active"))} data-tab={name} {onclick}
                        role="tab" id={format!("tab-{name}")} aria-selected={active.to_string()}
                        aria-controls="analysis-panel" tabindex={if active { "0" } else { "-1" }}>{ label }</button>
            }
        };
        let denied = denied_flows.len();
        let structure_label = if problems.is_empty() {
            Text::TabStructureClean.get(lang).to_owned()
        } else {
            Text::TabStructureProblems.fill(lang, &[("n", &problems.len())])
        };
        let reach_label = if denied == 0 {
            Text::TabReachability.get(lang).to_owned()
        } else {
            Text::TabReachabilityDenied.fill(lang, &[("n", &denied)])
        };
        let summary = report.summary;
        let findings_label = Text::TabFindings
            .fill(lang, &[("error", &summary.error), ("warning", &summary.warning), ("info", &summary.info)]);
        let body = if *tab == "outline" {
            // Choosing an element in the outline also brings it on screen.
            html! { <Outline design={panel_design.clone()} selection={state.selection.clone()} on_select={focus_element.clone()} /> }
        } else if *tab == "estimates" {
            html! { <EstimatesPanel design={panel_design.clone()} book={book.as_ref().map(|b| Shared(b.clone()))} book_unreadable={(*book_unreadable).clone()} imported={(*imported).clone()}
            on_import={import_prices.clone()} dispatch={dispatch_action.clone()} /> }
        } else if *tab == "findings" {
            html! { <FindingsPanel report={report.clone()} names={finding_names.clone()} on_focus={focus_element.clone()} japanese={(*japanese).clone()}
            dispatch={dispatch_action.clone()} /> }
        } else if *tab == "reachability" {
            html! { <ReachPanel design={panel_design.clone()} selection={state.selection.clone()} query={(*query).clone()}
            on_query={set_query.clone()} dispatch={dispatch_action.clone()} /> }
        } else {
            html! {
                <ul data-testid="problems">
                    { for problems.iter().map(|problem| {
                        let (dispatch, target) = (dispatch.clone(), problem.target.clone());
                        let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Select(vec![target.clone()])));
                        html! { <li><button class="problem" {onclick}>{ problem.to_string() }</button></li> }
                    }) }
                    { for problems.is_empty().then(|| html! { <li class="muted">{ Text::WellFormed.get(lang) }</li> }) }
                </ul>
            }
        };
        html! {
            <section class="panel" aria-label={Text::Analysis.get(lang)}
                     aria-busy={updating.to_string()} data-testid="analysis">
                <div class="tabs" role="tablist" aria-label={Text::Analysis.get(lang)} onkeydown={on_tab_key}>
                    { tab_button("findings", findings_label) }
                    { tab_button("reachability", reach_label) }
                    { tab_button("estimates", Text::TabEstimates.get(lang).to_owned()) }
                    { tab_button("structure", structure_label) }
                    { tab_button("outline", Text::TabOutline.get(lang).to_owned()) }
                    // A small note rather than a fade of the panel: restyling the whole panel
                    // cost a frame (25 ms at 100 spokes) twice per edit.
                    <span class={classes!("busy", updating.then_some("shown"))} aria-hidden="true">{ Text::Updating.get(lang) }</span>
                </div>
                <div class="panel-body" id="analysis-panel" role="tabpanel" aria-labelledby={format!("tab-{}", *tab)}>{ body }</div>
            </section>
        }
    };

    let carrying = matches!(state.gesture, Some(Gesture::Palette { .. }));
    html! {
        <ContextProvider<Lang> context={lang}>
        <div class={classes!("app", carrying.then_some("carrying"), state.space_held.then_some("panning"))} ref={root_ref}
             onpointermove={on_pointer_move} onpointerup={on_pointer_up} ondrop={on_drop} ondragover={on_drag_over}>
            { toolbar }
            <div class="body">
                <Palette on_pointer_down={on_pointer_down.clone()} on_add={add_in_selection} />
                <main class="workspace">
                    <Canvas design={state.design.clone()} selection={state.selection.clone()} viewport={state.viewport}
                            gesture={state.gesture.clone()} on_pointer_down={on_pointer_down} {on_wheel} node_ref={svg_ref}
                            path={shown_path.0.clone()} return_path={shown_path.1.clone()} {denied_flows} {markers}
                            on_select={select_one} size={*canvas_size} />
                    { overlay }
                    { panel }
                </main>
                <Inspector design={settled.clone()} selection={state.selection.clone()} problems={problems}
                           dispatch={dispatch_action} />
            </div>
        </div>
        </ContextProvider<Lang>>
    }
}

#[derive(Properties, PartialEq)]
struct OutlineProps {
    design: Shared<Design>,
    selection: std::collections::BTreeSet<String>,
    on_select: Callback<String>,
}

/// The design as a nested list: every element reachable by keyboard and screen reader,
/// an alternative to the canvas.
#[function_component(Outline)]
fn outline(props: &OutlineProps) -> Html {
    fn items(
        index: &moat_model::design::Index<'_>,
        children: Vec<&moat_model::Element>,
        props: &OutlineProps,
        depth: usize,
    ) -> Html {
        if children.is_empty() || depth > 8 {
            return Html::default();
        }
        html! {
            <ul role={if depth == 0 { "tree" } else { "group" }}>
                { for children.into_iter().map(|element| {
                    let (on_select, id) = (props.on_select.clone(), element.id.0.clone());
                    let onclick = Callback::from(move |_: MouseEvent| on_select.emit(id.clone()));
                    let selected = props.selection.contains(element.id.as_str());
                    html! {
                        <li role="treeitem" aria-selected={selected.to_string()}>
                            <button class={classes!("link-button", selected.then_some("selected"))} data-outline-id={element.id.0.clone()} {onclick}>
                                { format!("{} {}", element.kind().badge(), element.display_name()) }
                            </button>
                            { items(index, index.children(element.id.as_str()).to_vec(), props, depth + 1) }
                        </li>
                    }
                }) }
            </ul>
        }
    }
    let lang = i18n::use_lang();
    let design = &props.design;
    let index = design.index();
    // At the top: what has no parent, or a parent that does not exist.
    let roots = design
        .elements
        .iter()
        .map(std::sync::Arc::as_ref)
        .filter(|e| e.parent.as_ref().is_none_or(|p| index.element(p.as_str()).is_none()))
        .collect();
    html! { <nav class="outline" data-testid="outline" aria-label={Text::OutlineLabel.get(lang)}>{ items(&index, roots, props, 0) }</nav> }
}

/// The built-in price book, from the two files of the site that hold it.
async fn read_price_book() -> Result<moat_model::cost::PriceBook, String> {
    let (vm_and_disk, services) = (PRICE_FILES[0], PRICE_FILES[1]);
    let vm_and_disk_text = browser::fetch_text(vm_and_disk).await?;
    let services_text = browser::fetch_text(services).await?;
    moat_model::cost::PriceBook::from_files(&vm_and_disk_text, &services_text)
}

/// Where the site serves the rules' texts in Japanese (`assets/i18n`, copied by Trunk).
const JAPANESE_RULES: &str = "i18n/rules.ja.json";

/// Where the site serves the built-in price book (`assets/prices`, copied by Trunk).
const PRICE_FILES: [&str; 2] = ["prices/vm-and-disk.json", "prices/services.json"];

/// Mounts the app on `root`.
pub fn mount(root: web_sys::Element) {
    yew::Renderer::<App>::with_root(root).render();
}

/// Starts the app on the page's body.
pub fn start() {
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

fn save_design(design: &Rc<Design>, dispatch: &UseReducerDispatcher<Editor>) {
    let name = browser::file_name(&design.meta.title);
    if let Err(message) = browser::download(&name, &format::to_json(design)) {
        dispatch.dispatch(Action::OpenFailed(message));
    }
}

/// The design the inspector shows: the design as it was when it last settled (during a
/// drag, the one from before it), kept over a move, since the inspector shows no positions
/// (so a drop does not redraw it).
#[hook]
fn use_inspected_design(design: &Rc<Design>, idle: bool) -> Rc<Design> {
    let kept = use_mut_ref(|| design.clone());
    if idle && !kept.borrow().same_apart_from_layout(design) {
        *kept.borrow_mut() = design.clone();
    }
    kept.borrow().clone()
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

/// What the panels show: the analyses of one design.
struct Analyses {
    design: Rc<Design>,
    problems: Rc<Vec<moat_model::Problem>>,
    report: Rc<moat_model::rules::Report>,
    flows: Rc<Vec<(String, moat_model::reach::Answer)>>,
}

impl Analyses {
    fn of(design: Rc<Design>) -> Analyses {
        Analyses {
            problems: Rc::new(check(&design)),
            report: Rc::new(moat_model::rules::validate(&design)),
            flows: Rc::new(moat_model::reach::flow_verdicts(&design)),
            design,
        }
    }

    /// The analyses of `design`, keeping each answer of `self` that is the same: most edits
    /// change few findings, and a panel whose answer is the very same one is not drawn again.
    /// A move gives the same answers without running them: no analysis reads the layout.
    fn after(&self, design: Rc<Design>) -> Analyses {
        fn keep<T: PartialEq>(old: &Rc<T>, new: Rc<T>) -> Rc<T> {
            if *old == new { old.clone() } else { new }
        }
        if self.design.same_apart_from_layout(&design) {
            let (problems, report, flows) = (self.problems.clone(), self.report.clone(), self.flows.clone());
            return Analyses { design, problems, report, flows };
        }
        let fresh = Analyses::of(design);
        Analyses {
            problems: keep(&self.problems, fresh.problems),
            report: keep(&self.report, fresh.report),
            flows: keep(&self.flows, fresh.flows),
            design: fresh.design,
        }
    }
}

/// The analyses of the design, off the path from an edit to the frame that shows it: the
/// first render analyses at once; after that, when the design changed while `idle` (no
/// gesture in progress), they run just after that frame is painted, and
/// the last answers stand until then. A newer edit replaces a run still waiting.
#[hook]
fn use_analyses(design: &Rc<Design>, idle: bool) -> Rc<Analyses> {
    let current = use_state(|| Rc::new(Analyses::of(design.clone())));
    let waiting = use_mut_ref(|| None::<browser::LaterTask>);
    let wanted = idle && !Rc::ptr_eq(&current.design, design);
    {
        // The answers shown now, which the next run compares its own with.
        let (set, shown) = (current.setter(), (*current).clone());
        use_effect_with((Shared(design.clone()), wanted), move |(design, wanted)| {
            // The run that has just finished is still in its own callback: leave it be.
            if *wanted {
                let design = design.0.clone();
                // Replacing a run that has not started cancels it.
                *waiting.borrow_mut() =
                    Some(browser::after_paint(ANALYSIS_DEADLINE_MS, move || set.set(Rc::new(shown.after(design)))));
            }
        });
    }
    (*current).clone()
}

/// How long the analyses of an edit wait for a frame at most (a hidden page paints none).
const ANALYSIS_DEADLINE_MS: i32 = 200;

/// Writes the design to local storage shortly after each change, and at once when the
/// page is hidden or closed.
#[hook]
fn use_autosave(
    state: &UseReducerHandle<Editor>,
    latest: Rc<RefCell<Rc<Design>>>,
    written: Rc<RefCell<Option<String>>>,
) {
    let timer = use_mut_ref(|| None::<Timeout>);
    let flush = {
        let dispatch = state.dispatcher();
        let written = written.clone();
        move |design: &Design| {
            let text = format::to_json(design);
            match browser::autosave(&text, &design.meta.title) {
                Ok(()) => {
                    *written.borrow_mut() = Some(text);
                    dispatch.dispatch(Action::Saved)
                }
                Err(message) => dispatch.dispatch(Action::OpenFailed(trf(Text::Autosave, &[("message", &message)]))),
            }
        }
    };
    {
        let (latest, flush) = (latest.clone(), flush.clone());
        use_effect_with(state.revision, move |revision| {
            if *revision > 0 {
                let latest = latest.clone();
                *timer.borrow_mut() = Some(Timeout::new(400, move || flush(&latest.borrow())));
            }
        });
    }
    let pending = state.save_state == SaveState::Pending;
    use_effect_with(pending, move |pending| {
        let listeners = pending.then(|| {
            let window = gloo::utils::window();
            let document = gloo::utils::document();
            let on_hide = {
                let (latest, flush) = (latest.clone(), flush.clone());
                move |_: &Event| flush(&latest.borrow())
            };
            (
                EventListener::new(&document, "visibilitychange", on_hide.clone()),
                EventListener::new(&window, "pagehide", on_hide),
            )
        });
        move || drop(listeners)
    });
}

/// Keyboard shortcuts as in draw.io and Excalidraw.
#[hook]
fn use_keyboard(dispatch: UseReducerDispatcher<Editor>, latest: Rc<RefCell<Rc<Design>>>) {
    use_effect_with((), move |_| {
        let window = gloo::utils::window();
        let down = {
            let dispatch = dispatch.clone();
            EventListener::new(&window, "keydown", move |event| {
                let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                // A menu, the tab list or a control already used the key.
                if event.default_prevented() {
                    return;
                }
                let command = event.ctrl_key() || event.meta_key();
                let key = event.key();
                let typing = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
                // Space presses a focused button rather than starting a pan.
                let on_button = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|e| e.tag_name() == "BUTTON");
                let action = match (command, key.to_ascii_lowercase().as_str()) {
                    (true, "s") => {
                        event.prevent_default();
                        save_design(&latest.borrow(), &dispatch);
                        return;
                    }
                    _ if typing => return,
                    (true, "z") if event.shift_key() => Action::Redo,
                    (true, "z") => Action::Undo,
                    (true, "y") => Action::Redo,
                    (true, "c") => Action::Copy,
                    (true, "v") => Action::Paste,
                    (true, "d") => Action::Duplicate,
                    (true, "a") => Action::SelectAll,
                    (false, "delete" | "backspace") => Action::Delete,
                    (false, "escape") => Action::Cancel,
                    (false, " ") if !on_button => Action::SpaceHeld(true),
                    (false, arrow @ ("arrowleft" | "arrowright" | "arrowup" | "arrowdown")) => {
                        let step = if event.shift_key() { 10.0 } else { 1.0 };
                        match arrow {
                            "arrowleft" => Action::Nudge(-step, 0.0),
                            "arrowright" => Action::Nudge(step, 0.0),
                            "arrowup" => Action::Nudge(0.0, -step),
                            _ => Action::Nudge(0.0, step),
                        }
                    }
                    _ => return,
                };
                event.prevent_default();
                dispatch.dispatch(action);
            })
        };
        let up = EventListener::new(&window, "keyup", move |event| {
            if event.dyn_ref::<web_sys::KeyboardEvent>().is_some_and(|e| e.key() == " ") {
                dispatch.dispatch(Action::SpaceHeld(false));
            }
        });
        move || drop((down, up))
    });
}
