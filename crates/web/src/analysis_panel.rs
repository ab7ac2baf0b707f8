//! The analysis panel under the canvas: its tabs (findings, reachability, estimates,
//! structure, outline) and the body of the one shown.

use std::collections::BTreeSet;
use std::rc::Rc;

use moat_model::cost::PriceBook;
use moat_model::design::Labels;
use moat_model::rules::Report;
use moat_model::rules::i18n::Translation;
use moat_model::{Design, Problem};
use yew::prelude::*;

use crate::browser;
use crate::estimates_panel::EstimatesPanel;
use crate::findings_panel::{ElementNames, FindingsPanel};
use crate::i18n::{Text, use_lang};
use crate::outline::Outline;
use crate::reach_panel::{Query, ReachPanel};
use crate::shared::Shared;
use crate::state::Action;

/// The panel's tabs, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Findings,
    Reachability,
    Estimates,
    Structure,
    Outline,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Findings, Tab::Reachability, Tab::Estimates, Tab::Structure, Tab::Outline];

    /// Its name in the page (`data-tab`, the tab's id `tab-<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Findings => "findings",
            Tab::Reachability => "reachability",
            Tab::Estimates => "estimates",
            Tab::Structure => "structure",
            Tab::Outline => "outline",
        }
    }
}

/// How much room the panel takes under the canvas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PanelSize {
    #[default]
    Normal,
    /// Most of the workspace's height, to read many findings or a large matrix.
    Large,
    /// Its tabs only.
    Folded,
}

