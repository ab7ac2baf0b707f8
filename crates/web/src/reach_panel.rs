//! The reachability panel: ask whether traffic goes from one endpoint to another, see the
//! declared flows' live verdicts, the matrix of tiers, and the effective rules of the
//! selected VM. Every answer comes from `moat_model::reach`.

use crate::shared::Shared;
use std::collections::BTreeSet;

use moat_model::Design;
use moat_model::design::Labels;
use moat_model::element::{Access, Direction};
use moat_model::link::FlowProtocol;
use moat_model::reach::{self, Answer, Verdict};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::{Lang, Text, use_lang};
use crate::state::Action;

/// The question being asked, kept while the design changes so the answer stays live.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub from: String,
    pub to: String,
    pub protocol: FlowProtocol,
    pub port: Option<u16>,
}

impl Default for Query {
    fn default() -> Self {
        Query { from: String::new(), to: String::new(), protocol: FlowProtocol::Tcp, port: Some(443) }
    }
}

impl Query {
    pub fn answer(&self, design: &Design) -> Option<Answer> {
        reach::verify(design, &self.from, &self.to, self.protocol, self.port).ok()
    }
}

#[derive(Properties, PartialEq)]
pub struct ReachPanelProps {
    pub design: Shared<Design>,
    pub selection: BTreeSet<String>,
    pub query: Query,
    pub on_query: Callback<Query>,
    pub dispatch: Callback<Action>,
}

fn select_value(event: &Event) -> String {
    event.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

fn input_value(event: &Event) -> String {
    event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

/// The verdict as the page marks it (classes, `data-verdict`): the same in every language.
fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Allow => "allow",
        Verdict::Deny => "deny",
    }
}

/// The verdict as people read it.
fn verdict_text(verdict: Verdict, lang: Lang) -> &'static str {
    match verdict {
        Verdict::Allow => Text::Allow.get(lang),
        Verdict::Deny => Text::Deny.get(lang),
    }
}

