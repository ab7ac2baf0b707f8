//! The estimates panel: cost per element and month (with the price book's sources and
//! dates, unknown prices listed), availability per tier and composite, isolation per tier
//! and what it costs. Everything comes from `moat_model::estimate`.

use crate::shared::Shared;

use moat_model::Design;
use moat_model::availability::show;
use moat_model::cost::{Imported, PriceBook, money};
use moat_model::design::Labels;
use moat_model::estimate::estimate;
use moat_model::isolation::ComputeIsolation;
use yew::prelude::*;

use crate::i18n::{Lang, Text, use_lang};

#[derive(Properties, PartialEq)]
pub struct EstimatesPanelProps {
    pub design: Shared<Design>,
    /// The price book, once it has been read.
    pub book: Option<Shared<PriceBook>>,
    /// Why the price book could not be read, if it could not.
    #[prop_or_default]
    pub book_unreadable: Option<AttrValue>,
    /// The imported price files, newest last, with what each import used.
    pub imported: Vec<(String, Imported)>,
    /// Opens the file picker for an Azure Retail Prices export.
    pub on_import: Callback<MouseEvent>,
    pub dispatch: Callback<crate::state::Action>,
}

/// Each imported file with how many of its prices are used and how many items it passed over.
fn imported_files(files: &[(String, Imported)], lang: Lang) -> String {
    let each = files.iter().map(|(name, imported)| {
        Text::ImportedFile.fill(lang, &[("name", name), ("used", &imported.used), ("ignored", &imported.ignored())])
    });
    each.collect::<Vec<_>>().join(", ")
}

/// The usage the usage-driven lines assume, each editable in place: empty takes the default.
fn usage_assumed(cost: &moat_model::cost::CostEstimate, lang: Lang, dispatch: &Callback<crate::state::Action>) -> Html {
    if cost.assumptions.is_empty() {
        return html! {};
    }
    html! {
        <table class="usage" data-testid="usage-assumed">
            <caption>{ Text::UsageAssumed.get(lang) }</caption>
            { for cost.assumptions.iter().map(|assumption| {
                let path = assumption.name.path();
                let dispatch = dispatch.clone();
                let onchange = Callback::from(move |event: Event| {
                    let text = event.target()
                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
                        .map(|i| i.value())
                        .unwrap_or_default();
                    let value = match moat_model::schema::parse_amount(&text) {
                        _ if text.trim().is_empty() => serde_json::Value::Null,
                        Some(figure) => serde_json::json!(figure),
                        None => serde_json::Value::String(text),
                    };
                    dispatch.emit(crate::state::Action::SetDesignField { path: path.to_owned(), value });
                });
                let label = assumption.name.label_in(lang);
                html! {
                    <tr data-assumption={path}>
                        <td>{ label }</td>
                        <td><input class="usage-entry" type="text" inputmode="decimal" aria-label={label} data-field={path}
                                   value={assumption.value.to_string()} {onchange} /></td>
                        <td class="muted">{ if assumption.set { Text::SetByYou.get(lang).to_owned() } else { Text::DefaultIs.fill(lang, &[("value", &assumption.default)]) } }</td>
                    </tr>
                }
            }) }
        </table>
    }
}

/// The biggest costs as bars: where the money goes, at a glance.
fn cost_chart(cost: &moat_model::cost::CostEstimate, labels: &Labels, lang: Lang) -> Html {
    let mut by_element: Vec<(String, f64)> = Vec::new();
    for item in &cost.items {
        let Some(monthly) = item.monthly else { continue };
        match by_element.iter_mut().find(|(e, _)| *e == item.element) {
            Some(entry) => entry.1 += monthly,
            None => by_element.push((item.element.clone(), monthly)),
        }
    }
    moat_model::sorting::sort_by(&mut by_element, |a, b| b.1.total_cmp(&a.1));
    by_element.truncate(8);
    let largest = by_element.first().map_or(1.0, |(_, m)| m.max(1.0));
    let row = 18.0;
    html! {
        <svg class="cost-chart" data-testid="cost-chart" width="360" height={(by_element.len() as f64 * row + 4.0).to_string()}
             role="img" aria-label={Text::CostChart.get(lang)}>
            { for by_element.iter().enumerate().map(|(i, (element, monthly))| {
                let y = i as f64 * row;
                let width = 200.0 * monthly / largest;
                html! { <g>
                    <text x="0" y={(y + 12.0).to_string()} class="bar-label">{ labels.get(element) }</text>
                    <rect x="90" y={(y + 3.0).to_string()} width={width.to_string()} height="12" rx="2" class="bar" />
                    <text x={(95.0 + width).to_string()} y={(y + 12.0).to_string()} class="bar-value">{ money(*monthly) }</text>
                </g> }
            }) }
        </svg>
    }
}

