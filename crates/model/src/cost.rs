//! Cost per element and month (730 hours) from a price book (SPEC §6). The default book
//! is built from real Azure retail prices (`assets/prices/`); a user's Azure Retail Prices
//! API export overrides it. A price that is not known is listed as unknown, never counted
//! as 0.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::design::{DefenderPlan, Design, Index};
use crate::element::{Element, ElementProps, Os};
use crate::link::LinkProps;

/// Hours in the month of every estimate.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// One line of the estimate.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostItem {
    /// The element (or link, or `design`) the cost belongs to.
    pub element: String,
    pub what: String,
    /// Pay-as-you-go per month; `None` when the price is not known.
    pub monthly: Option<f64>,
    /// With a compute savings plan, where the price book has one.
    pub savings_plan_monthly: Option<f64>,
    /// Where the price comes from, with its date.
    pub source: String,
}

/// The cost of a design.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostEstimate {
    pub currency: String,
    /// The sum of the known monthly prices.
    pub monthly_total: f64,
    /// The same with savings-plan prices where they are known (pay-as-you-go elsewhere).
    pub savings_plan_total: f64,
    pub items: Vec<CostItem>,
    /// Elements or links with a price that is not known.
    pub unpriced: Vec<String>,
    /// Whether every line is priced; when not, the totals are lower bounds.
    pub complete: bool,
    /// How many lines have no price.
    pub unpriced_lines: usize,
    /// Charges that depend on usage and are not estimated.
    pub usage_based: Vec<String>,
    /// The known monthly cost of each VM tier (compute, disks, backup, public IPs).
    pub tiers: BTreeMap<String, f64>,
    /// The usage assumptions the usage-driven lines took, in the order of [`Assumption::ALL`].
    pub assumptions: Vec<AssumptionUsed>,
}

/// A figure of use the estimate needs and Azure cannot know at design time: how much data a
/// firewall processes, how many operations a vault serves. Each has a stated default; the
/// authors set their own in the design's `usage` (or `governance.logGbPerDay`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Assumption {
    LogGbPerDay,
    LogRetentionDays,
    FirewallGbPerMonth,
    FirewallCapacityUnits,
    AppGatewayCapacityUnits,
    LoadBalancerGbPerMonth,
    PeeringGbPerMonth,
    KeyVaultOperationsPerMonth,
    BackupStoragePercent,
}

/// One assumption as the estimate used it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssumptionUsed {
    pub name: Assumption,
    /// The figure the lines were priced with.
    pub value: f64,
    /// The stated default, taken when the design does not set one.
    pub default: f64,
    /// Whether the design sets the figure.
    pub set: bool,
}

impl AssumptionUsed {
    /// For people, in English: "Data each firewall processes a month (GB): 1,000 (the stated
    /// default; set usage.firewallGbPerMonth)".
    pub fn text(&self) -> String {
        let label = self.name.label_in(crate::rules::i18n::Lang::En);
        let whence = if self.set {
            "set in the design".to_owned()
        } else {
            format!("the stated default; set {}", self.name.path())
        };
        format!("{label}: {} ({whence})", number(self.value))
    }
}

impl Assumption {
    pub const ALL: [Assumption; 9] = [
        Assumption::LogGbPerDay,
        Assumption::LogRetentionDays,
        Assumption::FirewallGbPerMonth,
        Assumption::FirewallCapacityUnits,
        Assumption::AppGatewayCapacityUnits,
        Assumption::LoadBalancerGbPerMonth,
        Assumption::PeeringGbPerMonth,
        Assumption::KeyVaultOperationsPerMonth,
        Assumption::BackupStoragePercent,
    ];

    /// The field of the design that holds it (`usage.firewallGbPerMonth`).
    pub fn path(self) -> &'static str {
        match self {
            Assumption::LogGbPerDay => "governance.logGbPerDay",
            Assumption::LogRetentionDays => "usage.logRetentionDays",
            Assumption::FirewallGbPerMonth => "usage.firewallGbPerMonth",
            Assumption::FirewallCapacityUnits => "usage.firewallCapacityUnits",
            Assumption::AppGatewayCapacityUnits => "usage.appGatewayCapacityUnits",
            Assumption::LoadBalancerGbPerMonth => "usage.loadBalancerGbPerMonth",
            Assumption::PeeringGbPerMonth => "usage.peeringGbPerMonth",
            Assumption::KeyVaultOperationsPerMonth => "usage.keyVaultOperationsPerMonth",
            Assumption::BackupStoragePercent => "usage.backupStoragePercent",
        }
    }

    /// The stated default: a small workload's figure, to be replaced by the authors' own.
    pub fn default_value(self) -> f64 {
        match self {
            Assumption::LogGbPerDay => 1.0,
            // Long enough to look back over a quarter, as incident reviews do.
            Assumption::LogRetentionDays => 90.0,
            Assumption::FirewallGbPerMonth => 1_000.0,
            // The deployment price covers the firewall's own scaling; extra units are prescaling.
            Assumption::FirewallCapacityUnits => 0.0,
            // One instance of an application gateway v2 is about 10 capacity units.
            Assumption::AppGatewayCapacityUnits => 10.0,
            Assumption::LoadBalancerGbPerMonth => 100.0,
            Assumption::PeeringGbPerMonth => 100.0,
            Assumption::KeyVaultOperationsPerMonth => 100_000.0,
            // One full copy of every disk backed up.
            Assumption::BackupStoragePercent => 100.0,
        }
    }

    /// The figure the design sets, if it sets one.
    pub fn set_in(self, design: &Design) -> Option<f64> {
        let set = match self.path().split_once('.') {
            Some(("usage", name)) => design.usage.get(name).and_then(Value::as_f64),
            _ => design.governance.log_gb_per_day,
        };
        set.filter(|value| value.is_finite() && *value >= 0.0)
    }

    /// The figure the estimate takes: the design's, else the default.
    pub fn value_in(self, design: &Design) -> f64 {
        self.set_in(design).unwrap_or_else(|| self.default_value())
    }

    /// What it is, with its unit, in `lang`.
    pub fn label_in(self, lang: crate::rules::i18n::Lang) -> &'static str {
        let (en, ja) = match self {
            Assumption::LogGbPerDay => ("Log data a day (GB)", "1 日あたりのログ量 (GB)"),
            Assumption::LogRetentionDays => ("Log retention (days)", "ログの保持期間 (日)"),
            Assumption::FirewallGbPerMonth => {
                ("Data each firewall processes a month (GB)", "ファイアウォールごとの月間処理データ量 (GB)")
            }
            Assumption::FirewallCapacityUnits => {
                ("Extra capacity units of each firewall", "ファイアウォールごとの追加の容量ユニット")
            }
            Assumption::AppGatewayCapacityUnits => (
                "Capacity units of each application gateway (average)",
                "Application Gateway ごとの容量ユニット (平均)",
            ),
            Assumption::LoadBalancerGbPerMonth => {
                ("Data each load balancer processes a month (GB)", "ロード バランサーごとの月間処理データ量 (GB)")
            }
            Assumption::PeeringGbPerMonth => {
                ("Data over each peering a month, each way (GB)", "ピアリングごとの月間転送量、片方向 (GB)")
            }
            Assumption::KeyVaultOperationsPerMonth => {
                ("Operations on each key vault a month", "キー コンテナーごとの月間操作数")
            }
            Assumption::BackupStoragePercent => {
                ("Backup storage (% of the disks backed up)", "バックアップ ストレージ (対象ディスクに対する %)")
            }
        };
        match lang {
            crate::rules::i18n::Lang::En => en,
            crate::rules::i18n::Lang::Ja => ja,
        }
    }
}