#[function_component(ReachPanel)]
pub fn reach_panel(props: &ReachPanelProps) -> Html {
    let lang = use_lang();
    let design = &props.design;
    let endpoints = use_memo(design.clone(), |design| reach::endpoints(design));
    // Elements by name, as people know them (see `Labels`).
    let labels = use_memo(design.clone(), |design| Labels::of(design));
    let named = |ids: &[String]| ids.iter().map(|id| labels.get(id)).collect::<Vec<_>>().join(" → ");
    let flows = use_memo(design.clone(), |design| reach::flow_verdicts(design));
    let matrix_port = use_state(|| Some(443u16));
    let grid = {
        let port = *matrix_port;
        use_memo((design.clone(), port), |(design, port)| reach::matrix(design, *port))
    };
    let query = props.query.clone();
    let answer = query.answer(design);

    let set = |change: fn(&mut Query, String)| {
        let (on_query, query) = (props.on_query.clone(), query.clone());
        Callback::from(move |value: String| {
            let mut next = query.clone();
            change(&mut next, value);
            on_query.emit(next);
        })
    };
    let endpoint_select = |role: &'static str, label: Text, current: &str, change: Callback<String>| {
        let onchange = change.reform(|event: Event| select_value(&event));
        let from_selection = {
            let selected = props.selection.iter().next().cloned().filter(|id| endpoints.contains(id));
            let change = change.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(id) = selected.clone() {
                    change.emit(id);
                }
            })
        };
        html! {
            <label class="reach-field">
                <span>{ label.get(lang) }</span>
                <select data-reach={role} {onchange}>
                    <option value="" selected={current.is_empty()}>{ Text::Choose.get(lang) }</option>
                    { for endpoints.iter().map(|id| html! { <option value={id.clone()} selected={current == id}>{ labels.get(id) }</option> }) }
                </select>
                <button title={Text::UseSelection.get(lang)} aria-label={Text::UseSelection.get(lang)}
                        data-action={format!("{role}-selection")} onclick={from_selection}>{ "◎" }</button>
            </label>
        }
    };
    let protocol_change = set(|q, value| {
        q.protocol = moat_model::tracked::from_value(&serde_json::Value::from(value)).unwrap_or(FlowProtocol::Tcp);
    })
    .reform(|event: Event| select_value(&event));
    let port_change = set(|q, value| q.port = value.trim().parse().ok()).reform(|event: Event| input_value(&event));
    let protocol_name =
        serde_json::to_value(query.protocol).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();

    let verdict = answer.as_ref().map(|answer| {
        let decider = answer.denied_by.clone().map(|denied| {
            let dispatch = props.dispatch.clone();
            let element = denied.element.clone();
            let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Select(vec![element.clone()])));
            html! { <p>{ Text::DecidedBy.get(lang) }<button class="link-button" data-action="select-decider" {onclick}>
            { Text::DeciderRule.fill(lang, &[("element", &labels.get(&denied.element)), ("rule", &denied.rule)]) }</button></p> }
        });
        html! {
            <div class={classes!("reach-answer", verdict_word(answer.verdict))} data-testid="reach-answer">
                <strong data-testid="reach-verdict">{ verdict_text(answer.verdict, lang) }</strong>
                <span data-testid="reach-path">{ named(&answer.path) }</span>
                { for (!answer.return_path.is_empty()).then(|| html! {
                    <span class="return-path">{ Text::ReturnPath.get(lang) }
                        <span data-testid="reach-return-path">{ named(&answer.return_path) }</span></span>
                }) }
                { for decider }
                <p class="reason">{ answer.reason.clone() }</p>
            </div>
        }
    });

    let flows_list = html! {
        <ul class="flows">
            { for flows.iter().map(|(id, answer)| {
                let link = design.link(id);
                let label = link.map(|l| format!("{} → {}", l.from, l.to)).unwrap_or_default();
                let dispatch = props.dispatch.clone();
                let select = id.clone();
                let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Select(vec![select.clone()])));
                html! {
                    <li data-flow-id={id.clone()} data-verdict={verdict_word(answer.verdict)}>
                        <button class="link-button" {onclick}>{ format!("{id}: {label}") }</button>
                        <span class={classes!("badge", verdict_word(answer.verdict))}>{ verdict_text(answer.verdict, lang) }</span>
                        { for answer.denied_by.as_ref().map(|d| html! { <span class="muted">{ Text::DeniedBy.fill(lang, &[("element", &d.element), ("rule", &d.rule)]) }</span> }) }
                    </li>
                }
            }) }
            { for flows.is_empty().then(|| html! { <li class="muted">{ Text::NoFlows.get(lang) }</li> }) }
        </ul>
    };

    let matrix_view = {
        let port_input = {
            let matrix_port = matrix_port.clone();
            Callback::from(move |event: Event| matrix_port.set(input_value(&event).trim().parse().ok()))
        };
        let cells = grid.by_pair();
        html! {
            <div class="matrix">
                <label class="reach-field"><span>{ Text::MatrixPort.get(lang) }</span>
                    <input type="text" data-reach="matrix-port" value={matrix_port.map(|p| p.to_string()).unwrap_or_default()} onchange={port_input} />
                </label>
                <table data-testid="reach-matrix">
                    <tr><th>{ Text::FromTo.get(lang) }</th>{ for grid.endpoints.iter().map(|e| html! { <th scope="col">{ labels.get(e) }</th> }) }</tr>
                    { for grid.endpoints.iter().map(|from| html! {
                        <tr>
                            <th scope="row">{ labels.get(from) }</th>
                            { for grid.endpoints.iter().map(|to| match cells.get(&(from.as_str(), to.as_str())) {
                                // An endpoint to itself is no question of the network's.
                                _ if from == to => html! { <td class="self" data-from={from.clone()} data-to={to.clone()}>{ "—" }</td> },
                                Some(cell) => html! {
                                    <td class={verdict_word(cell.answer.verdict)} data-from={from.clone()} data-to={to.clone()}
                                        data-verdict={verdict_word(cell.answer.verdict)} title={cell.answer.reason.clone()}>
                                        { if cell.answer.verdict == Verdict::Allow { "✓" } else { "✗" } }
                                    </td>
                                },
                                None => html! { <td class="none">{ "·" }</td> },
                            }) }
                        </tr>
                    }) }
                </table>
                <p class="matrix-legend muted" data-testid="matrix-legend">{ Text::MatrixLegend.get(lang) }</p>
            </div>
        }
    };

    // One element selected: a VM's effective rules, a subnet's effective routes.
    let single = props.selection.iter().next().filter(|_| props.selection.len() == 1);
    let selected_vm = single.and_then(|id| reach::effective_rules(design, id).ok().map(|rules| (id.clone(), rules)));
    let effective = selected_vm.map(|(id, rules)| html! {
        <div class="effective-rules" data-testid="effective-rules">
            <h3>{ Text::EffectiveRulesOf.fill(lang, &[("id", &id)]) }</h3>
            <table>
                <tr>{ for [Text::Direction, Text::Nsg, Text::Priority, Text::Name, Text::Access, Text::Source, Text::Destination, Text::Ports]
                    .into_iter().map(|t| html! { <th>{ t.get(lang) }</th> }) }</tr>
                { for rules.iter().map(|r| html! {
                    <tr class={classes!(r.default.then_some("default"))}>
                        <td>{ match r.direction { Direction::Inbound => Text::Inbound.get(lang), Direction::Outbound => Text::Outbound.get(lang) } }</td><td>{ format!("{} ({})", r.nsg, r.scope) }</td>
                        <td>{ r.priority }</td><td>{ r.name.clone() }</td>
                        <td>{ match r.access { Access::Allow => Text::Allow.get(lang), Access::Deny => Text::Deny.get(lang) } }</td>
                        <td title={r.expanded_source.join(", ")}>{ r.source.clone() }</td>
                        <td title={r.expanded_destination.join(", ")}>{ r.destination.clone() }</td>
                        <td>{ r.destination_ports.clone() }</td>
                    </tr>
                }) }
            </table>
        </div>
    });

    let selected_subnet =
        single.and_then(|id| reach::effective_routes(design, id).ok().map(|routes| (id.clone(), routes)));
    let routes = selected_subnet.map(|(id, routes)| html! {
        <div class="effective-rules" data-testid="effective-routes">
            <h3>{ Text::EffectiveRoutesOf.fill(lang, &[("id", &id)]) }</h3>
            <table>
                <tr>{ for [Text::Prefix, Text::NextHop, Text::Source, Text::RouteState]
                    .into_iter().map(|t| html! { <th>{ t.get(lang) }</th> }) }</tr>
                { for routes.iter().map(|r| {
                    let invalid = r.state == "Invalid";
                    let hop = match &r.next_hop_element {
                        Some(element) => format!("{} ({element})", r.next_hop_type),
                        None => r.next_hop_type.clone(),
                    };
                    html! {
                        <tr class={classes!(invalid.then_some("default"))} data-prefix={r.prefix.clone()} data-state={r.state.clone()}>
                            <td>{ r.prefix.clone() }</td><td>{ hop }</td><td>{ r.source.clone() }</td>
                            <td>{ if invalid { Text::RouteInvalid.get(lang) } else { Text::RouteActive.get(lang) } }</td>
                        </tr>
                    }
                }) }
            </table>
        </div>
    });

    html! {
        <div class="reach-panel" data-testid="reachability">
            <div class="reach-query">
                { endpoint_select("from", Text::From, &query.from, set(|q, v| q.from = v)) }
                { endpoint_select("to", Text::To, &query.to, set(|q, v| q.to = v)) }
                <label class="reach-field"><span>{ Text::Protocol.get(lang) }</span>
                    <select data-reach="protocol" onchange={protocol_change}>
                        { for ["tcp", "udp", "icmp", "any"].into_iter().map(|p| html! { <option value={p} selected={protocol_name == p}>{ if p == "any" { Text::AnyProtocol.get(lang) } else { p } }</option> }) }
                    </select>
                </label>
                <label class="reach-field"><span>{ Text::PortAny.get(lang) }</span>
                    <input type="text" data-reach="port" value={query.port.map(|p| p.to_string()).unwrap_or_default()} onchange={port_change} />
                </label>
                { for verdict }
            </div>
            <div class="reach-columns">
                <section><h3>{ Text::DeclaredFlows.get(lang) }</h3>{ flows_list }</section>
                <section><h3>{ Text::Matrix.get(lang) }</h3>{ matrix_view }</section>
                { for effective }
                { for routes }
            </div>
        </div>
    }
}
