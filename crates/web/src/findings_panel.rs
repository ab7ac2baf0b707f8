//! The findings panel: what the design gets wrong, live, from the rule catalogue. Filter by
//! severity and area, read the rationale and fix, jump to the element, suppress a finding
//! with a reason (kept in the design) or take the suppression back.

use crate::shared::Shared;
use std::rc::Rc;

use moat_model::Design;
use moat_model::element::ElementKind;
use moat_model::rules::{Area, Finding, Report, Severity, i18n, rule};
use moat_model::schema::field_label;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::{Lang, Text, area_name, severity_name, use_lang};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct FindingsPanelProps {
    pub report: Shared<Report>,
    /// The name each finding's element goes by (see [`element_names`]). Compared by value,
    /// so an edit that changes no finding does not draw the list again.
    pub names: Rc<ElementNames>,
    pub dispatch: Callback<Action>,
    /// Selects an element and centres it on the canvas.
    pub on_focus: Callback<String>,
    /// The rules' texts in the page's language, once read from the site.
    pub rule_texts: Option<Shared<i18n::Translation>>,
    /// Asks for the rules' English texts, which are read when a finding is first opened.
    pub want_rule_texts: Callback<()>,
}

const AREAS: &[Area] = &[
    Area::Availability,
    Area::Network,
    Area::Hybrid,
    Area::Management,
    Area::Isolation,
    Area::Encryption,
    Area::Backup,
    Area::Region,
    Area::Governance,
    Area::Monitoring,
];