/// Prices by region and by service.
#[derive(Clone, Debug)]
pub struct PriceBook {
    regions: BTreeMap<String, RegionPrices>,
    services: Vec<ServicePrice>,
    usage_based: Vec<String>,
    currency: String,
}

#[derive(Clone, Debug, Default)]
struct RegionPrices {
    vms: BTreeMap<String, VmPrices>,
    hosts: BTreeMap<String, HourlyPrice>,
    disks: BTreeMap<String, f64>,
    source: String,
}

#[derive(Clone, Debug, Default)]
struct VmPrices {
    linux: Option<f64>,
    linux_savings_plan: Option<f64>,
    windows: Option<f64>,
    windows_savings_plan: Option<f64>,
}

#[derive(Clone, Debug, Default)]
struct HourlyPrice {
    hourly: f64,
    savings_plan: Option<f64>,
}

#[derive(Clone, Debug)]
struct ServicePrice {
    service: String,
    sku: String,
    price: f64,
    unit: String,
    region: String,
    source: String,
    date: String,
    /// A retail price of `region` (the book's `retail` list, or an imported export), shown as
    /// such in that region; an indicative one (`prices`) is shown as indicative everywhere.
    retail: bool,
    /// Where the price's tier starts, in units a month (the API's `tierMinimumUnits`): a
    /// tiered meter is one price per tier, all with the same service, SKU and region.
    from: f64,
}

const VM_AND_DISK: &str = include_str!("../../../assets/prices/vm-and-disk.json");

/// The VM prices of one region of the built-in book, which holds them by column (see
/// `cargo xtask pricebook`): one list per column, in the order of the book's `vmSizes`.
/// A size no column prices is not in the region.
fn vm_prices(sizes: &[&str], columns: &Value) -> BTreeMap<String, VmPrices> {
    let price = |column: &str, i: usize| columns[column][i].as_f64();
    let priced = sizes.iter().enumerate().map(|(i, size)| {
        let prices = VmPrices {
            linux: price("linux", i),
            linux_savings_plan: price("linuxSavingsPlan", i),
            windows: price("windows", i),
            windows_savings_plan: price("windowsSavingsPlan", i),
        };
        (size, prices)
    });
    crate::sorting::map_of(
        priced
            .filter(|(_, p)| p.linux.or(p.linux_savings_plan).or(p.windows).or(p.windows_savings_plan).is_some())
            .map(|(size, prices)| ((*size).to_owned(), prices)),
    )
}

/// The entries of a JSON object that `read` makes sense of, by name (the book's files are
/// read by hand: serde's derive compiled a deserializer per price type into the web app).
fn entries<T>(object: &Value, read: impl Fn(&Value) -> Option<T>) -> BTreeMap<String, T> {
    crate::sorting::map_of(
        object.as_object().into_iter().flatten().filter_map(|(key, value)| Some((key.clone(), read(value)?))),
    )
}

/// One price of `services.json`'s `retail` (`retail`) or `prices` list.
fn service_price(entry: &Value, retail: bool) -> Option<ServicePrice> {
    let text = |key: &str| entry[key].as_str().map(str::to_owned);
    Some(ServicePrice {
        service: text("service")?,
        sku: text("sku")?,
        price: entry["price"].as_f64()?,
        unit: text("unit")?,
        region: text("region")?,
        source: text("source")?,
        date: text("date")?,
        retail,
        from: entry["from"].as_f64().unwrap_or(0.0),
    })
}

const SERVICES: &str = include_str!("../../../assets/prices/services.json");

impl Default for PriceBook {
    fn default() -> Self {
        PriceBook::builtin()
    }
}

impl PriceBook {
    /// The built-in price book (tested, so reading it cannot fail in a release).
    pub fn builtin() -> PriceBook {
        PriceBook::from_files(VM_AND_DISK, SERVICES).expect("the built-in price book is valid JSON (tested)")
    }

    /// A book with no prices, in US dollars: every price asked of it is unknown.
    pub fn empty() -> PriceBook {
        PriceBook {
            regions: BTreeMap::new(),
            services: Vec::new(),
            usage_based: Vec::new(),
            currency: "USD".to_owned(),
        }
    }

