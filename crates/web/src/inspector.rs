//! The inspector: every field of the selected element or link (or of the design when
//! nothing is selected), with a control per field as the model's schema says. Edits commit
//! on Enter and on blur; a value the model refuses is shown with why, and nothing changes.

use crate::shared::Shared;
use std::collections::BTreeSet;
use std::rc::Rc;

use moat_model::Design;
use moat_model::check::Problem;
use moat_model::cost::{PriceBook, SizeChoice, size_choice, size_choices};
use moat_model::design::Labels;
use moat_model::edit::{field_in, fits_in, record_value};
use moat_model::element::ElementKind;
use moat_model::schema::{
    Cell, Control, FieldGroup, FieldSpec, design_fields, element_fields, field_group, link_fields,
};
use serde_json::Value;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::{Lang, Text, kind_name, link_name, use_lang};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub design: Shared<Design>,
    pub selection: BTreeSet<String>,
    /// The selection changed and `selection` is still the one before (see
    /// `hooks::use_inspected_selection`): the inspector says it is busy.
    pub behind: bool,
    /// The structural problems of the design, shown next to the fields they concern.
    pub problems: Rc<Vec<Problem>>,
    pub dispatch: Callback<Action>,
    /// Folded away to a strip with the button that opens it again.
    pub folded: bool,
    /// The price book, once read: a VM's sizes are offered with their price.
    pub book: Option<Shared<PriceBook>>,
    pub on_fold: Callback<()>,
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let lang = use_lang();
    let design = &props.design;
    let ids: Shared<IdsByKind> = use_memo(design.clone(), |design| IdsByKind::of(&design.0)).into();
    // Lists and chips name elements as people do (see `Labels`), not by id.
    let labels: Shared<Labels> = use_memo(design.clone(), |design| Labels::of(&design.0)).into();
    let body = match props.selection.len() {
        0 => {
            let rows = design_fields().into_iter().map(|spec| {
                let value = design_value(design, spec.path);
                html! { <FieldRow target={String::new()} {spec} {value} design={design.clone()} book={props.book.clone()} ids={ids.clone()}
                problems={Vec::<String>::new()} dispatch={props.dispatch.clone()} /> }
            });
            html! { <>
                <h2>{ Text::DesignHeading.get(lang) }</h2>
                { for rows }
            </> }
        }
        1 => {
            let id = props.selection.iter().next().cloned().unwrap_or_default();
            let kind = design.element(&id).map(|e| e.kind());
            let (title, specs) = if let Some(element) = design.element(&id) {
                (element_title(element, lang), element_fields(element.kind()))
            } else if let Some(link) = design.link(&id) {
                (link_name(link.kind(), lang).to_owned(), link_fields(link.kind()))
            } else {
                return Html::default();
            };
            let record = record_value(design, &id);
            let rows = specs.into_iter().map(|spec| {
                let group = kind.map_or(FieldGroup::General, |kind| field_group(kind, spec.path));
                let value = field_in(&record, spec.path);
                let problems: Vec<String> = props
                    .problems
                    .iter()
                    .filter(|p| p.target == id && (p.field == spec.path || p.field.starts_with(&format!("{}[", spec.path)) || p.field.starts_with(&format!("{}.", spec.path))))
                    .map(|p| if p.field == spec.path { p.message.clone() } else { format!("{}: {}", p.field, p.message) })
                    .collect();
                (group, html! { <FieldRow target={id.clone()} {spec} {value} design={design.clone()} book={props.book.clone()} ids={ids.clone()} {problems}
                dispatch={props.dispatch.clone()} /> })
            });
            // In groups (compute, network, protection, management) when the kind has them.
            let mut groups: Vec<(FieldGroup, Vec<Html>)> = Vec::new();
            for (group, row) in rows {
                match groups.iter_mut().find(|(g, _)| *g == group) {
                    Some((_, members)) => members.push(row),
                    None => groups.push((group, vec![row])),
                }
            }
            moat_model::sorting::sort_by_key(&mut groups, |(group, _)| *group);
            let rows = if groups.len() == 1 {
                groups.into_iter().flat_map(|(_, rows)| rows).collect::<Html>()
            } else {
                let model_lang = if lang == Lang::Ja {
                    moat_model::rules::i18n::Lang::Ja
                } else {
                    moat_model::rules::i18n::Lang::En
                };
                groups
                    .into_iter()
                    .map(|(group, rows)| {
                        html! {
                            <fieldset class="field-group" data-group={group.as_str()}>
                                <legend>{ group.label_in(model_lang) }</legend>
                                { for rows }
                            </fieldset>
                        }
                    })
                    .collect::<Html>()
            };
            let connect = design.element(&id).is_some().then(|| html! {
                <button class="connect" data-action="connect" title={Text::ConnectTitle.get(lang)}
                        onclick={props.dispatch.reform(|_: MouseEvent| Action::StartConnect)}>{ Text::Connect.get(lang) }</button>
            });
            // Keyed by the element: another element's fields are built afresh, not diffed
            // row by row against these (which cost 5 ms a press at 100 spokes).
            html! { <div class="inspector-body" key={id.clone()}>
                <h2 data-testid="inspector-title">{ title }</h2>
                { for connect }
                { rows }
            </div> }
        }
        n => {
            let delete = props.dispatch.reform(|_| Action::Delete);
            html! { <>
                <h2>{ Text::Selected.fill(lang, &[("n", &n)]) }</h2>
                <button data-action="delete" onclick={delete}>{ Text::Delete.get(lang) }</button>
            </> }
        }
    };
    let fold_label = if props.folded { Text::UnfoldInspector.get(lang) } else { Text::FoldInspector.get(lang) };
    html! {
        <ContextProvider<Shared<Labels>> context={labels}>
            <aside class={classes!("inspector", props.folded.then_some("folded"))} data-testid="inspector" aria-label={Text::Inspector.get(lang)}
                   aria-busy={props.behind.to_string()}>
                <button class="fold" data-action="fold-inspector" aria-expanded={(!props.folded).to_string()}
                        title={fold_label} aria-label={fold_label} onclick={props.on_fold.reform(|_: MouseEvent| ())}>
                    { if props.folded { "«" } else { "»" } }
                </button>
                if !props.folded { { body } }
            </aside>
        </ContextProvider<Shared<Labels>>>
    }
}

