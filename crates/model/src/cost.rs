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
            // A tiered meter's later tiers price usage past a threshold: the first tier is the price.
            if item["tierMinimumUnits"].as_f64().is_some_and(|units| units > 0.0) {
                summary.later_tiers += 1;
                continue;
            }
            // Only prices per hour or per month make a monthly estimate; per GB or per 10K are usage.
            let Some(monthly_factor) = per_month(field("unitOfMeasure")) else {
                summary.usage += 1;
                continue;
            };
            let date = field("effectiveStartDate").get(..10).unwrap_or("");
            let source = format!(
                "imported from {name} ({region}{})",
                if date.is_empty() { String::new() } else { format!(", effective {date}") }
            );
            let hourly = price * monthly_factor / HOURS_PER_MONTH;
            let service = field("serviceName");
            if service == "Virtual Machines" && product.ends_with("DedicatedHost") {
                let series = product.split(' ').next().unwrap_or("");
                let prices = next.regions.entry(region.to_owned()).or_default();
                prices.hosts.insert(format!("{series}-Type1"), HourlyPrice { hourly, savings_plan: None });
                prices.source = source;
            } else if service == "Virtual Machines" {
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
            } else if product.ends_with("Managed Disks") && meter.ends_with(" Disk") {
                let prices = next.regions.entry(region.to_owned()).or_default();
                prices.disks.insert(meter.trim_end_matches(" Disk").to_owned(), hourly * HOURS_PER_MONTH);
                prices.source = source;
            } else if let Some((service, sku, _)) = service_meter(service, product, sku, meter) {
                imported_services.push(ServicePrice {
                    service: service.to_owned(),
                    sku,
                    price: hourly,
                    unit: "hour".into(),
                    region: region.to_owned(),
                    source: source.clone(),
                    date: date.to_owned(),
                    retail: true,
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
        // Imported service prices come first, so they win over the built-in ones.
        imported_services.extend(next.services);
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
        book.service(service, sku, region).map(|(p, source)| {
            let monthly = if p.unit == "hour" { p.price * HOURS_PER_MONTH } else { p.price } * quantity;
            (monthly, None, source)
        })
    };
    let mut ddos_charged = false;
    let gb_per_day = design.governance.log_gb_per_day;
    let ingestion = |service_name: &str, gb: Option<f64>| {
        gb.and_then(|gb| {
            book.service(service_name, "ingestion", None)
                .map(|(p, source)| (p.price * gb * HOURS_PER_MONTH / 24.0, None, source))
        })
    };
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
                add(id, format!("Azure Firewall {tier}"), service("firewall", &tier, 1.0, region.as_deref()));
            }
            ElementProps::VpnGateway(gateway) => add(
                id,
                format!("VPN gateway {}", gateway.sku),
                service("vpnGateway", &gateway.sku, 1.0, region.as_deref()),
            ),
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
            ElementProps::KeyVault(vault) if vault.sku == crate::element::KeyVaultSku::Premium => {
                // One HSM-protected key-encryption key per VM tier that encrypts with this vault.
                let keys = keys_in.get(id).copied().unwrap_or(0);
                if keys > 0 {
                    add(
                        id,
                        format!("HSM-protected keys: {keys}"),
                        service("keyVault", "hsmKey", keys as f64, region.as_deref()),
                    );
                }
            }
            ElementProps::LoadBalancer(_) => add(id, "load balancer (rules)".into(), None),
            ElementProps::AppGateway(gateway) => {
                let (tier, sku) = if gateway.waf { ("WAF v2", "waf_v2") } else { ("Standard v2", "standard_v2") };
                add(
                    id,
                    format!("application gateway {tier}: fixed"),
                    service("appGateway", sku, 1.0, region.as_deref()),
                );
                // Capacity units follow the traffic: unknown until the authors enter a price.
                add(id, format!("application gateway {tier}: capacity units"), None);
            }
            ElementProps::Nva(nva) => {
                add(id, format!("network virtual appliance × {} (VMs and licences)", nva.count), None)
            }
            ElementProps::FrontDoor(_) => add(id, "Front Door base fee".into(), None),
            _ => {}
        }
    }
    for link in &design.links {
        if let LinkProps::ExpressRoute(circuit) = &link.props {
            let plan =
                serde_json::to_value(circuit.plan).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            add(link.id.as_str(), format!("ExpressRoute circuit {} Mbps {plan}", circuit.bandwidth_mbps), None);
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
    if design.governance.monitor {
        add(
            "design",
            format!("Log Analytics ingestion{}", gb_label(gb_per_day)),
            ingestion("logAnalytics", gb_per_day),
        );
    }
    if design.governance.sentinel {
        add(
            "design",
            format!("Microsoft Sentinel ingestion{}", gb_label(gb_per_day)),
            ingestion("sentinel", gb_per_day),
        );
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
    }
}

fn gb_label(gb_per_day: Option<f64>) -> String {
    match gb_per_day {
        Some(gb) => format!(": {gb} GB a day"),
        None => " (set governance.logGbPerDay)".to_owned(),
    }
}

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

/// The service, SKU and unit (`hour` or `month`) in the price book of an Azure Retail Prices
/// meter (its `serviceName`, `productName`, `skuName` and `meterName`), for the meters the
/// estimate prices by the hour or the month; `None` for any other. `cargo xtask pricebook`
/// builds the book's retail list with it, and imports read exports with it.
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
        ("Azure Firewall", _)
            if ["Basic", "Standard", "Premium"].contains(&sku) && meter == format!("{sku} Deployment") =>
        {
            hourly("firewall", sku.to_ascii_lowercase())
        }
        ("IP Addresses", "Standard IPv4 Static Public IP") => hourly("publicIp", "standard".to_owned()),
        // One protected instance's unit a month; `backup_units` says how many a VM counts for.
        ("Backup", "Azure VM Protected Instance") => Some(("backup", "protectedInstance".to_owned(), "month")),
        // An application gateway v2's fixed part; its capacity units follow the traffic.
        ("Application Gateway Standard v2", "Standard Fixed Cost") => hourly("appGateway", "standard_v2".to_owned()),
        ("Application Gateway WAF v2", "Standard Fixed Cost") => hourly("appGateway", "waf_v2".to_owned()),
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
    /// The later tiers of tiered meters (the first tier is the price).
    pub later_tiers: usize,
    /// Prices per GB, per 10,000 operations and other usage units.
    pub usage: usize,
    /// Meters the estimate does not price.
    pub not_used: usize,
    /// Items without a price.
    pub other: usize,
}

impl Imported {
    /// How many items were passed over.
    pub fn ignored(&self) -> usize {
        self.not_pay_as_you_go + self.later_tiers + self.usage + self.not_used + self.other
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