    /// A price book from the texts of the built-in book's two files,
    /// `assets/prices/vm-and-disk.json` and `assets/prices/services.json`: how the web app
    /// reads them, as files of the site, when it first needs prices.
    pub fn from_files(vm_and_disk: &str, services: &str) -> Result<PriceBook, String> {
        let read = |name: &str, text: &str| -> Result<Value, String> {
            crate::tracked::parse(text).map_err(|e| format!("{name}: not valid JSON: {e}"))
        };
        let vm = read("vm-and-disk.json", vm_and_disk)?;
        let services = read("services.json", services)?;
        let sizes: Vec<&str> = vm["vmSizes"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let mut regions = BTreeMap::new();
        for (name, region) in vm["regions"].as_object().into_iter().flatten() {
            let source = format!(
                "Azure Retail Prices API, {name}, VMs {} / disks {}",
                region["asOf"]["vms"].as_str().unwrap_or("?"),
                region["asOf"]["disks"].as_str().unwrap_or("?")
            );
            regions.insert(
                name.clone(),
                RegionPrices {
                    vms: vm_prices(&sizes, &region["vms"]),
                    hosts: entries(&region["hosts"], |host| {
                        Some(HourlyPrice {
                            hourly: host["hourly"].as_f64()?,
                            savings_plan: host["savingsPlan"].as_f64(),
                        })
                    }),
                    disks: entries(&region["disks"], Value::as_f64),
                    source,
                },
            );
        }
        Ok(PriceBook {
            regions,
            // Retail prices first: in their own region they win over the indicative ones.
            services: (services["retail"].as_array().into_iter().flatten().filter_map(|e| service_price(e, true)))
                .chain(services["prices"].as_array().into_iter().flatten().filter_map(|e| service_price(e, false)))
                .collect(),
            usage_based: services["usageBased"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            currency: vm["currency"].as_str().unwrap_or("USD").to_owned(),
        })
    }

    /// The regions with VM prices.
    pub fn regions(&self) -> impl Iterator<Item = &str> {
        self.regions.keys().map(String::as_str)
    }

    /// The currency of every price in the book.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// Adds the prices of an Azure Retail Prices API export named `name` (a page of the API:
    /// `{"Items": [...], "NextPageLink", "Count"}`, for any regions), overriding the book's.
    /// An export in another currency replaces the whole book, so currencies are never mixed.
    /// A malformed export changes nothing. Returns what it used and what it passed over.
    pub fn import(&mut self, name: &str, text: &str) -> Result<Imported, String> {
        let value = crate::tracked::parse(text).map_err(|e| format!("{name}: not valid JSON: {e}"))?;
        let items = value
            .get("Items")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{name}: not an Azure Retail Prices export (no \"Items\" list)"))?;
        let currency = value["BillingCurrency"]
            .as_str()
            .or_else(|| items.iter().find_map(|i| i["currencyCode"].as_str()))
            .unwrap_or(&self.currency)
            .to_owned();
        let mut next = if currency == self.currency {
            self.clone()
        } else {
            PriceBook {
                regions: BTreeMap::new(),
                services: Vec::new(),
                usage_based: self.usage_based.clone(),
                currency,
            }
        };
        let mut imported_services = Vec::new();
        let mut summary = Imported::default();
        let mut taken = 0;
        for item in items {
            let field = |key: &str| item[key].as_str().unwrap_or("");
            let Some(price) = item["retailPrice"].as_f64() else {
                summary.other += 1;
                continue;
            };
            let (region, product, sku, meter) =
                (field("armRegionName"), field("productName"), field("skuName"), field("meterName"));
            let kind = field("type");
            if region.is_empty()
                || !(kind.is_empty() || kind == "Consumption")
                || sku.ends_with(" Spot")
                || sku.ends_with(" Low Priority")
            {
                summary.not_pay_as_you_go += 1;
                continue;
            }
            let unit = field("unitOfMeasure");
            let tier = item["tierMinimumUnits"].as_f64().unwrap_or(0.0);
            let date = field("effectiveStartDate").get(..10).unwrap_or("");
            let source = format!(
                "imported from {name} ({region}{})",
                if date.is_empty() { String::new() } else { format!(", effective {date}") }
            );
            let service = field("serviceName");
            // VMs, hosts and disks are priced by the hour or the month, in a single tier.
            let monthly_factor = per_month(unit).filter(|_| tier == 0.0);
            if service == "Virtual Machines" && product.ends_with("DedicatedHost") && monthly_factor.is_some() {
                let hourly = price * monthly_factor.unwrap_or(0.0) / HOURS_PER_MONTH;
                let series = product.split(' ').next().unwrap_or("");
                let prices = next.regions.entry(region.to_owned()).or_default();
                prices.hosts.insert(format!("{series}-Type1"), HourlyPrice { hourly, savings_plan: None });
                prices.source = source;
            } else if service == "Virtual Machines" && monthly_factor.is_some() {
                let hourly = price * monthly_factor.unwrap_or(0.0) / HOURS_PER_MONTH;
                let size = match field("armSkuName") {
                    "" => format!("Standard_{}", sku.replace(' ', "_")),
                    arm => arm.to_owned(),
                };
                let prices = next.regions.entry(region.to_owned()).or_default();
                let entry = prices.vms.entry(size).or_default();
                if product.ends_with("Windows") {
                    entry.windows = Some(hourly);
                    entry.windows_savings_plan = None;
                } else {
                    entry.linux = Some(hourly);
                    entry.linux_savings_plan = None;
                }
                prices.source = source;
            } else if product.ends_with("Managed Disks") && meter.ends_with(" Disk") && monthly_factor.is_some() {
                let prices = next.regions.entry(region.to_owned()).or_default();
                prices.disks.insert(meter.trim_end_matches(" Disk").to_owned(), price * monthly_factor.unwrap_or(0.0));
                prices.source = source;
            } else if let Some((service, sku, kind)) = service_meter(service, product, sku, meter)
                && let Some(factor) = price_per_unit(kind, unit)
            {
                imported_services.push(ServicePrice {
                    service: service.to_owned(),
                    sku,
                    price: price * factor,
                    unit: kind.into(),
                    region: region.to_owned(),
                    source: source.clone(),
                    date: date.to_owned(),
                    retail: true,
                    from: tier,
                });
            } else {
                summary.not_used += 1;
                continue;
            }
            taken += 1;
        }
        summary.used = taken;
        if taken == 0 {
            return Err(format!(
                "{name}: no price the estimate uses (VMs, dedicated hosts, disks, gateways, firewall, Bastion)"
            ));
        }
        // An imported meter replaces the book's prices of the same service, SKU and region
        // (all its tiers), and comes first, so it wins over the indicative ones too.
        let same = |a: &ServicePrice, b: &ServicePrice| {
            a.service == b.service && a.sku.eq_ignore_ascii_case(&b.sku) && a.region.eq_ignore_ascii_case(&b.region)
        };
        let kept: Vec<ServicePrice> = (next.services.into_iter())
            .filter(|p| !(p.retail && imported_services.iter().any(|imported| same(imported, p))))
            .collect();
        imported_services.extend(kept);
        next.services = imported_services;
        *self = next;
        Ok(summary)
    }

    /// The pay-as-you-go hourly price of a VM size in a region.
    pub fn vm_hourly(&self, region: &str, size: &str, windows: bool) -> Option<f64> {
        let prices = self.regions.get(region)?.vms.get(size)?;
        if windows { prices.windows } else { prices.linux }
    }

    /// The retail price of a service's SKU in `region`, if the book has one.
    fn retail_service(&self, service: &str, sku: &str, region: Option<&str>) -> Option<&ServicePrice> {
        let region = region?;
        self.services.iter().find(|p| {
            p.retail && p.service == service && p.sku.eq_ignore_ascii_case(sku) && p.region.eq_ignore_ascii_case(region)
        })
    }

    /// The price of a service's SKU in `region`: its retail price there, else an indicative
    /// one of that region, else the first the book has; with how to show its source.
    fn service(&self, service: &str, sku: &str, region: Option<&str>) -> Option<(&ServicePrice, String)> {
        if let Some(retail) = self.retail_service(service, sku, region) {
            return Some((retail, retail.source.clone()));
        }
        let mut prices = self.services.iter().filter(|p| p.service == service && p.sku.eq_ignore_ascii_case(sku));
        let here = |p: &&ServicePrice| region.is_some_and(|r| p.region.eq_ignore_ascii_case(r));
        let indicative = prices.clone().find(here).or_else(|| prices.next())?;
        Some((indicative, format!("{} ({}, {}, indicative)", indicative.source, indicative.region, indicative.date)))
    }

    /// What `quantity` of a service's SKU costs a month in `region`, with its source (as
    /// [`PriceBook::service`] picks it). `quantity` counts instances for a price by the hour or
    /// the month, and units of use (GB, 10,000 operations) for the others. A tiered meter is
    /// charged tier by tier: the units past a tier's start at that tier's price.
    fn charge(&self, service: &str, sku: &str, quantity: f64, region: Option<&str>) -> Option<(f64, String)> {
        let (chosen, source) = self.service(service, sku, region)?;
        let units = if chosen.unit == "hour" { quantity * HOURS_PER_MONTH } else { quantity };
        let mut tiers: Vec<&ServicePrice> = self
            .services
            .iter()
            .filter(|p| {
                p.retail == chosen.retail
                    && p.service == chosen.service
                    && p.sku == chosen.sku
                    && p.region == chosen.region
            })
            .collect();
        crate::sorting::sort_by(&mut tiers, |a, b| a.from.total_cmp(&b.from));
        let mut monthly = 0.0;
        for (i, tier) in tiers.iter().enumerate() {
            let end = tiers.get(i + 1).map_or(f64::INFINITY, |next| next.from);
            monthly += (units.min(end) - tier.from).max(0.0) * tier.price;
        }
        Some((monthly, source))
    }
}

/// What the design costs per month with this price book.
pub fn estimate_cost(design: &Design, book: &PriceBook) -> CostEstimate {
    let index = design.index();
    let mut items = Vec::new();
    let mut unpriced = Vec::new();
    let mut listed = HashSet::new();
    let mut add = |element: &str, what: String, price: Option<(f64, Option<f64>, String)>| match price {
        Some((monthly, savings, source)) => items.push(CostItem {
            element: element.to_owned(),
            what,
            monthly: Some(round(monthly)),
            savings_plan_monthly: savings.map(round),
            source,
        }),
        None => {
            items.push(CostItem {
                element: element.to_owned(),
                what,
                monthly: None,
                savings_plan_monthly: None,
                source: "unknown".into(),
            });
            if listed.insert(element.to_owned()) {
                unpriced.push(element.to_owned());
            }
        }
    };
    let service = |service: &str, sku: &str, quantity: f64, region: Option<&str>| {
        book.charge(service, sku, quantity, region).map(|(monthly, source)| (monthly, None, source))
    };
    // The assumptions a line took, to list beside the estimate.
    let mut assumed = [false; Assumption::ALL.len()];
    let mut assume = |assumption: Assumption| {
        assumed[assumption as usize] = true;
        assumption.value_in(design)
    };
    let mut ddos_charged = false;
    // HSM-protected key-encryption keys: one per VM tier that encrypts with a vault.
    let mut keys_in: HashMap<&str, usize> = HashMap::new();
    for element in &design.elements {
        if let ElementProps::Vm(vm) = &element.props
            && vm.disk_encryption.enabled
            && vm.disk_encryption.kek != crate::element::Kek::None
            && let Some(vault) = &vm.disk_encryption.key_vault
        {
            *keys_in.entry(vault.as_str()).or_default() += 1;
        }
    }
    for element in &design.elements {
        let id = element.id.as_str();
        let region = region_location(&index, element);
        let prices = region.as_deref().and_then(|r| book.regions.get(r));
        match &element.props {
            ElementProps::Vm(vm) => {
                let count = f64::from(vm.count);
                let size = vm.size.clone().unwrap_or_default();
                if vm.host.is_some() {
                    // VMs on a dedicated host are not charged for compute: the host is.
                } else {
                    let price =
                        prices.and_then(|p| p.vms.get(&size).map(|v| (v, &p.source))).and_then(|(v, source)| {
                            let (payg, savings) = match vm.os {
                                Os::Linux => (v.linux, v.linux_savings_plan),
                                Os::Windows => (v.windows, v.windows_savings_plan),
                            };
                            payg.map(|p| {
                                (
                                    p * HOURS_PER_MONTH * count,
                                    savings.map(|s| s * HOURS_PER_MONTH * count),
                                    source.clone(),
                                )
                            })
                        });
                    let os = match vm.os {
                        Os::Linux => "Linux",
                        Os::Windows => "Windows",
                    };
                    add(id, format!("compute: {vm_count} × {size} ({os})", vm_count = vm.count), price);
                }
                let mut disks = vec![(vm.os_disk.clone(), 1.0)];
                disks.extend(vm.data_disks.iter().map(|d| (d.sku.clone(), f64::from(d.count))));
                for (sku, per_vm) in disks {
                    let meter = if sku.contains(' ') { sku.clone() } else { format!("{sku} LRS") };
                    let price =
                        prices.and_then(|p| p.disks.get(&meter).map(|d| (d * per_vm * count, None, p.source.clone())));
                    add(id, format!("disks: {} × {meter}", per_vm * count), price);
                }
                if vm.backup.is_some() {
                    let size_gb = disk_size_gb(&vm.os_disk)
                        + vm.data_disks.iter().map(|d| disk_size_gb(&d.sku) * f64::from(d.count)).sum::<f64>();
                    let units = backup_units(size_gb);
                    // The retail meter of the VM's own region only; elsewhere the indicative size bands.
                    if book.retail_service("backup", "protectedInstance", region.as_deref()).is_some() {
                        add(
                            id,
                            format!(
                                "backup: {} protected instances of {size_gb} GB ({units} {} each)",
                                vm.count,
                                if units > 1.0 { "units" } else { "unit" }
                            ),
                            service("backup", "protectedInstance", units * count, region.as_deref()),
                        );
                    } else {
                        let band = if size_gb <= 50.0 {
                            "under-50GB"
                        } else if size_gb <= 500.0 {
                            "50-500GB"
                        } else {
                            "over-500GB"
                        };
                        add(
                            id,
                            format!("backup: {} protected instances ({band})", vm.count),
                            service("backup", band, count, region.as_deref()),
                        );
                    }
                    // The vault's storage (geo-redundant, the vault's default) grows with the disks.
                    let stored = size_gb * count * assume(Assumption::BackupStoragePercent) / 100.0;
                    add(
                        id,
                        format!("backup storage: {} GB GRS", number(stored)),
                        service("backupStorage", "GRS", stored, region.as_deref()),
                    );
                }
                if vm.public_ip {
                    add(
                        id,
                        format!("public IP: {}", vm.count),
                        service("publicIp", "standard", count, region.as_deref()),
                    );
                }
            }
            ElementProps::DedicatedHost(host) => {
                let sku = host.sku.clone().unwrap_or_default();
                let count = f64::from(host.count);
                let price = prices.and_then(|p| {
                    p.hosts.iter().find(|(name, _)| name.eq_ignore_ascii_case(&sku)).map(|(_, h)| {
                        (
                            h.hourly * HOURS_PER_MONTH * count,
                            h.savings_plan.map(|s| s * HOURS_PER_MONTH * count),
                            p.source.clone(),
                        )
                    })
                });
                add(id, format!("dedicated host: {} × {sku}", host.count), price);
            }
            ElementProps::Firewall(firewall) => {
                let tier = serde_json::to_value(firewall.tier)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let region = region.as_deref();
                add(id, format!("Azure Firewall {tier}: deployment"), service("firewall", &tier, 1.0, region));
                if firewall.tier != crate::element::FirewallTier::Basic {
                    let units = assume(Assumption::FirewallCapacityUnits);
                    add(
                        id,
                        format!("Azure Firewall {tier}: {} extra capacity units", number(units)),
                        service("firewallCapacityUnit", &tier, units, region),
                    );
                }
                let gb = assume(Assumption::FirewallGbPerMonth);
                add(
                    id,
                    format!("Azure Firewall {tier}: data processed, {} GB a month", number(gb)),
                    service("firewallData", &tier, gb, region),
                );
            }
            ElementProps::VpnGateway(gateway) => {
                let region = region.as_deref();
                add(id, format!("VPN gateway {}", gateway.sku), service("vpnGateway", &gateway.sku, 1.0, region));
                // Site-to-site tunnels: the first ten are in the gateway's price.
                let tunnels = design
                    .links
                    .iter()
                    .filter(|l| {
                        l.kind() == crate::link::LinkKind::Vpn && (l.from.as_str() == id || l.to.as_str() == id)
                    })
                    .count();
                if tunnels > 0 {
                    let charged = tunnels.saturating_sub(INCLUDED_S2S_TUNNELS) as f64;
                    add(
                        id,
                        format!("VPN gateway {}: {tunnels} S2S tunnels ({INCLUDED_S2S_TUNNELS} included)", gateway.sku),
                        service("vpnS2sTunnel", &gateway.sku, charged, region),
                    );
                }
            }
            ElementProps::ExpressRouteGateway(gateway) => add(
                id,
                format!("ExpressRoute gateway {}", gateway.sku),
                service("expressRouteGateway", &gateway.sku, 1.0, region.as_deref()),
            ),
            ElementProps::Bastion(bastion) => {
                let sku = serde_json::to_value(bastion.sku)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                add(id, format!("Azure Bastion {sku}"), service("bastion", &sku, 1.0, region.as_deref()));
            }
            ElementProps::PrivateDnsZone(_) => {
                add(id, "private DNS zone".into(), service("privateDnsZone", "zone", 1.0, region.as_deref()))
            }
            ElementProps::Vnet(vnet) if vnet.ddos_protection && !ddos_charged => {
                // One DDoS Network Protection plan covers every VNet of the design.
                ddos_charged = true;
                add(
                    id,
                    "DDoS Network Protection plan".into(),
                    service("ddosProtection", "plan", 1.0, region.as_deref()),
                );
            }
            ElementProps::KeyVault(vault) if vault.sku == crate::element::KeyVaultSku::ManagedHsm => {
                add(id, "Managed HSM pool".into(), service("managedHsm", "Standard_B1", 1.0, region.as_deref()))
            }
            ElementProps::KeyVault(vault) => {
                let region = region.as_deref();
                // One HSM-protected key-encryption key per VM tier that encrypts with this vault.
                let keys = keys_in.get(id).copied().unwrap_or(0);
                if keys > 0 && vault.sku == crate::element::KeyVaultSku::Premium {
                    add(id, format!("HSM-protected keys: {keys}"), service("keyVault", "hsmKey", keys as f64, region));
                }
                let sku = if vault.sku == crate::element::KeyVaultSku::Premium { "premium" } else { "standard" };
                let operations = assume(Assumption::KeyVaultOperationsPerMonth);
                add(
                    id,
                    format!("key vault: {} operations a month", number(operations)),
                    service("keyVaultOperations", sku, operations / 10_000.0, region),
                );
            }
            ElementProps::LoadBalancer(balancer) => {
                let rules = balancer.ports.len().max(1);
                add(id, format!("load balancer: {rules} {}", if rules == 1 { "rule" } else { "rules" }), None);
                let gb = assume(Assumption::LoadBalancerGbPerMonth);
                add(
                    id,
                    format!("load balancer: data processed, {} GB a month", number(gb)),
                    service("loadBalancerData", "standard", gb, region.as_deref()),
                );
            }
            ElementProps::AppGateway(gateway) => {
                let (tier, sku) = if gateway.waf { ("WAF v2", "waf_v2") } else { ("Standard v2", "standard_v2") };
                let region = region.as_deref();
                add(id, format!("application gateway {tier}: fixed"), service("appGateway", sku, 1.0, region));
                let units = assume(Assumption::AppGatewayCapacityUnits);
                add(
                    id,
                    format!("application gateway {tier}: {} capacity units", number(units)),
                    service("appGatewayCapacityUnit", sku, units, region),
                );
            }
            ElementProps::Nva(nva) => {
                add(id, format!("network virtual appliance × {} (VMs and licences)", nva.count), None)
            }
            ElementProps::FrontDoor(_) => add(id, "Front Door base fee".into(), None),
            _ => {}
        }
        // The Standard public IP a firewall, a VPN gateway or Bastion needs, and a public
        // frontend's, is billed apart from the service.
        let public_ip = match &element.props {
            ElementProps::Firewall(_) | ElementProps::VpnGateway(_) | ElementProps::Bastion(_) => true,
            ElementProps::AppGateway(gateway) => gateway.public,
            ElementProps::LoadBalancer(balancer) => balancer.public,
            _ => false,
        };
        if public_ip {
            add(id, "public IP: 1".into(), service("publicIp", "standard", 1.0, region.as_deref()));
        }
    }
    for link in &design.links {
        match &link.props {
            LinkProps::ExpressRoute(circuit) => {
                let plan = serde_json::to_value(circuit.plan)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let premium = if circuit.premium { " premium" } else { "" };
                add(
                    link.id.as_str(),
                    format!("ExpressRoute circuit {} Mbps {plan}{premium}", number(f64::from(circuit.bandwidth_mbps))),
                    None,
                );
            }
            LinkProps::Peering(_) => {
                let regions = [&link.from, &link.to]
                    .map(|end| index.element(end.as_str()).and_then(|e| region_location(&index, e)));
                let [from, to] = &regions;
                let global = from.is_some() && to.is_some() && from != to;
                let gb = assume(Assumption::PeeringGbPerMonth);
                // Each way: the sending side pays egress and the receiving side ingress.
                let (what, out, into) = if global {
                    ("global peering", "globalEgress", "globalIngress")
                } else {
                    ("peering", "egress", "ingress")
                };
                let each_way = |meter: &str, region: &Option<String>| service("peering", meter, gb, region.as_deref());
                let price = [(out, from), (into, to), (out, to), (into, from)]
                    .into_iter()
                    .map(|(meter, region)| each_way(meter, region))
                    .try_fold((0.0, None, String::new()), |(sum, _, _), line| {
                        line.map(|(monthly, _, source)| (sum + monthly, None, source))
                    });
                add(link.id.as_str(), format!("{what}: {} GB a month each way", number(gb)), price);
            }
            _ => {}
        }
    }
    let servers: u32 = design
        .elements
        .iter()
        .filter_map(|e| match &e.props {
            ElementProps::Vm(vm) => Some(vm.count),
            _ => None,
        })
        .sum();
    // Defender for Servers is priced where the design's first region is.
    let first_region = design.elements.iter().find_map(|e| match &e.props {
        ElementProps::Region(region) => region.location.clone(),
        _ => None,
    });
    let plan = match design.governance.defender_for_servers {
        DefenderPlan::Off => None,
        DefenderPlan::P1 => Some("p1"),
        DefenderPlan::P2 => Some("p2"),
    };
    if let (Some(plan), true) = (plan, servers > 0) {
        add(
            "design",
            format!("Defender for Servers {} × {servers} servers", plan.to_ascii_uppercase()),
            service("defenderForServers", plan, f64::from(servers), first_region.as_deref()),
        );
    }
    if design.governance.monitor || design.governance.sentinel {
        let gb_per_day = assume(Assumption::LogGbPerDay);
        let gb_per_month = gb_per_day * HOURS_PER_MONTH / 24.0;
        let region = first_region.as_deref();
        add(
            "design",
            format!("Log Analytics ingestion: {} GB a day", number(gb_per_day)),
            service("logAnalytics", "ingestion", gb_per_month, region),
        );
        // Analytics logs are kept 31 days at no charge, 90 in a workspace with Sentinel.
        let free_days = if design.governance.sentinel { 90.0 } else { 31.0 };
        let days = assume(Assumption::LogRetentionDays);
        let retained = gb_per_day * (days - free_days).max(0.0);
        add(
            "design",
            format!(
                "Log Analytics retention: {} days, {} GB kept past the free {free_days} days",
                number(days),
                number(retained)
            ),
            service("logAnalytics", "retention", retained, region),
        );
        if design.governance.sentinel {
            add(
                "design",
                format!("Microsoft Sentinel analysis: {} GB a day", number(gb_per_day)),
                service("sentinel", "ingestion", gb_per_month, region),
            );
        }
    }
    // Prices the authors entered stand in for unknown ones.
    let mut unknown: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if item.monthly.is_none() {
            unknown.entry(item.element.as_str()).or_default().push(i);
        }
    }
    let mut filled: Vec<(usize, f64, String)> = Vec::new();
    let mut priced: HashSet<&str> = HashSet::new();
    for custom in &design.prices {
        // The first item of the element still unknown takes the price.
        let Some(list) = unknown.get_mut(custom.element.as_str()).filter(|l| !l.is_empty()) else { continue };
        let i = list.remove(0);
        let source = if custom.note.is_empty() {
            "entered by the authors".into()
        } else {
            format!("entered by the authors: {}", custom.note)
        };
        filled.push((i, round(custom.monthly), source));
        if list.is_empty() {
            priced.insert(custom.element.as_str());
        }
    }
    if !priced.is_empty() {
        unpriced.retain(|u| !priced.contains(u.as_str()));
    }
    for (i, monthly, source) in filled {
        items[i].monthly = Some(monthly);
        items[i].source = source;
    }
    let mut tiers = BTreeMap::new();
    for item in &items {
        if index.element(&item.element).is_some_and(|e| e.kind() == crate::element::ElementKind::Vm) {
            *tiers.entry(item.element.clone()).or_insert(0.0) += item.monthly.unwrap_or(0.0);
        }
    }
    let tiers = crate::sorting::map_of(tiers.into_iter().map(|(k, v)| (k, round(v))));
    let monthly_total = round(items.iter().filter_map(|i| i.monthly).sum());
    let savings_plan_total = round(items.iter().filter_map(|i| i.savings_plan_monthly.or(i.monthly)).sum());
    let unpriced_lines = items.iter().filter(|item| item.monthly.is_none()).count();
    CostEstimate {
        currency: book.currency.clone(),
        monthly_total,
        savings_plan_total,
        items,
        unpriced,
        complete: unpriced_lines == 0,
        unpriced_lines,
        usage_based: book.usage_based.clone(),
        tiers,
        assumptions: Assumption::ALL
            .into_iter()
            .filter(|a| assumed[*a as usize])
            .map(|name| AssumptionUsed {
                name,
                value: name.value_in(design),
                default: name.default_value(),
                set: name.set_in(design).is_some(),
            })
            .collect(),
    }
}