/// The inspector's title for one element: its kind, singular for one VM ("Virtual machine")
/// and counted for a tier of several ("2 virtual machines").
fn element_title(element: &moat_model::Element, lang: Lang) -> String {
    match element.props.as_vm().map(|vm| vm.count) {
        Some(1) => Text::OneVm.get(lang).to_owned(),
        Some(count) => Text::SomeVms.fill(lang, &[("n", &count)]),
        None => kind_name(element.kind(), lang).to_owned(),
    }
}

fn design_value(design: &Design, path: &str) -> Value {
    // Only the part the field lies in: the whole design is megabytes at 100 spokes.
    let (value, within) = match path.split_once('.') {
        Some(("meta", rest)) => (serde_json::to_value(&design.meta), rest),
        Some(("governance", rest)) => (serde_json::to_value(&design.governance), rest),
        _ => (serde_json::to_value(design), path),
    };
    let value = value.unwrap_or(Value::Null);
    value.pointer(&format!("/{}", within.replace('.', "/"))).cloned().unwrap_or(Value::Null)
}

#[derive(Properties, PartialEq)]
struct FieldRowProps {
    /// The element or link id; empty for the design itself.
    target: String,
    spec: FieldSpec,
    value: Value,
    design: Shared<Design>,
    book: Option<Shared<PriceBook>>,
    ids: Shared<IdsByKind>,
    problems: Vec<String>,
    dispatch: Callback<Action>,
}