fn select_value(event: &Event) -> String {
    event.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

/// The names the elements of a report's findings go by, in the report's order.
#[derive(Debug, Default, PartialEq)]
pub struct ElementNames {
    pub findings: Vec<String>,
    pub suppressed: Vec<String>,
    /// The kind of each finding's element (a fix names its fields as the inspector does).
    pub kinds: Vec<Option<ElementKind>>,
}

/// The name each finding's element goes by (its id when it has no element any more).
pub fn element_names(design: &Design, report: &Report) -> ElementNames {
    let index = design.index();
    let name =
        |f: &Finding| index.element(&f.element).map_or_else(|| f.element.clone(), |e| e.display_name().to_owned());
    ElementNames {
        findings: report.findings.iter().map(name).collect(),
        suppressed: report.suppressed.iter().map(|s| name(&s.finding)).collect(),
        kinds: report.findings.iter().map(|f| index.element(&f.element).map(|e| e.kind())).collect(),
    }
}

/// Where a finding is listed: errors first, then warnings, then infos; within a severity by
/// area (in the order of the area filter), then in the report's order.
fn listing_order(finding: &Finding) -> (std::cmp::Reverse<Severity>, usize) {
    let area = rule(&finding.rule).and_then(|r| AREAS.iter().position(|a| *a == r.area)).unwrap_or(AREAS.len());
    (std::cmp::Reverse(finding.severity), area)
}

#[function_component(FindingsPanel)]
pub fn findings_panel(props: &FindingsPanelProps) -> Html {
    let lang = use_lang();
    let severity_filter = use_state(String::new);
    let area_filter = use_state(String::new);
    let report = &props.report;
    let names = &props.names;
    let translation = props.rule_texts.clone();
    let mut shown: Vec<((&Finding, &String), Option<ElementKind>)> = report
        .findings
        .iter()
        .zip(names.findings.iter())
        .zip(names.kinds.iter().copied().chain(std::iter::repeat(None)))
        .filter(|((f, _), _)| severity_filter.is_empty() || f.severity.as_str() == severity_filter.as_str())
        .filter(|((f, _), _)| {
            area_filter.is_empty() || rule(&f.rule).is_some_and(|r| r.area.as_str() == area_filter.as_str())
        })
        .collect();
    // Through the one compiled sort (see `moat_model::sorting`).
    moat_model::sorting::sort_by_key(&mut shown, |((finding, _), _)| listing_order(finding));
    let on_severity = {
        let filter = severity_filter.clone();
        Callback::from(move |e: Event| filter.set(select_value(&e)))
    };
    let on_area = {
        let filter = area_filter.clone();
        Callback::from(move |e: Event| filter.set(select_value(&e)))
    };
    html! {
        <div class="findings-panel" data-testid="findings">
            <div class="findings-filters">
                <label class="reach-field"><span>{ Text::Severity.get(lang) }</span>
                    <select data-filter="severity" onchange={on_severity}>
                        <option value="" selected={severity_filter.is_empty()}>{ Text::All.get(lang) }</option>
                        { for [Severity::Error, Severity::Warning, Severity::Info].into_iter().map(|s| html! {
                            <option value={s.as_str()} selected={*severity_filter == s.as_str()}>{ severity_name(s, lang) }</option>
                        }) }
                    </select>
                </label>
                <label class="reach-field"><span>{ Text::Area.get(lang) }</span>
                    <select data-filter="area" onchange={on_area}>
                        <option value="" selected={area_filter.is_empty()}>{ Text::All.get(lang) }</option>
                        { for AREAS.iter().map(|a| html! { <option value={a.as_str()} selected={*area_filter == a.as_str()}>{ area_name(*a, lang) }</option> }) }
                    </select>
                </label>
                <span class="muted">{ Text::FindingsShown.fill(lang, &[("shown", &shown.len()), ("total", &report.findings.len())]) }</span>
            </div>
            <ul class="findings">
                { for shown.iter().map(|((finding, name), kind)| html! {
                    <FindingItem finding={(*finding).clone()} name={(*name).clone()} kind={*kind} translation={translation.clone()} want_texts={props.want_rule_texts.clone()}
                                 dispatch={props.dispatch.clone()} on_focus={props.on_focus.clone()} />
                }) }
                { for report.findings.is_empty().then(|| html! { <li class="muted">{ Text::NoFindings.get(lang) }</li> }) }
            </ul>
            { for (!report.suppressed.is_empty()).then(|| html! {
                <section class="suppressed" data-testid="suppressed">
                    <h3>{ Text::SuppressedHeading.fill(lang, &[("n", &report.suppressed.len())]) }</h3>
                    <ul>
                        { for report.suppressed.iter().zip(names.suppressed.iter()).map(|(s, name)| {
                            let (dispatch, rule, target) = (props.dispatch.clone(), s.finding.rule.clone(), s.finding.element.clone());
                            let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Unsuppress { rule: rule.clone(), target: target.clone() }));
                            html! {
                                <li data-suppressed-rule={s.finding.rule.clone()} data-suppressed-element={s.finding.element.clone()}>
                                    <strong>{ format!("{} {name}", s.finding.rule) }</strong>
                                    <span class="muted">{ format!(" — {}", s.reason) }</span>
                                    <button data-action="unsuppress" {onclick}>{ Text::Unsuppress.get(lang) }</button>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FindingItemProps {
    finding: Finding,
    /// The name of the element the finding is about.
    name: String,
    /// Its kind, if it is an element.
    kind: Option<ElementKind>,
    /// The rules' texts in the page's language, once read.
    translation: Option<Shared<i18n::Translation>>,
    /// Asks for the rules' English texts when the finding is opened.
    want_texts: Callback<()>,
    dispatch: Callback<Action>,
    on_focus: Callback<String>,
}

/// A fix's text with each field it names in backticks (`diskEncryption.kek`) shown by the
/// inspector's label in the page's language; other marked words (values) stay as code.
fn with_field_labels(text: &str, kind: Option<ElementKind>, lang: Lang) -> Html {
    let model_lang = if lang == Lang::Ja { i18n::Lang::Ja } else { i18n::Lang::En };
    html! {
        { for text.split('`').enumerate().map(|(i, part)| match (i % 2, field_label(part, kind, model_lang)) {
            (0, _) => html! { { part.to_owned() } },
            (_, Some(label)) => html! { <strong class="field-name" data-field-path={part.to_owned()}>{ if lang == Lang::Ja { format!("「{label}」") } else { format!("“{label}”") } }</strong> },
            (_, None) => html! { <code>{ part.to_owned() }</code> },
        }) }
    }
}

#[function_component(FindingItem)]
fn finding_item(props: &FindingItemProps) -> Html {
    let lang = use_lang();
    let reason = use_node_ref();
    let finding = &props.finding;
    let catalogue_entry = rule(&finding.rule);
    let translation = props.translation.as_deref();
    let name = props.name.clone();
    let focus = {
        let (on_focus, id) = (props.on_focus.clone(), finding.element.clone());
        Callback::from(move |_: MouseEvent| on_focus.emit(id.clone()))
    };
    // Said beside the reason's field, where the user is looking, not at the canvas's foot.
    let missing_reason = use_state(|| false);
    let suppress = {
        let (dispatch, reason, rule, target, missing_reason) = (
            props.dispatch.clone(),
            reason.clone(),
            finding.rule.clone(),
            finding.element.clone(),
            missing_reason.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let text = reason.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            missing_reason.set(text.trim().is_empty());
            if !text.trim().is_empty() {
                dispatch.emit(Action::Suppress { rule: rule.clone(), target: target.clone(), reason: text });
            }
        })
    };
    html! {
        <li class={classes!("finding", finding.severity.as_str())} data-finding-rule={finding.rule.clone()}
            data-finding-element={finding.element.clone()} data-severity={finding.severity.as_str()}>
            <div class="finding-head">
                <span class={classes!("badge", finding.severity.as_str())}>{ severity_name(finding.severity, lang) }</span>
                <strong>{ finding.rule.clone() }</strong>
                <button class="link-button" data-action="focus" onclick={focus}>{ name }</button>
                <span>{ finding.message.clone() }</span>
            </div>
            { for catalogue_entry.map(|r| html! {
                <details ontoggle={props.want_texts.reform(|_: Event| ())}>
                    <summary>{ i18n::title_in(r, translation) }</summary>
                    // The rationale and fix come from a site file, read when a finding is first opened.
                    if !i18n::rationale_in(r, translation).is_empty() {
                        <p><strong>{ Text::Why.get(lang) }</strong>{ i18n::rationale_in(r, translation) }</p>
                        <p><strong>{ Text::Fix.get(lang) }</strong>{ with_field_labels(i18n::fix_in(r, translation), props.kind, lang) }</p>
                    }
                    <div class="suppress-form">
                        <input ref={reason.clone()} type="text" placeholder={Text::SuppressReason.get(lang)} aria-label={Text::SuppressReason.get(lang)} data-field="suppression-reason"
                               aria-invalid={missing_reason.to_string()} />
                        <button data-action="suppress" onclick={suppress.clone()}>{ Text::Suppress.get(lang) }</button>
                        if *missing_reason {
                            <p class="field-error" role="alert" data-testid="suppression-reason-missing">{ Text::ReasonNeeded.get(lang) }</p>
                        }
                    </div>
                </details>
            }) }
        </li>
    }
}