/// A figure of use as a line names it: grouped, with only the decimals it has ("1,000", "2.5").
fn number(value: f64) -> String {
    money(value).trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Site-to-site tunnels a VPN gateway's price includes (VpnGw1 to VpnGw5; Basic has ten at most).
const INCLUDED_S2S_TUNNELS: usize = 10;

/// How many of a unit make a month: `1 Hour` → 730, `1/Month` → 1, `100 Hours` → 7.3;
/// `None` for usage units (`1 GB`, `10K`, ...).
fn per_month(unit: &str) -> Option<f64> {
    let unit = unit.trim();
    let (count, rest) = match unit.split_once([' ', '/']) {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => (f64::from(n.parse::<u32>().ok()?), rest.trim()),
        _ => (1.0, unit),
    };
    match rest.to_ascii_lowercase().trim_end_matches('s') {
        "hour" => Some(HOURS_PER_MONTH / count),
        "month" => Some(1.0 / count),
        "day" => Some(HOURS_PER_MONTH / 24.0 / count),
        _ => None,
    }
}

/// What turns a Retail Prices item's price per `unit` (its `unitOfMeasure`: `1 Hour`,
/// `1/Month`, `1 GB`, `10K`, `1 GB/Month`, ...) into the book's price per unit of `kind`
/// (`hour`, `month`, `gb`, `10k`, `gbMonth`); `None` when the units do not match.
pub fn price_per_unit(kind: &str, unit: &str) -> Option<f64> {
    let unit = unit.trim();
    // Whole counts only: "100 GB". (Parsing an f64 here would add a float parser to the web app.)
    let (count, rest) = match unit.split_once(' ') {
        Some((n, rest)) if n.parse::<u32>().is_ok_and(|n| n > 0) => (f64::from(n.parse::<u32>().ok()?), rest.trim()),
        _ => (1.0, unit),
    };
    match kind {
        "hour" => per_month(unit).map(|per_month| per_month / HOURS_PER_MONTH),
        // A key's meter reads "1": one key for a month.
        "month" if unit == "1" => Some(1.0),
        "month" => per_month(unit),
        "gb" => rest.eq_ignore_ascii_case("GB").then_some(1.0 / count),
        "gbMonth" => rest.eq_ignore_ascii_case("GB/Month").then_some(1.0 / count),
        "10k" => unit.eq_ignore_ascii_case("10K").then_some(1.0),
        _ => None,
    }
}

/// The service, SKU and unit (`hour`, `month`, `gb`, `10k` or `gbMonth`) in the price book
/// of an Azure Retail Prices meter (its `serviceName`, `productName`, `skuName` and
/// `meterName`), for the meters the estimate prices; `None` for any other.
/// `cargo xtask pricebook` builds the book's retail list with it, and imports read exports
/// with it.
pub fn service_meter(
    service: &str,
    product: &str,
    sku: &str,
    meter: &str,
) -> Option<(&'static str, String, &'static str)> {
    let hourly = |service: &'static str, sku: String| Some((service, sku, "hour"));
    match (product, meter) {
        ("VPN Gateway", "Basic Gateway") => hourly("vpnGateway", "Basic".to_owned()),
        // The gateway's own meter is named as its SKU (S2S and P2S connections are not).
        ("VPN Gateway", _) if meter == sku && sku.starts_with("VpnGw") => hourly("vpnGateway", sku.to_owned()),
        ("ExpressRoute Gateway", _) if meter == format!("{sku} Gateway") => {
            hourly("expressRouteGateway", sku.to_owned())
        }
        ("ExpressRoute Standard Gateway", _) => hourly("expressRouteGateway", "Standard".to_owned()),
        ("ExpressRoute High Performance Gateway", _) => hourly("expressRouteGateway", "HighPerformance".to_owned()),
        ("ExpressRoute Ultra High Performance Gateway", _) => {
            hourly("expressRouteGateway", "UltraPerformance".to_owned())
        }
        ("VPN Gateway", "S2S Connection") => hourly("vpnS2sTunnel", sku.to_owned()),
        ("Azure Firewall", _) if ["Basic", "Standard", "Premium"].contains(&sku) => {
            match meter.strip_prefix(sku).map(str::trim) {
                Some("Deployment") => hourly("firewall", sku.to_ascii_lowercase()),
                Some("Capacity Unit") => hourly("firewallCapacityUnit", sku.to_ascii_lowercase()),
                Some("Data Processed") => Some(("firewallData", sku.to_ascii_lowercase(), "gb")),
                _ => None,
            }
        }
        ("Global Virtual Network Peering", "Inter-Region Egress") => Some(("peering", "globalEgress".to_owned(), "gb")),
        ("Global Virtual Network Peering", "Inter-Region Ingress") => {
            Some(("peering", "globalIngress".to_owned(), "gb"))
        }
        ("IP Addresses", "Standard IPv4 Static Public IP") => hourly("publicIp", "standard".to_owned()),
        // One protected instance's unit a month; `backup_units` says how many a VM counts for.
        ("Backup", "Azure VM Protected Instance") => Some(("backup", "protectedInstance".to_owned(), "month")),
        // An application gateway v2's fixed part; its capacity units follow the traffic.
        ("Application Gateway Standard v2", "Standard Fixed Cost") => hourly("appGateway", "standard_v2".to_owned()),
        ("Application Gateway WAF v2", "Standard Fixed Cost") => hourly("appGateway", "waf_v2".to_owned()),
        ("Application Gateway Standard v2", "Standard Capacity Units") => {
            hourly("appGatewayCapacityUnit", "standard_v2".to_owned())
        }
        ("Application Gateway WAF v2", "Standard Capacity Units") => {
            hourly("appGatewayCapacityUnit", "waf_v2".to_owned())
        }
        ("Backup", _) if sku == "Standard" && meter.ends_with(" Data Stored") => {
            let redundancy = meter.strip_prefix("Standard ")?.strip_suffix(" Data Stored")?;
            Some(("backupStorage", redundancy.to_owned(), "gbMonth"))
        }
        ("Key Vault", "Operations") => Some(("keyVaultOperations", sku.to_ascii_lowercase(), "10k")),
        ("Log Analytics", "Analytics Logs Data Ingestion") => Some(("logAnalytics", "ingestion".to_owned(), "gb")),
        ("Log Analytics", "Analytics Logs Data Retention") => Some(("logAnalytics", "retention".to_owned(), "gbMonth")),
        ("Microsoft Defender for Servers", "Standard P1 Node") => hourly("defenderForServers", "p1".to_owned()),
        ("Microsoft Defender for Servers", "Standard P2 Node") => hourly("defenderForServers", "p2".to_owned()),
        ("Key Vault HSM Pool", "Standard B1 Instance") => hourly("managedHsm", "Standard_B1".to_owned()),
        // One HSM-protected RSA key for a month (the meter's unit is "1": per key, monthly).
        ("Key Vault", "Premium HSM-protected RSA 2048-bit key") => Some(("keyVault", "hsmKey".to_owned(), "month")),
        _ if service == "Azure Bastion" => hourly("bastion", sku.to_ascii_lowercase()),
        _ => None,
    }
}

/// How many units of the Azure VM protected-instance meter a VM of `size_gb` counts for, as
/// Azure Backup's pricing reads: half a unit up to 50 GB, one up to 500 GB, and one for each
/// 500 GB started beyond.
pub fn backup_units(size_gb: f64) -> f64 {
    if size_gb <= 50.0 {
        0.5
    } else if size_gb <= 500.0 {
        1.0
    } else {
        (size_gb / 500.0).ceil()
    }
}

/// What an import of a price export used and what it passed over, by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Prices the estimate now uses.
    pub used: usize,
    /// Reserved, spot, low-priority or savings-plan items: the estimate is pay-as-you-go.
    pub not_pay_as_you_go: usize,
    /// Meters the estimate does not price.
    pub not_used: usize,
    /// Items without a price.
    pub other: usize,
}