#[function_component(FieldRow)]
fn field_row(props: &FieldRowProps) -> Html {
    let lang = use_lang();
    let labels = use_context::<Shared<Labels>>().unwrap_or_default();
    let error = use_state(|| None::<String>);
    let spec = props.spec;
    let commit = {
        let (dispatch, target, error) = (props.dispatch.clone(), props.target.clone(), error.clone());
        Callback::from(move |value: Value| {
            error.set(None);
            let path = spec.path.to_owned();
            if target.is_empty() {
                dispatch.emit(Action::SetDesignField { path, value });
            } else {
                dispatch.emit(Action::SetField { target: target.clone(), path, value });
            }
        })
    };
    let commit_text = {
        let (commit, error) = (commit.clone(), error.clone());
        Callback::from(move |text: String| match spec.control.parse(&text) {
            Ok(value) => commit.emit(value),
            Err(message) => error.set(Some(message)),
        })
    };
    // A VM's size is picked from the sizes Moat knows, each with its price where the VM runs.
    let is_vm_size =
        spec.path == "size" && props.design.element(&props.target).is_some_and(|e| e.kind() == ElementKind::Vm);
    // The list of every size is made when the field is focused, not when a VM is selected
    // (339 options made each press twice as slow at 100 spokes).
    let sizes_for = use_state_eq(|| None::<String>);
    let listed = is_vm_size && sizes_for.as_deref() == Some(props.target.as_str());
    let no_prices = PriceBook::empty();
    let sizes = use_memo(
        (props.design.clone(), props.book.clone(), props.target.clone(), listed),
        |(design, book, target, listed)| {
            if *listed {
                size_choices(design, book.as_deref().unwrap_or(&PriceBook::empty()), target)
            } else {
                Vec::new()
            }
        },
    );
    let chosen = use_memo(
        (props.design.clone(), props.book.clone(), props.target.clone(), props.value.clone(), is_vm_size),
        |(design, book, target, value, wanted)| {
            let name = value.as_str().filter(|_| *wanted)?;
            match book {
                Some(book) => size_choice(design, book, target, name),
                None => size_choice(design, &PriceBook::empty(), target, name),
            }
        },
    );
    let control = if is_vm_size {
        let book = props.book.as_deref().unwrap_or(&no_prices);
        let on_focus = {
            let (sizes_for, target) = (sizes_for.clone(), props.target.clone());
            Callback::from(move |_: FocusEvent| sizes_for.set(Some(target.clone())))
        };
        size_picker(
            &props.target,
            &props.value,
            (&sizes, chosen.as_ref().as_ref(), book.currency()),
            (&commit_text, on_focus),
            lang,
        )
    } else {
        control_html(props, (lang, &labels), &commit, &commit_text)
    };
    let messages = error.iter().cloned().chain(props.problems.iter().cloned());
    html! {
        <div class="field">
            <label id={format!("label-{}", spec.path)} for={field_id(spec.path)}>{ spec.label_in(lang) }</label>
            { control }
            <div class="field-messages">
                { for messages.map(|m| html! { <p class="field-error" data-field-error={spec.path}>{ m }</p> }) }
            </div>
        </div>
    }
}

/// The id of a field's control, which its label points to.
fn field_id(path: &str) -> String {
    format!("field-{path}")
}

fn input_text(event: &Event) -> String {
    event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok().map(|i| i.value())).unwrap_or_default()
}

