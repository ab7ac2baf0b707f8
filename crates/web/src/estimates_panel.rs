//! The estimates panel: cost per element and month (with the price book's sources and
//! dates, unknown prices listed), availability per tier and composite, isolation per tier
//! and what it costs. Everything comes from `moat_model::estimate`.

use std::rc::Rc;

use moat_model::Design;
use moat_model::availability::show;
use moat_model::cost::PriceBook;
use moat_model::estimate::estimate;
use moat_model::isolation::ComputeIsolation;
use yew::prelude::*;

#[derive(Properties)]
pub struct EstimatesPanelProps {
    pub design: Rc<Design>,
    pub book: Rc<PriceBook>,
    /// The names of imported price files, newest last.
    pub imported: Vec<String>,
    /// Opens the file picker for an Azure Retail Prices export.
    pub on_import: Callback<MouseEvent>,
    pub dispatch: Callback<crate::state::Action>,
}

impl PartialEq for EstimatesPanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.design, &other.design)
            && Rc::ptr_eq(&self.book, &other.book)
            && self.imported == other.imported
    }
}

fn money(value: f64) -> String {
    format!("{value:.2}")
}

/// The biggest costs as bars: where the money goes, at a glance.
fn cost_chart(cost: &moat_model::cost::CostEstimate) -> Html {
    let mut by_element: Vec<(String, f64)> = Vec::new();
    for item in &cost.items {
        let Some(monthly) = item.monthly else { continue };
        match by_element.iter_mut().find(|(e, _)| *e == item.element) {
            Some(entry) => entry.1 += monthly,
            None => by_element.push((item.element.clone(), monthly)),
        }
    }
    by_element.sort_by(|a, b| b.1.total_cmp(&a.1));
    by_element.truncate(8);
    let largest = by_element.first().map_or(1.0, |(_, m)| m.max(1.0));
    let row = 18.0;
    html! {
        <svg class="cost-chart" data-testid="cost-chart" width="360" height={(by_element.len() as f64 * row + 4.0).to_string()}
             role="img" aria-label="Monthly cost by element">
            { for by_element.iter().enumerate().map(|(i, (element, monthly))| {
                let y = i as f64 * row;
                let width = 200.0 * monthly / largest;
                html! { <g>
                    <text x="0" y={(y + 12.0).to_string()} class="bar-label">{ element.clone() }</text>
                    <rect x="90" y={(y + 3.0).to_string()} width={width.to_string()} height="12" rx="2" class="bar" />
                    <text x={(95.0 + width).to_string()} y={(y + 12.0).to_string()} class="bar-value">{ money(*monthly) }</text>
                </g> }
            }) }
        </svg>
    }
}