impl Imported {
    /// How many items were passed over.
    pub fn ignored(&self) -> usize {
        self.not_pay_as_you_go + self.not_used + self.other
    }
}

/// A VM size as the inspector offers it: what it is, and what one VM of it costs a month.
#[derive(Clone, Debug, PartialEq)]
pub struct SizeChoice {
    pub name: String,
    pub vcpus: u32,
    pub memory_gib: f64,
    /// Isolated to hardware dedicated to one customer.
    pub isolated: bool,
    /// One VM, pay-as-you-go, with the VM's OS, in its region; `None` where the book has no price.
    pub monthly: Option<f64>,
}

/// Every size of the compute table for the VM element `vm`, smallest first (by vCPUs, then
/// memory, then name), each priced for one VM where `vm` runs.
pub fn size_choices(design: &Design, book: &PriceBook, vm: &str) -> Vec<SizeChoice> {
    let priced = size_pricer(design, book, vm);
    let mut choices: Vec<SizeChoice> =
        crate::compute::table().sizes.iter().map(|(name, info)| priced(name, info)).collect();
    crate::sorting::sort_by(&mut choices, |a, b| {
        (a.vcpus.cmp(&b.vcpus)).then(a.memory_gib.total_cmp(&b.memory_gib)).then_with(|| a.name.cmp(&b.name))
    });
    choices
}