fn select_text(event: &Event) -> String {
    event.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

fn control_html(
    props: &FieldRowProps,
    (lang, labels): (Lang, &Labels),
    commit: &Callback<Value>,
    commit_text: &Callback<String>,
) -> Html {
    let spec = props.spec;
    let path = spec.path;
    let shown = spec.control.display(&props.value);
    match spec.control {
        Control::Bool => {
            let commit = commit.clone();
            let onchange = Callback::from(move |event: Event| {
                let checked = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .is_some_and(|i| i.checked());
                commit.emit(Value::Bool(checked));
            });
            html! { <input type="checkbox" id={field_id(path)} data-field={path} checked={props.value == Value::Bool(true)} {onchange} /> }
        }
        Control::Choice(options) | Control::OptionalChoice(options) => {
            let optional = matches!(spec.control, Control::OptionalChoice(_));
            let commit_text = commit_text.clone();
            let onchange = Callback::from(move |event: Event| commit_text.emit(select_text(&event)));
            html! {
                <select id={field_id(path)} data-field={path} {onchange}>
                    { for optional.then(|| html! { <option value="" selected={shown.is_empty()}>{ Text::DefaultChoice.get(lang) }</option> }) }
                    { for options.iter().map(|o| html! { <option value={*o} selected={shown == *o}>{ *o }</option> }) }
                </select>
            }
        }
        Control::Reference(kinds) => {
            let blank = (path != "parent").then(|| Text::NoneChoice.get(lang));
            html! { <ChoiceList owner={props.target.clone()} id={field_id(path)} field={path} {blank} chosen={shown}
            candidates={reference_candidates(props, kinds)} on_choose={commit_text.clone()} /> }
        }
        Control::LinkReference(kind) => {
            let candidates: Vec<String> =
                props.design.links.iter().filter(|l| l.kind() == kind).map(|l| l.id.0.clone()).collect();
            html! { <ChoiceList owner={props.target.clone()} id={field_id(path)} field={path} blank={Text::NoneChoice.get(lang)}
            chosen={shown} candidates={Rc::new(candidates)} on_choose={commit_text.clone()} /> }
        }
        Control::References(kinds) => {
            let current: Vec<String> = props
                .value
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                .unwrap_or_default();
            let candidates = reference_candidates(props, kinds);
            if candidates.len() <= CHECKLIST_LIMIT {
                checklist(path, &current, &candidates, commit, labels)
            } else {
                chosen_and_more(path, &props.target, &current, &candidates, commit, (lang, labels))
            }
        }
        Control::NsgRules | Control::FirewallRules | Control::Routes | Control::DataDisks => {
            html! { <TableEditor owner={props.target.clone()} ids={props.ids.clone()} path={path} control={spec.control} rows={props.value.as_array().cloned().unwrap_or_default()}
            design={props.design.clone()} commit={commit.clone()} /> }
        }
        Control::Zones => zone_toggles(path, &props.value, commit, lang),
        _ => html! { <TextInput field={path} value={shown} on_commit={commit_text.clone()} /> },
    }
}

/// Availability zones as three toggles (a VM tier spreads over some of zones 1, 2 and 3).
fn zone_toggles(path: &'static str, value: &Value, commit: &Callback<Value>, lang: Lang) -> Html {
    let current: Vec<u64> = value.as_array().map(|a| a.iter().filter_map(Value::as_u64).collect()).unwrap_or_default();
    html! {
        <div class="zones" role="group" aria-labelledby={format!("label-{path}")} data-field={path}>
            { for (1..=3u64).map(|zone| {
                let on = current.contains(&zone);
                let mut next: Vec<u64> = current.iter().copied().filter(|z| *z != zone).collect();
                if !on {
                    next.push(zone);
                    moat_model::sorting::sort(&mut next);
                }
                let commit = commit.clone();
                let onclick = Callback::from(move |_: MouseEvent| commit.emit(Value::from(next.clone())));
                let label = Text::ZoneN.fill(lang, &[("n", &zone)]);
                html! {
                    <button class={classes!("zone", on.then_some("on"))} data-zone={zone.to_string()} aria-pressed={on.to_string()}
                            aria-label={label.clone()} title={label} {onclick}>{ zone }</button>
                }
            }) }
        </div>
    }
}

/// A VM's size: typed or picked from every size Moat knows (search by name, vCPUs, memory,
/// "isolated"), each with one VM's price a month where the VM runs. A size Moat does not
/// know is kept, with a note that its cost is unknown.
fn size_picker(
    target: &str,
    value: &Value,
    (sizes, chosen, currency): (&[SizeChoice], Option<&SizeChoice>, &str),
    (commit, on_focus): (&Callback<String>, Callback<FocusEvent>),
    lang: Lang,
) -> Html {
    let list = format!("sizes-{target}");
    let current = value.as_str().unwrap_or_default();
    let known = current.is_empty() || chosen.is_some();
    let describe = |size: &SizeChoice| {
        let price = size.monthly.map_or_else(
            || Text::NoPrice.get(lang).to_owned(),
            |m| Text::PerMonth.fill(lang, &[("amount", &format!("{m:.0} {currency}"))]),
        );
        let isolated = if size.isolated { Text::IsolatedMark.get(lang) } else { "" };
        Text::SizeSummary.fill(
            lang,
            &[("vcpus", &size.vcpus), ("memory", &size.memory_gib), ("price", &price), ("isolated", &isolated)],
        )
    };
    html! {
        <div class="size-picker" onfocusin={on_focus}>
            <TextInput field="size" value={current.to_owned()} on_commit={commit.clone()} list={Some(AttrValue::from(list.clone()))} />
            <datalist id={list}>
                { for sizes.iter().map(|size| html! { <option value={size.name.clone()} label={describe(size)} /> }) }
            </datalist>
            { for chosen.map(|size| html! { <p class="field-note" data-testid="size-summary">{ describe(size) }</p> }) }
            if !known {
                <p class="field-error" data-testid="size-unknown">{ Text::UnknownSize.get(lang) }</p>
            }
        </div>
    }
}

/// Up to this many candidates, a list of references is a row of checkboxes; beyond it (a
/// large design has hundreds of ASGs), the chosen ones and a list to add more from.
const CHECKLIST_LIMIT: usize = 12;

/// A list of references as checkboxes, one per candidate.
fn checklist(
    path: &'static str,
    current: &[String],
    candidates: &[String],
    commit: &Callback<Value>,
    labels: &Labels,
) -> Html {
    html! {
        <div class="checklist" role="group" aria-labelledby={format!("label-{path}")} data-field={path}>
            { for candidates.iter().map(|id| {
                let checked = current.contains(id);
                let (commit, next) = (commit.clone(), toggled(current, id));
                let onchange = Callback::from(move |_: Event| commit.emit(next.clone()));
                html! { <label class="check"><input type="checkbox" value={id.clone()} {checked} {onchange} />{ labels.get(id) }</label> }
            }) }
        </div>
    }
}

/// A long list of references: the chosen ones, each with a button that removes it, and a
/// drop-down of the other candidates that adds the one picked.
fn chosen_and_more(
    path: &'static str,
    owner: &str,
    current: &[String],
    candidates: &[String],
    commit: &Callback<Value>,
    (lang, labels): (Lang, &Labels),
) -> Html {
    let add = {
        let (commit, current) = (commit.clone(), current.to_vec());
        Callback::from(move |picked: String| {
            if !picked.is_empty() {
                let mut next = current.clone();
                next.push(picked);
                commit.emit(Value::from(next));
            }
        })
    };
    html! {
        <div class="chosen" role="group" aria-labelledby={format!("label-{path}")} data-field={path}>
            { for current.iter().map(|id| {
                let (commit, next) = (commit.clone(), toggled(current, id));
                let onclick = Callback::from(move |_: MouseEvent| commit.emit(next.clone()));
                let label = Text::RemoveReference.fill(lang, &[("id", &labels.get(id))]);
                html! { <span class="chip">{ labels.get(id) }<button class="remove" value={id.clone()} aria-label={label.clone()} title={label}
                        {onclick}>{ "×" }</button></span> }
            }) }
            <ChoiceList class="add" owner={owner.to_owned()} label={Text::AddReference.get(lang)} blank={Text::AddReference.get(lang)} chosen=""
                candidates={Rc::new(candidates.iter().filter(|id| !current.contains(id)).cloned().collect::<Vec<_>>())} on_choose={add} />
        </div>
    }
}

/// The references with `id` added, or taken out if it is there.
fn toggled(current: &[String], id: &str) -> Value {
    let mut next: Vec<String> = current.iter().filter(|c| *c != id).cloned().collect();
    if next.len() == current.len() {
        next.push(id.to_owned());
    }
    Value::from(next)
}

/// The ids a reference field may name: elements of the kinds, or for `parent`, the
/// containers this element can live in.
fn reference_candidates(props: &FieldRowProps, kinds: &[ElementKind]) -> Rc<Vec<String>> {
    let design = &props.design;
    let own_kind = design.element(&props.target).map(|e| e.kind());
    match (props.spec.path, own_kind, kinds) {
        // The usual case: one kind, not the element's own, listed once per design.
        (path, own, [kind]) if path != "parent" && own != Some(*kind) => props.ids.of_kind(*kind),
        (path, own, _) => Rc::new(
            design
                .elements
                .iter()
                .filter(|e| e.id.as_str() != props.target)
                .filter(|e| match (path, own) {
                    ("parent", Some(kind)) => fits_in(kind, Some(e)),
                    _ => kinds.contains(&e.kind()),
                })
                .map(|e| e.id.0.clone())
                .collect(),
        ),
    }
}

/// The ids of the design's elements by kind, in document order: found once per design for
/// every reference field of the inspector.
#[derive(Default)]
struct IdsByKind(std::collections::HashMap<ElementKind, Rc<Vec<String>>>);

impl IdsByKind {
    fn of(design: &Design) -> IdsByKind {
        let mut by_kind: std::collections::HashMap<ElementKind, Vec<String>> = std::collections::HashMap::new();
        for element in &design.elements {
            by_kind.entry(element.kind()).or_default().push(element.id.0.clone());
        }
        IdsByKind(by_kind.into_iter().map(|(kind, ids)| (kind, Rc::new(ids))).collect())
    }

    fn of_kinds(&self, kinds: &[ElementKind], design: &Design) -> Rc<Vec<String>> {
        match kinds {
            [kind] => self.of_kind(*kind),
            // Several kinds: in document order, as one list.
            _ => {
                Rc::new(design.elements.iter().filter(|e| kinds.contains(&e.kind())).map(|e| e.id.0.clone()).collect())
            }
        }
    }

    fn of_kind(&self, kind: ElementKind) -> Rc<Vec<String>> {
        self.0.get(&kind).cloned().unwrap_or_default()
    }
}

#[derive(Properties, PartialEq)]
struct ChoiceListProps {
    /// The select's `id`, which a field's label points to.
    #[prop_or_default]
    id: Option<String>,
    /// Its `data-field`.
    #[prop_or_default]
    field: Option<String>,
    #[prop_or_default]
    class: Classes,
    /// Its accessible name, where no label points to it.
    #[prop_or_default]
    label: Option<&'static str>,
    /// The text of a first option that stands for no value (""), if there is one.
    #[prop_or_default]
    blank: Option<&'static str>,
    /// The value chosen now.
    chosen: String,
    /// What the field belongs to: the list is emptied again when it changes (the same
    /// drop-down then shows another element's field).
    #[prop_or_default]
    owner: String,
    candidates: Rc<Vec<String>>,
    on_choose: Callback<String>,
}

/// A drop-down of ids. A long one (a large design has hundreds of subnets, NSGs and
/// ASGs) holds only the chosen option until it is focused or pressed: it is then filled,
/// before the browser opens it. Hundreds of options per field made showing an element's
/// fields take several frames.
#[function_component(ChoiceList)]
fn choice_list(props: &ChoiceListProps) -> Html {
    let filled_for = use_state_eq(|| None::<String>);
    let fill = {
        let (filled_for, owner) = (filled_for.clone(), props.owner.clone());
        move || filled_for.set(Some(owner.clone()))
    };
    let filled = filled_for.as_deref() == Some(props.owner.as_str());
    let listed: Vec<&String> = if filled || props.candidates.len() <= EAGER_CHOICES {
        props.candidates.iter().collect()
    } else {
        props.candidates.iter().filter(|id| **id == props.chosen).collect()
    };
    let on_choose = props.on_choose.clone();
    let onchange = Callback::from(move |event: Event| on_choose.emit(select_text(&event)));
    let chosen = &props.chosen;
    let labels = use_context::<Shared<Labels>>();
    let label = |id: &String| labels.as_ref().map_or(id.clone(), |labels| labels.get(id).to_owned());
    html! {
        <select id={props.id.clone()} data-field={props.field.clone()} class={props.class.clone()} aria-label={props.label}
                {onchange} onfocus={{ let fill = fill.clone(); move |_: FocusEvent| fill() }}
                onpointerdown={{ let fill = fill.clone(); move |_: PointerEvent| fill() }} onkeydown={move |_: KeyboardEvent| fill()}>
            { for props.blank.map(|text| html! { <option key="" value="" selected={chosen.is_empty()}>{ text }</option> }) }
            { for listed.into_iter().map(|id| html! { <option key={id.as_str()} value={id.clone()} selected={chosen == id}>{ label(id) }</option> }) }
        </select>
    }
}

/// Up to this many candidates, a drop-down is filled from the start.
const EAGER_CHOICES: usize = 40;

#[derive(Properties, PartialEq)]
struct TableProps {
    /// The element the table belongs to.
    owner: String,
    ids: Shared<IdsByKind>,
    path: &'static str,
    control: Control,
    rows: Vec<Value>,
    design: Shared<Design>,
    commit: Callback<Value>,
}

/// A list of records (NSG rules, routes, firewall rules, data disks) edited as cards.
#[function_component(TableEditor)]
fn table_editor(props: &TableProps) -> Html {
    let lang = use_lang();
    let columns = props.control.columns();
    // Shared by every cell's callback; copied only when a change is made.
    let rows = Rc::new(props.rows.clone());
    // The ids each reference column may name, found once for all rows.
    let candidates: Vec<Rc<Vec<String>>> = columns
        .iter()
        .map(|column| match column.cell {
            Cell::Reference(kinds) => props.ids.of_kinds(kinds, &props.design),
            _ => Rc::default(),
        })
        .collect();
    let emit = {
        let commit = props.commit.clone();
        move |rows: Vec<Value>| commit.emit(Value::from(rows))
    };
    let add = {
        let (rows, emit, control) = (rows.clone(), emit.clone(), props.control);
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            next.push(control.new_row(&rows));
            emit(next);
        })
    };
    let sort = (props.control == Control::NsgRules).then(|| {
        let (rows, emit) = (rows.clone(), emit.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            moat_model::sorting::sort_by_key(&mut next, |r| {
                (r["direction"].as_str().map(str::to_owned), r["priority"].as_u64())
            });
            emit(next);
        })
    });
    let ordered = matches!(props.control, Control::FirewallRules | Control::Routes);
    html! {
        <div class="table-editor" data-table={props.path}>
            { for rows.iter().enumerate().map(|(i, row)| {
                let cells = columns.iter().zip(&candidates).map(|(column, candidates)| {
                    let field = format!("{}.{i}.{}", props.path, column.key);
                    let value = &row[column.key];
                    let shown = match value { Value::String(s) => s.clone(), Value::Null => String::new(), other => other.to_string() };
                    let (rows, emit, key, cell) = (rows.clone(), emit.clone(), column.key, column.cell);
                    let set = Callback::from(move |text: String| {
                        let mut next = (*rows).clone();
                        let value = match cell {
                            Cell::Number => text.trim().parse::<i64>().map(Value::from).unwrap_or(Value::from(text)),
                            Cell::Reference(_) if text.is_empty() => Value::Null,
                            _ => Value::from(text),
                        };
                        if let Some(Value::Object(map)) = next.get_mut(i) {
                            if value.is_null() { map.remove(key); } else { map.insert(key.to_owned(), value); }
                        }
                        emit(next);
                    });
                    let input = match column.cell {
                        Cell::Choice(options) => {
                            let onchange = set.reform(|event: Event| select_text(&event));
                            html! { <select data-field={field} {onchange}>
                                { for options.iter().map(|o| html! { <option value={*o} selected={shown == *o}>{ *o }</option> }) }
                            </select> }
                        }
                        Cell::Reference(_) => html! {
                            <ChoiceList owner={props.owner.clone()} field={field} blank={Text::NoneChoice.get(lang)} chosen={shown}
                                candidates={candidates.clone()} on_choose={set} />
                        },
                        Cell::Text | Cell::Number => html! { <TextInput {field} value={shown} on_commit={set} /> },
                    };
                    html! { <label class="cell"><span>{ column.label_in(lang) }</span>{ input }</label> }
                });
                let remove = {
                    let (rows, emit) = (rows.clone(), emit.clone());
                    Callback::from(move |_: MouseEvent| {
                        let mut next = (*rows).clone();
                        next.remove(i);
                        emit(next);
                    })
                };
                let mover = |delta: isize| {
                    let (rows, emit) = (rows.clone(), emit.clone());
                    Callback::from(move |_: MouseEvent| {
                        let j = i as isize + delta;
                        if j >= 0 && (j as usize) < rows.len() {
                            let mut next = (*rows).clone();
                            next.swap(i, j as usize);
                            emit(next);
                        }
                    })
                };
                html! {
                    <div class="row-card" data-row={i.to_string()}>
                        { for cells }
                        <div class="row-actions">
                            { for ordered.then(|| html! { <>
                                <button title={Text::MoveUp.get(lang)} aria-label={Text::MoveUp.get(lang)} data-action="row-up" onclick={mover(-1)}>{ "↑" }</button>
                                <button title={Text::MoveDown.get(lang)} aria-label={Text::MoveDown.get(lang)} data-action="row-down" onclick={mover(1)}>{ "↓" }</button>
                            </> }) }
                            <button title={Text::Remove.get(lang)} data-action="remove-row" onclick={remove}>{ Text::Remove.get(lang) }</button>
                        </div>
                    </div>
                }
            }) }
            <div class="table-actions">
                <button data-action="add-row" onclick={add}>{ Text::Add.get(lang) }</button>
                { for sort.map(|onclick| html! { <button data-action="sort-rows" {onclick}>{ Text::SortByPriority.get(lang) }</button> }) }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TextInputProps {
    field: String,
    value: String,
    on_commit: Callback<String>,
    /// The `id` of a `<datalist>` of suggestions.
    #[prop_or_default]
    list: Option<AttrValue>,
}

/// A text input that commits on Enter and on blur. The model's value is written into it
/// only when that value changes, so a re-render (an autosave, say) never wipes what the
/// person is typing.
#[function_component(TextInput)]
fn text_input(props: &TextInputProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.value.clone(), move |value| {
            if let Some(input) = node.cast::<web_sys::HtmlInputElement>() {
                input.set_value(value);
            }
        });
    }
    let onchange = props.on_commit.reform(|event: Event| input_text(&event));
    html! { <input ref={node} type="text" id={field_id(&props.field)} data-field={props.field.clone()} list={props.list.clone()} {onchange} spellcheck="false" /> }
}