#[function_component(EstimatesPanel)]
pub fn estimates_panel(props: &EstimatesPanelProps) -> Html {
    let result = use_memo((props.design.clone(), Rc::as_ptr(&props.book) as usize), {
        let book = props.book.clone();
        move |(design, _)| estimate(design, &book)
    });
    let cost = &result.cost;
    let availability = &result.availability;
    let isolation = &result.isolation;
    html! {
        <div class="estimates-panel" data-testid="estimates">
            <section class="estimate-cost">
                <h3>{ "Cost per month (730 h)" }</h3>
                <p>
                    <strong data-testid="cost-total">{ format!("{} {}", money(cost.monthly_total), cost.currency) }</strong>
                    { " pay-as-you-go · " }
                    <span data-testid="cost-savings-plan">{ format!("{} with a savings plan", money(cost.savings_plan_total)) }</span>
                    <button class="import" data-action="import-prices" onclick={props.on_import.clone()}>{ "Import prices…" }</button>
                </p>
                { for (!props.imported.is_empty()).then(|| html! {
                    <p class="muted" data-testid="imported-prices">{ format!("Imported: {}", props.imported.join(", ")) }</p>
                }) }
                <table>
                    <tr><th>{ "Element" }</th><th>{ "What" }</th><th>{ "PAYG" }</th><th>{ "Savings plan" }</th><th>{ "Source" }</th></tr>
                    { for cost.items.iter().map(|item| html! {
                        <tr data-cost-element={item.element.clone()} class={classes!(item.monthly.is_none().then_some("unknown"))}>
                            <td>{ item.element.clone() }</td><td>{ item.what.clone() }</td>
                            <td class="num">{
                                match item.monthly {
                                    Some(monthly) => html! { money(monthly) },
                                    None => {
                                        let (dispatch, element) = (props.dispatch.clone(), item.element.clone());
                                        let onchange = Callback::from(move |event: Event| {
                                            let text = event.target()
                                                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
                                                .map(|i| i.value())
                                                .unwrap_or_default();
                                            let monthly = text.trim().parse::<f64>().ok();
                                            dispatch.emit(crate::state::Action::SetPrice { element: element.clone(), monthly });
                                        });
                                        html! { <input class="price-entry" type="text" placeholder="unknown: enter / month"
                                                       data-field={format!("price.{}", item.element)} {onchange} /> }
                                    }
                                }
                            }</td>
                            <td class="num">{ item.savings_plan_monthly.map(money).unwrap_or_default() }</td>
                            <td class="muted">{ item.source.clone() }</td>
                        </tr>
                    }) }
                </table>
                { cost_chart(cost) }
                { for (!cost.unpriced.is_empty()).then(|| html! {
                    <p data-testid="unpriced">{ format!("Unknown prices (listed, not counted): {}", cost.unpriced.join(", ")) }</p>
                }) }
                <details><summary>{ "Usage-based charges, not estimated" }</summary>
                    <ul>{ for cost.usage_based.iter().map(|u| html! { <li>{ u.clone() }</li> }) }</ul>
                </details>
            </section>
            <section class="estimate-availability">
                <h3>{ "Availability" }</h3>
                <p>
                    <strong data-testid="availability-composite">{ format!("{}%", show(availability.composite)) }</strong>
                    { format!(" composite · {} minutes of downtime a month · target {}%", availability.downtime_minutes_per_month, show(availability.target)) }
                    <span class={classes!("badge", if availability.meets_target { "allow" } else { "deny" })}>
                        { if availability.meets_target { "meets target" } else { "below target" } }
                    </span>
                </p>
                <table>
                    <tr><th>{ "Tier" }</th><th>{ "SLA" }</th><th>{ "With front" }</th><th>{ "Basis" }</th></tr>
                    { for availability.tiers.iter().map(|(id, tier)| html! {
                        <tr data-availability-tier={id.clone()}>
                            <td>{ tier.name.clone() }</td><td class="num">{ format!("{}%", show(tier.sla)) }</td>
                            <td class="num">{ format!("{}%", show(tier.with_front)) }</td><td>{ tier.basis.clone() }</td>
                        </tr>
                    }) }
                </table>
            </section>
            <section class="estimate-isolation">
                <h3>{ "Isolation" }</h3>
                <table>
                    <tr><th>{ "Tier" }</th><th>{ "Compute" }</th><th>{ "Segmentation" }</th><th>{ "Exposure" }</th></tr>
                    { for isolation.tiers.iter().map(|(id, tier)| {
                        let compute = match tier.compute {
                            ComputeIsolation::Shared => "shared hardware",
                            ComputeIsolation::IsolatedSize => "isolated VM size",
                            ComputeIsolation::DedicatedHost => "dedicated host",
                        };
                        let segmentation: Vec<&str> = [
                            (tier.own_subnet, "own subnet"), (tier.asg, "ASG"), (tier.forced_tunnelling, "forced tunnelling"), (tier.own_spoke, "own spoke"),
                        ].into_iter().filter(|(on, _)| *on).map(|(_, word)| word).collect();
                        let exposure: Vec<&str> = [
                            (tier.public_endpoint, "public endpoint"), (tier.side_channel_exposure, "DMZ on the same host"),
                        ].into_iter().filter(|(on, _)| *on).map(|(_, word)| word).collect();
                        html! {
                            <tr data-isolation-tier={id.clone()}>
                                <td>{ id.clone() }</td><td>{ compute }</td><td>{ segmentation.join(", ") }</td>
                                <td>{ if exposure.is_empty() { "none".to_owned() } else { exposure.join(", ") } }</td>
                            </tr>
                        }
                    }) }
                </table>
                <p data-testid="isolation-overhead">{ format!(
                    "Isolation costs {} a month over shared hardware ({} against {}){}.",
                    money(isolation.cost.overhead), money(isolation.cost.as_designed), money(isolation.cost.shared_hardware),
                    if isolation.cost.incomplete { "; some prices unknown" } else { "" }
                ) }</p>
                { for isolation.cost.consolidation.as_ref().map(|c| html! {
                    <p class="muted">{ format!(
                        "Consolidated on {} × {} (each needs {} vCPUs): {} a month. {}",
                        c.vms, c.size.as_deref().unwrap_or("no isolated size large enough"), c.vcpus_per_vm,
                        c.monthly.map_or_else(|| "unknown".to_owned(), money), c.note
                    ) }</p>
                }) }
            </section>
        </div>
    }
}