/// The size `name` (as the compute table knows it, case-insensitive) as [`size_choices`]
/// offers it for the VM element `vm`; `None` for a size the table does not know.
pub fn size_choice(design: &Design, book: &PriceBook, vm: &str, name: &str) -> Option<SizeChoice> {
    let table = crate::compute::table();
    let (name, info) = table.sizes.iter().find(|(known, _)| known.eq_ignore_ascii_case(name))?;
    Some(size_pricer(design, book, vm)(name, info))
}

/// What prices a size for one VM where the VM element `vm` runs, with its OS.
fn size_pricer<'a>(
    design: &Design,
    book: &'a PriceBook,
    vm: &str,
) -> impl Fn(&String, &crate::compute::SizeInfo) -> SizeChoice + 'a {
    let index = design.index();
    let element = index.element(vm);
    let region = element.and_then(|e| region_location(&index, e));
    let windows = matches!(element.map(|e| &e.props), Some(ElementProps::Vm(v)) if v.os == Os::Windows);
    move |name, info| SizeChoice {
        name: name.clone(),
        vcpus: info.vcpus,
        memory_gib: info.memory_gib,
        isolated: crate::compute::is_isolated(name),
        monthly: region.as_deref().and_then(|r| book.vm_hourly(r, name, windows)).map(|h| h * HOURS_PER_MONTH),
    }
}