#[function_component(EstimatesPanel)]
pub fn estimates_panel(props: &EstimatesPanelProps) -> Html {
    let lang = use_lang();
    match &props.book {
        Some(book) => {
            html! { <Estimates design={props.design.clone()} book={book.clone()} imported={props.imported.clone()}
            on_import={props.on_import.clone()} dispatch={props.dispatch.clone()} /> }
        }
        None => {
            let state = match &props.book_unreadable {
                Some(message) => {
                    html! { <p class="error" role="alert" data-testid="prices-unreadable">{ message.clone() }</p> }
                }
                None => html! { <p class="muted">{ Text::PricesLoading.get(lang) }</p> },
            };
            html! { <div class="estimates-panel" data-testid="estimates">{ state }</div> }
        }
    }
}

#[derive(Properties, PartialEq)]
struct EstimatesProps {
    design: Shared<Design>,
    book: Shared<PriceBook>,
    imported: Vec<(String, Imported)>,
    on_import: Callback<MouseEvent>,
    dispatch: Callback<crate::state::Action>,
}

#[function_component(Estimates)]
fn estimates(props: &EstimatesProps) -> Html {
    let lang = use_lang();
    let result = use_memo((props.design.clone(), props.book.clone()), |(design, book)| estimate(design, book));
    let labels = use_memo(props.design.clone(), |design| Labels::of(design));
    let cost = &result.cost;
    let availability = &result.availability;
    let isolation = &result.isolation;
    // While a line is unpriced the total is a lower bound, and says so.
    let total = format!("{} {}", money(cost.monthly_total), cost.currency);
    let total = if cost.complete { total } else { Text::AtLeast.fill(lang, &[("amount", &total)]) };
    html! {
        <div class="estimates-panel" data-testid="estimates">
            <section class="estimate-cost">
                <h3>{ Text::CostHeading.get(lang) }</h3>
                <p>
                    <strong data-testid="cost-total">{ total }</strong>
                    { Text::PayAsYouGo.get(lang) }
                    <span data-testid="cost-savings-plan">{ Text::WithSavingsPlan.fill(lang, &[("amount", &money(cost.savings_plan_total))]) }</span>
                    if !cost.complete {
                        <span class="unpriced" data-testid="cost-unpriced">{ Text::LinesUnpriced.fill(lang, &[("n", &cost.unpriced_lines)]) }</span>
                    }
                    <button class="import" data-action="import-prices" onclick={props.on_import.clone()}>{ Text::ImportPrices.get(lang) }</button>
                </p>
                { for (!props.imported.is_empty()).then(|| html! {
                    <p class="muted" data-testid="imported-prices">{ Text::Imported.fill(lang, &[("files", &imported_files(&props.imported, lang))]) }</p>
                }) }
                <table>
                    <tr>{ for [Text::Element, Text::What, Text::Payg, Text::SavingsPlan, Text::PriceSource].into_iter().map(|t| html! { <th>{ t.get(lang) }</th> }) }</tr>
                    { for cost.items.iter().map(|item| html! {
                        <tr data-cost-element={item.element.clone()} class={classes!(item.monthly.is_none().then_some("unknown"))}>
                            <td>{ labels.get(&item.element) }</td><td>{ item.what.clone() }</td>
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
                                            let monthly = moat_model::schema::parse_amount(&text);
                                            dispatch.emit(crate::state::Action::SetPrice { element: element.clone(), monthly });
                                        });
                                        html! { <input class="price-entry" type="text" placeholder={Text::EnterPrice.get(lang)} aria-label={Text::EnterPrice.get(lang)}
                                                       data-field={format!("price.{}", item.element)} {onchange} /> }
                                    }
                                }
                            }</td>
                            <td class="num">{ item.savings_plan_monthly.map(money).unwrap_or_default() }</td>
                            <td class="muted">{ item.source.clone() }</td>
                        </tr>
                    }) }
                </table>
                { usage_assumed(cost, lang, &props.dispatch) }
                { cost_chart(cost, &labels, lang) }
                { for (!cost.unpriced.is_empty()).then(|| html! {
                    <p data-testid="unpriced">{ Text::Unpriced.fill(lang, &[("elements", &cost.unpriced.join(", "))]) }</p>
                }) }
                <details><summary>{ Text::UsageBased.get(lang) }</summary>
                    <ul>{ for cost.usage_based.iter().map(|u| html! { <li>{ u.clone() }</li> }) }</ul>
                </details>
            </section>
            <section class="estimate-availability">
                <h3>{ Text::AvailabilityHeading.get(lang) }</h3>
                <p>
                    <strong data-testid="availability-composite">{ format!("{}%", show(availability.composite)) }</strong>
                    { Text::Composite.fill(lang, &[("minutes", &availability.downtime_minutes_per_month), ("target", &show(availability.target))]) }
                    <span class={classes!("badge", if availability.meets_target { "allow" } else { "deny" })}>
                        { if availability.meets_target { Text::MeetsTarget.get(lang) } else { Text::BelowTarget.get(lang) } }
                    </span>
                </p>
                <table>
                    <tr>{ for [Text::Tier, Text::Sla, Text::WithFront, Text::Basis].into_iter().map(|t| html! { <th>{ t.get(lang) }</th> }) }</tr>
                    { for availability.tiers.iter().map(|(id, tier)| html! {
                        <tr data-availability-tier={id.clone()}>
                            <td>{ tier.name.clone() }</td><td class="num">{ format!("{}%", show(tier.sla)) }</td>
                            <td class="num">{ format!("{}%", show(tier.with_front)) }</td><td>{ tier.basis.clone() }</td>
                        </tr>
                    }) }
                </table>
            </section>
            <section class="estimate-isolation">
                <h3>{ Text::IsolationHeading.get(lang) }</h3>
                <table>
                    <tr>{ for [Text::Tier, Text::Compute, Text::Segmentation, Text::Exposure].into_iter().map(|t| html! { <th>{ t.get(lang) }</th> }) }</tr>
                    { for isolation.tiers.iter().map(|(id, tier)| {
                        let compute = match tier.compute {
                            ComputeIsolation::Shared => Text::SharedHardware.get(lang),
                            ComputeIsolation::IsolatedSize => Text::IsolatedSize.get(lang),
                            ComputeIsolation::DedicatedHost => Text::DedicatedHost.get(lang),
                        };
                        let segmentation: Vec<&str> = [
                            (tier.own_subnet, Text::OwnSubnet), (tier.asg, Text::AsgUsed), (tier.forced_tunnelling, Text::ForcedTunnelling), (tier.own_spoke, Text::OwnSpoke),
                        ].into_iter().filter(|(on, _)| *on).map(|(_, word)| word.get(lang)).collect();
                        let exposure: Vec<&str> = [
                            (tier.public_endpoint, Text::PublicEndpoint), (tier.side_channel_exposure, Text::SameHostAsDmz),
                        ].into_iter().filter(|(on, _)| *on).map(|(_, word)| word.get(lang)).collect();
                        html! {
                            <tr data-isolation-tier={id.clone()}>
                                <td>{ labels.get(id) }</td><td>{ compute }</td><td>{ segmentation.join(", ") }</td>
                                <td>{ if exposure.is_empty() { Text::NoExposure.get(lang).to_owned() } else { exposure.join(", ") } }</td>
                            </tr>
                        }
                    }) }
                </table>
                <p data-testid="isolation-overhead">{ Text::IsolationCost.fill(lang, &[
                    ("overhead", &money(isolation.cost.overhead)),
                    ("designed", &money(isolation.cost.as_designed)),
                    ("shared", &money(isolation.cost.shared_hardware)),
                    ("incomplete", &if isolation.cost.incomplete { Text::SomeUnknown.get(lang) } else { "" }),
                ]) }</p>
                { for isolation.cost.consolidation.as_ref().map(|c| html! {
                    <p class="muted">{ Text::Consolidated.fill(lang, &[
                        ("vms", &c.vms),
                        ("size", &c.size.as_deref().unwrap_or(Text::NoIsolatedSize.get(lang))),
                        ("vcpus", &c.vcpus_per_vm),
                        ("monthly", &c.monthly.map_or_else(|| Text::Unknown.get(lang).to_owned(), money)),
                        ("note", &c.note),
                    ]) }</p>
                }) }
            </section>
        </div>
    }
}