impl PanelSize {
    fn class(self) -> Option<&'static str> {
        match self {
            PanelSize::Normal => None,
            PanelSize::Large => Some("large"),
            PanelSize::Folded => Some("folded"),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct AnalysisPanelProps {
    pub tab: Tab,
    pub on_tab: Callback<Tab>,
    pub size: PanelSize,
    pub on_size: Callback<PanelSize>,
    /// The design the analyses are of (until they are back after an edit, the one before it).
    pub design: Shared<Design>,
    pub problems: Shared<Vec<Problem>>,
    pub report: Shared<Report>,
    /// The name of each finding's element, in the report's order.
    pub finding_names: Rc<ElementNames>,
    /// How many flows are denied.
    pub denied: usize,
    /// Whether the analyses of the latest edit are still running.
    pub updating: bool,
    /// The rules' texts in the page's language, once read from the site.
    pub rule_texts: Option<Shared<Translation>>,
    /// Asks for the rules' English texts (a finding is being opened).
    pub want_rule_texts: Callback<()>,
    pub book: Option<Shared<PriceBook>>,
    pub book_unreadable: Option<AttrValue>,
    /// The files of prices imported over the built-in book, with what each import used.
    pub imported: Vec<(String, moat_model::cost::Imported)>,
    pub on_import: Callback<MouseEvent>,
    pub selection: BTreeSet<String>,
    pub query: Query,
    pub on_query: Callback<Query>,
    /// Brings an element on screen and selects it.
    pub on_focus: Callback<String>,
    pub dispatch: Callback<Action>,
}

/// A button that puts the panel in `size`, or back to normal when it is in it.
fn size_button(
    props: &AnalysisPanelProps,
    size: PanelSize,
    action: &'static str,
    (to, back): (Text, Text),
    (sign, back_sign): (&'static str, &'static str),
    lang: crate::i18n::Lang,
) -> Html {
    let on = props.size == size;
    let label = if on { back.get(lang) } else { to.get(lang) };
    let on_size = props.on_size.clone();
    let onclick = Callback::from(move |_: MouseEvent| on_size.emit(if on { PanelSize::Normal } else { size }));
    html! {
        <button class="panel-size" data-action={action} aria-pressed={on.to_string()} title={label} aria-label={label} {onclick}>
            { if on { back_sign } else { sign } }
        </button>
    }
}

#[function_component(AnalysisPanel)]
pub fn analysis_panel(props: &AnalysisPanelProps) -> Html {
    let lang = use_lang();
    let on_tab_key = {
        let (on_tab, here) = (props.on_tab.clone(), Tab::ALL.iter().position(|t| *t == props.tab).unwrap_or(0));
        Callback::from(move |event: KeyboardEvent| {
            let count = Tab::ALL.len();
            let next = match event.key().as_str() {
                "ArrowRight" => (here + 1) % count,
                "ArrowLeft" => (here + count - 1) % count,
                "Home" => 0,
                "End" => count - 1,
                _ => return,
            };
            event.prevent_default();
            on_tab.emit(Tab::ALL[next]);
            browser::focus(&format!("#tab-{}", Tab::ALL[next].as_str()));
        })
    };
    let tab_button = |tab: Tab, label: String| {
        let active = props.tab == tab;
        let (on_tab, on_size, folded) = (props.on_tab.clone(), props.on_size.clone(), props.size == PanelSize::Folded);
        // A tab chosen while the panel is folded opens it.
        let onclick = Callback::from(move |_: MouseEvent| {
            on_tab.emit(tab);
            if folded {
                on_size.emit(PanelSize::Normal);
            }
        });
        let name = tab.as_str();
        // One tab stop for the tab list (the active tab); arrow keys move along it.
        html! {
            <button class={classes!("tab", active.then_some("active"))} data-tab={name} {onclick}
                    role="tab" id={format!("tab-{name}")} aria-selected={active.to_string()}
                    aria-controls="analysis-panel" tabindex={if active { "0" } else { "-1" }}>{ label }</button>
        }
    };
    let problems = &props.problems;
    let labels = use_memo(props.design.clone(), |design| Labels::of(design));
    let structure_label = if problems.is_empty() {
        Text::TabStructureClean.get(lang).to_owned()
    } else {
        Text::TabStructureProblems.fill(lang, &[("n", &problems.len())])
    };
    let reach_label = if props.denied == 0 {
        Text::TabReachability.get(lang).to_owned()
    } else {
        Text::TabReachabilityDenied.fill(lang, &[("n", &props.denied)])
    };
    let summary = props.report.summary;
    let findings_label = Text::TabFindings
        .fill(lang, &[("error", &summary.error), ("warning", &summary.warning), ("info", &summary.info)]);
    let body = match props.tab {
        // Choosing an element in the outline also brings it on screen.
        Tab::Outline => html! {
            <Outline design={props.design.clone()} selection={props.selection.clone()} on_select={props.on_focus.clone()} />
        },
        Tab::Estimates => html! {
            <EstimatesPanel design={props.design.clone()} book={props.book.clone()} book_unreadable={props.book_unreadable.clone()}
                imported={props.imported.clone()} on_import={props.on_import.clone()} dispatch={props.dispatch.clone()} />
        },
        Tab::Findings => html! {
            <FindingsPanel report={props.report.clone()} names={props.finding_names.clone()} on_focus={props.on_focus.clone()}
                rule_texts={props.rule_texts.clone()} want_rule_texts={props.want_rule_texts.clone()} dispatch={props.dispatch.clone()} />
        },
        Tab::Reachability => html! {
            <ReachPanel design={props.design.clone()} selection={props.selection.clone()} query={props.query.clone()}
                on_query={props.on_query.clone()} dispatch={props.dispatch.clone()} />
        },
        Tab::Structure => html! {
            <ul data-testid="problems">
                { for problems.iter().map(|problem| {
                    let (dispatch, target) = (props.dispatch.clone(), problem.target.clone());
                    let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Select(vec![target.clone()])));
                    let what = [labels.get(&problem.target), problem.field.as_str(), problem.message.as_str()];
                    let text = what.iter().filter(|part| !part.is_empty()).copied().collect::<Vec<_>>().join(": ");
                    html! { <li><button class="problem" {onclick}>{ text }</button></li> }
                }) }
                { for problems.is_empty().then(|| html! { <li class="muted">{ Text::WellFormed.get(lang) }</li> }) }
            </ul>
        },
    };
    html! {
        <section class={classes!("panel", props.size.class())} aria-label={Text::Analysis.get(lang)}
                 aria-busy={props.updating.to_string()} data-testid="analysis">
            <div class="panel-head">
            <div class="tabs" role="tablist" aria-label={Text::Analysis.get(lang)} onkeydown={on_tab_key}>
                { tab_button(Tab::Findings, findings_label) }
                { tab_button(Tab::Reachability, reach_label) }
                { tab_button(Tab::Estimates, Text::TabEstimates.get(lang).to_owned()) }
                { tab_button(Tab::Structure, structure_label) }
                { tab_button(Tab::Outline, Text::TabOutline.get(lang).to_owned()) }
            </div>
                // A small note rather than a fade of the panel: restyling the whole panel
                // cost a frame (25 ms at 100 spokes) twice per edit.
                <span class={classes!("busy", props.updating.then_some("shown"))} aria-hidden="true">{ Text::Updating.get(lang) }</span>
                { size_button(props, PanelSize::Large, "panel-grow", (Text::PanelLarger, Text::PanelSmaller), ("⤢", "⤡"), lang) }
                { size_button(props, PanelSize::Folded, "panel-fold", (Text::PanelFold, Text::PanelUnfold), ("▾", "▴"), lang) }
            </div>
            <div class="panel-body" id="analysis-panel" role="tabpanel" aria-labelledby={format!("tab-{}", props.tab.as_str())}>{ body }</div>
        </section>
    }
}