/// The ARM location of the region an element is in.
fn region_location(index: &Index, element: &Element) -> Option<String> {
    let mut current = Some(element);
    for _ in 0..8 {
        let here = current?;
        if let ElementProps::Region(region) = &here.props {
            return region.location.clone();
        }
        current = index.parent(here);
    }
    None
}

/// The size of a managed disk SKU in GiB (P10 = 128), for the backup band.
fn disk_size_gb(sku: &str) -> f64 {
    let tier = sku.trim_start_matches(['P', 'E', 'S']).split(' ').next().unwrap_or("");
    match tier {
        "1" => 4.0,
        "2" => 8.0,
        "3" => 16.0,
        "4" => 32.0,
        "6" => 64.0,
        "10" => 128.0,
        "15" => 256.0,
        "20" => 512.0,
        "30" => 1024.0,
        "40" => 2048.0,
        "50" => 4096.0,
        "60" => 8192.0,
        "70" => 16384.0,
        "80" => 32767.0,
        _ => 128.0,
    }
}

/// An amount of money as people read it: two decimals, thousands grouped ("6,662.59"), as
/// English and Japanese both write it.
pub fn money(value: f64) -> String {
    let whole = format!("{:.2}", value.abs());
    let (int, cents) = whole.split_once('.').unwrap_or((&whole, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}.{cents}", if value < 0.0 { "-" } else { "" })
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
