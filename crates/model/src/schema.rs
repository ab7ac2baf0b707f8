//! What the inspector shows for each kind: every field of SPEC §2 with the control that
//! edits it. Paths are dotted as SPEC names fields (`diskEncryption.enabled`).

use serde_json::Value;

use crate::check::{parse_cidr, parse_ports};
use crate::element::ElementKind;
use crate::link::LinkKind;
use crate::rules::i18n::Lang;

/// One editable field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldSpec {
    pub path: &'static str,
    /// The label in English.
    pub label: &'static str,
    /// The label in Japanese, in the terms of Azure's Japanese documentation.
    pub label_ja: &'static str,
    pub control: Control,
}

impl FieldSpec {
    /// The label in `lang`.
    pub fn label_in(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.label,
            Lang::Ja => self.label_ja,
        }
    }
}

/// How a field is edited, and how text typed into it becomes a value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Control {
    /// Free text; empty removes an optional field.
    Text,
    /// Free text that must be set.
    RequiredText,
    Bool,
    /// A whole number in a range.
    Integer {
        min: i64,
        max: i64,
    },
    /// A whole number in a range, or empty for none.
    OptionalInteger {
        min: i64,
        max: i64,
    },
    /// A decimal number (percent).
    Number,
    /// A decimal number, or empty for none.
    OptionalNumber,
    /// One of the listed values.
    Choice(&'static [&'static str]),
    /// One of the listed values, or none.
    OptionalChoice(&'static [&'static str]),
    /// The id of an element of one of these kinds, or none.
    Reference(&'static [ElementKind]),
    /// Ids of elements of these kinds.
    References(&'static [ElementKind]),
    /// The id of a link of this kind, or none.
    LinkReference(LinkKind),
    /// One CIDR prefix.
    Cidr,
    /// A comma-separated list of CIDR prefixes.
    CidrList,
    /// Availability zones, e.g. `1, 2, 3`.
    Zones,
    /// A list of ports, e.g. `443, 8443`.
    PortList,
    /// The table of NSG rules.
    NsgRules,
    /// The table of firewall or NVA rules.
    FirewallRules,
    /// The table of user-defined routes.
    Routes,
    /// The list of data disks.
    DataDisks,
}

const ROLES: &[&str] = &["dmz", "web", "business", "data", "management", "gateway", "firewall", "bastion", "other"];

/// Fields as `path, English label, Japanese label => control`.
macro_rules! fields {
    ($($path:literal, $label:literal, $ja:literal => $control:expr);* $(;)?) => {
        &[$(FieldSpec { path: $path, label: $label, label_ja: $ja, control: $control }),*]
    };
}

/// The fields of an element of `kind`, common ones first.
pub fn element_fields(kind: ElementKind) -> Vec<FieldSpec> {
    use Control::*;
    use ElementKind as K;
    let common: &[FieldSpec] = fields! { "id", "Id", "ID" => RequiredText; "name", "Name", "名前" => Text };
    let parent: &[FieldSpec] = match kind.placement() {
        crate::element::Placement::TopLevel => &[],
        _ => fields! { "parent", "Inside", "配置先" => Reference(&[K::Region, K::Vnet, K::Subnet]) },
    };
    let own: &[FieldSpec] = match kind {
        K::Region => fields! {
            "location", "Location", "場所" => Text;
            "zones", "Availability zones", "可用性ゾーン" => OptionalChoice(&["true", "false"]);
            "pairedWith", "Paired with", "ペア リージョン" => Text;
        },
        K::OnPremises => fields! {
            "addressSpace", "Address space", "アドレス空間" => CidrList;
            "hsm", "On-premises HSM", "オンプレミス HSM" => Bool;
            "dns", "On-premises DNS", "オンプレミス DNS" => Bool;
        },
        K::Internet | K::Asg | K::TrafficManager | K::FrontDoor => &[],
        K::Vnet => fields! {
            "addressSpace", "Address space", "アドレス空間" => CidrList;
            "ddosProtection", "DDoS protection", "DDoS 保護" => Bool;
        },
        K::Subnet => fields! {
            "prefix", "Prefix", "アドレス プレフィックス" => Cidr;
            "role", "Role", "役割" => Choice(ROLES);
            "nsg", "NSG", "ネットワーク セキュリティ グループ" => Reference(&[K::Nsg]);
            "routeTable", "Route table", "ルート テーブル" => Reference(&[K::RouteTable]);
        },
        K::Vm => fields! {
            "size", "Size", "サイズ" => Text;
            "count", "Instances", "インスタンス数" => Integer { min: 1, max: 1000 };
            "zones", "Zones", "ゾーン" => Zones;
            "availabilitySet", "Availability set", "可用性セット" => Bool;
            "os", "OS", "OS" => Choice(&["linux", "windows"]);
            "tier", "Tier", "層" => OptionalChoice(ROLES);
            "osDisk", "OS disk", "OS ディスク" => RequiredText;
            "dataDisks", "Data disks", "データ ディスク" => DataDisks;
            "diskEncryption.enabled", "Disk encryption", "ディスク暗号化" => Bool;
            "diskEncryption.kek", "Key-encryption key", "キー暗号化キー (KEK)" => Choice(&["none", "keyVault", "byok"]);
            "diskEncryption.keyVault", "Key Vault", "キー コンテナー" => Reference(&[K::KeyVault]);
            "backup", "Backup vault", "バックアップ (Recovery Services コンテナー)" => Reference(&[K::RecoveryVault]);
            "publicIp", "Public IP", "パブリック IP" => Bool;
            "nsg", "NIC NSG", "NIC の NSG" => Reference(&[K::Nsg]);
            "asgs", "ASGs", "アプリケーション セキュリティ グループ" => References(&[K::Asg]);
            "host", "Dedicated host", "専用ホスト" => Reference(&[K::DedicatedHost]);
            "scaleSet", "Scale set", "スケール セット" => Bool;
            "autoscale", "Autoscale", "自動スケーリング" => Bool;
            "jit", "Just-in-time access", "Just-In-Time VM アクセス" => Bool;
            "antimalware", "Antimalware", "マルウェア対策" => Bool;
            "patching", "Patching", "修正プログラムの適用" => Bool;
            "tlsCerts", "TLS certificates", "TLS 証明書" => Choice(&["keyVaultExtension", "manual", "none"]);
            "privateIp", "Private IP", "プライベート IP" => Text;
        },
        K::DedicatedHost => fields! {
            "sku", "SKU", "SKU" => Text;
            "zone", "Zone", "ゾーン" => OptionalInteger { min: 1, max: 3 };
            "count", "Hosts", "ホスト数" => Integer { min: 1, max: 1000 };
        },
        K::Nsg => fields! { "rules", "Security rules", "セキュリティ規則" => NsgRules },
        K::RouteTable => fields! {
            "routes", "Routes", "ルート" => Routes;
            "disableGatewayPropagation", "Disable gateway route propagation", "ゲートウェイ ルートの伝達を無効にする" => Bool;
        },
        K::Firewall => fields! {
            "tier", "Tier", "レベル" => Choice(&["basic", "standard", "premium"]);
            "zones", "Zones", "ゾーン" => Zones;
            "rules", "Rules", "規則" => FirewallRules;
        },
        K::Nva => fields! {
            "count", "Instances", "インスタンス数" => Integer { min: 1, max: 100 };
            "zones", "Zones", "ゾーン" => Zones;
            "vendor", "Vendor", "ベンダー" => Text;
            "rules", "Rules", "規則" => FirewallRules;
        },
        K::VpnGateway | K::ExpressRouteGateway => fields! { "sku", "SKU", "SKU" => RequiredText },
        K::Bastion => fields! { "sku", "SKU", "SKU" => Choice(&["basic", "standard"]) },
        K::LoadBalancer => fields! {
            "public", "Public", "パブリック" => Bool;
            "backends", "Backends", "バックエンド" => References(&[K::Vm]);
            "ports", "Ports", "ポート" => PortList;
        },
        K::AppGateway => fields! {
            "public", "Public", "パブリック" => Bool;
            "waf", "WAF", "WAF" => Bool;
            "backends", "Backends", "バックエンド" => References(&[K::Vm]);
            "ports", "Ports", "ポート" => PortList;
        },
        K::KeyVault => fields! {
            "sku", "SKU", "SKU" => Choice(&["standard", "premium", "managedHsm"]);
            "softDelete", "Soft delete", "論理的な削除" => Bool;
            "purgeProtection", "Purge protection", "消去保護" => Bool;
            "keyBackup", "Keys backed up", "キーのバックアップ" => Bool;
            "publicAccess", "Public network access", "パブリック ネットワーク アクセス" => Bool;
        },
        K::RecoveryVault => {
            fields! { "keyVaultAccess", "May read disk-encryption keys", "ディスク暗号化キーの読み取りを許可" => Bool }
        }
        K::PrivateDnsZone => fields! { "zone", "Zone", "ゾーン" => Text },
    };
    [common, parent, own].concat()
}

/// The fields of the design itself, shown when nothing is selected.
pub fn design_fields() -> Vec<FieldSpec> {
    use Control::*;
    fields! {
        "meta.title", "Title", "タイトル" => Text;
        "meta.sensitivity", "Sensitivity", "機密性" => Choice(&["high", "standard"]);
        "meta.slaTarget", "SLA target (%)", "SLA 目標 (%)" => Number;
        "meta.currency", "Currency", "通貨" => RequiredText;
        "governance.rbac", "Least-privilege RBAC", "最小特権の Azure RBAC" => Bool;
        "governance.pim", "Privileged Identity Management", "Privileged Identity Management (PIM)" => Bool;
        "governance.policy", "Azure Policy", "Azure Policy" => Bool;
        "governance.blueprint", "Blueprint / initiative", "ブループリント / イニシアティブ" => Text;
        "governance.defenderForServers", "Defender for Servers", "Defender for Servers" => Choice(&["off", "p1", "p2"]);
        "governance.monitor", "Azure Monitor", "Azure Monitor" => Bool;
        "governance.sentinel", "Microsoft Sentinel", "Microsoft Sentinel" => Bool;
        "governance.entraLogs", "Entra ID logs", "Microsoft Entra ID のログ" => Bool;
        "governance.logGbPerDay", "Log data a day (GB, for the estimate)", "1 日あたりのログ量 (GB、見積もり用)" => OptionalNumber;
    }
    .to_vec()
}

/// The part of the inspector a field is shown in: a VM's ~25 fields read as groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldGroup {
    General,
    Compute,
    Network,
    Protection,
    Management,
}

impl FieldGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldGroup::General => "general",
            FieldGroup::Compute => "compute",
            FieldGroup::Network => "network",
            FieldGroup::Protection => "protection",
            FieldGroup::Management => "management",
        }
    }

    pub fn label_in(self, lang: Lang) -> &'static str {
        let ja = lang == Lang::Ja;
        match self {
            FieldGroup::General => {
                if ja {
                    "全般"
                } else {
                    "General"
                }
            }
            FieldGroup::Compute => {
                if ja {
                    "コンピューティング"
                } else {
                    "Compute"
                }
            }
            FieldGroup::Network => {
                if ja {
                    "ネットワーク"
                } else {
                    "Network"
                }
            }
            FieldGroup::Protection => {
                if ja {
                    "保護"
                } else {
                    "Protection"
                }
            }
            FieldGroup::Management => {
                if ja {
                    "管理"
                } else {
                    "Management"
                }
            }
        }
    }
}

/// The group the field at `path` of an element of `kind` is shown in (all `General` for
/// kinds with few fields).
pub fn field_group(kind: ElementKind, path: &str) -> FieldGroup {
    if kind != ElementKind::Vm {
        return FieldGroup::General;
    }
    match path {
        "size" | "count" | "zones" | "availabilitySet" | "os" | "tier" | "osDisk" | "dataDisks" | "host"
        | "scaleSet" | "autoscale" => FieldGroup::Compute,
        "publicIp" | "privateIp" | "nsg" | "asgs" => FieldGroup::Network,
        "backup" | "jit" | "antimalware" | "tlsCerts" => FieldGroup::Protection,
        _ if path.starts_with("diskEncryption") => FieldGroup::Protection,
        "patching" => FieldGroup::Management,
        _ => FieldGroup::General,
    }
}

/// The inspector's label, in `lang`, for the field at `path` (`diskEncryption.kek`) of an
/// element of `kind`, or of any element, link or the design when `kind` has none: how a fix
/// names a field to the user. `None` for what is not a field (a value such as `byok`).
pub fn field_label(path: &str, kind: Option<ElementKind>, lang: Lang) -> Option<&'static str> {
    let own = kind.map(element_fields).unwrap_or_default();
    let elements = ElementKind::ALL.iter().flat_map(|k| element_fields(*k));
    let links = LinkKind::ALL.iter().flat_map(|k| link_fields(*k));
    let design = design_fields().into_iter().map(|mut spec| {
        // The design's fields are `meta.title`, `governance.rbac`: a fix names them by the last part.
        spec.path = spec.path.rsplit('.').next().unwrap_or(spec.path);
        spec
    });
    own.into_iter()
        .chain(elements)
        .chain(links)
        .chain(design)
        .find(|spec| spec.path == path && !matches!(path, "id" | "name"))
        .map(|spec| spec.label_in(lang))
}

/// The fields of a link of `kind`.
pub fn link_fields(kind: LinkKind) -> Vec<FieldSpec> {
    use Control::*;
    let common: &[FieldSpec] = fields! { "id", "Id", "ID" => RequiredText; "name", "Name", "名前" => Text };
    let own: &[FieldSpec] = match kind {
        LinkKind::Peering => fields! {
            "allowForwardedTraffic", "Allow forwarded traffic", "転送されたトラフィックを許可する" => Bool;
            "gatewayTransit", "Gateway transit (from's gateways serve to)", "ゲートウェイ転送 (from 側のゲートウェイを to 側が使用)" => Bool;
        },
        LinkKind::Vpn => {
            fields! { "overExpressRoute", "Over ExpressRoute", "ExpressRoute 経由" => LinkReference(LinkKind::ExpressRoute) }
        }
        LinkKind::ExpressRoute => fields! {
            "bandwidthMbps", "Bandwidth (Mbps)", "帯域幅 (Mbps)" => Integer { min: 50, max: 100_000 };
            "plan", "Plan", "プラン" => Choice(&["metered", "unlimited"]);
            "premium", "Premium", "Premium" => Bool;
        },
        LinkKind::Flow => fields! {
            "protocol", "Protocol", "プロトコル" => Choice(&["tcp", "udp", "icmp", "any"]);
            "port", "Port", "ポート" => OptionalInteger { min: 1, max: 65535 };
            "tls", "TLS", "TLS" => Bool;
        },
        LinkKind::Replication => fields! {
            "technology", "Technology", "レプリケーション テクノロジ" => Choice(&["sqlAlwaysOn", "oracleDataGuard", "mysql", "other"]);
        },
        LinkKind::DnsLink => &[],
    };
    [common, own].concat()
}

/// A non-negative amount as a person types it (`99.95`, `730`, `.5`, `007`, `1e3`), read by
/// the JSON number grammar that reads design files: a number typed and a number loaded are
/// read alike, and the web bundle carries one decimal parser (the standard library's brings
/// a 20 KB table).
pub fn parse_amount(text: &str) -> Option<f64> {
    // JSON wants one digit before a point and one after it, and no leading zeros.
    let text = text.trim();
    let typed = text.strip_prefix('+').unwrap_or(text);
    if typed.is_empty() {
        return None;
    }
    let digits = typed.trim_start_matches('0');
    let mut json =
        if digits.is_empty() || digits.starts_with(['.', 'e', 'E']) { format!("0{digits}") } else { digits.to_owned() };
    if json.ends_with('.') {
        json.push('0');
    }
    json.parse::<serde_json::Number>().ok()?.as_f64().filter(|n| n.is_finite() && *n >= 0.0)
}

impl Control {
    /// Turns what a person typed or picked into the field's value, or says what is wrong.
    /// Tables (rules, routes, disks) take their JSON as edited by their own editors.
    pub fn parse(self, text: &str) -> Result<Value, String> {
        let text = text.trim();
        let list = || text.split(',').map(str::trim).filter(|part| !part.is_empty());
        match self {
            Control::Text | Control::Reference(_) | Control::LinkReference(_) | Control::OptionalChoice(_)
                if text.is_empty() =>
            {
                Ok(Value::Null)
            }
            Control::OptionalChoice(options) | Control::Choice(options) => {
                if !options.contains(&text) {
                    return Err(format!("choose one of {}", options.join(", ")));
                }
                Ok(match text {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::from(text),
                })
            }
            Control::Text | Control::Reference(_) | Control::LinkReference(_) => Ok(Value::from(text)),
            Control::RequiredText => {
                if text.is_empty() {
                    Err("cannot be empty".into())
                } else {
                    Ok(Value::from(text))
                }
            }
            Control::Bool => match text {
                "true" | "on" => Ok(Value::Bool(true)),
                "false" | "off" | "" => Ok(Value::Bool(false)),
                _ => Err("true or false".into()),
            },
            Control::OptionalInteger { .. } if text.is_empty() => Ok(Value::Null),
            Control::Integer { min, max } | Control::OptionalInteger { min, max } => match text.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(Value::from(n)),
                _ => Err(format!("a whole number from {min} to {max}")),
            },
            Control::OptionalNumber if text.is_empty() => Ok(Value::Null),
            Control::Number | Control::OptionalNumber => {
                parse_amount(text).map(Value::from).ok_or_else(|| "a number, e.g. 99.95".to_owned())
            }
            Control::Cidr => parse_cidr(text).map(|_| Value::from(text)),
            Control::CidrList => {
                let prefixes: Vec<String> = list().map(str::to_owned).collect();
                for prefix in &prefixes {
                    parse_cidr(prefix)?;
                }
                Ok(Value::from(prefixes))
            }
            Control::References(_) => Ok(Value::from(list().collect::<Vec<_>>())),
            Control::Zones => {
                let zones: Result<Vec<u8>, String> = list()
                    .map(|z| {
                        z.parse::<u8>()
                            .ok()
                            .filter(|z| (1..=3).contains(z))
                            .ok_or(format!("zone {z}: zones are 1, 2 and 3"))
                    })
                    .collect();
                Ok(Value::from(zones?))
            }
            Control::PortList => {
                let ports: Result<Vec<u16>, String> = list()
                    .map(|p| {
                        parse_ports(p)?;
                        p.parse::<u16>().ok().filter(|p| *p > 0).ok_or(format!("\"{p}\" is not a port from 1 to 65535"))
                    })
                    .collect();
                Ok(Value::from(ports?))
            }
            Control::NsgRules | Control::FirewallRules | Control::Routes | Control::DataDisks => {
                crate::tracked::parse(text)
            }
        }
    }

    /// The text a field's value is shown as in its input.
    pub fn display(self, value: &Value) -> String {
        match value {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Array(items)
                if !matches!(
                    self,
                    Control::NsgRules | Control::FirewallRules | Control::Routes | Control::DataDisks
                ) =>
            {
                items
                    .iter()
                    .map(|item| item.as_str().map_or_else(|| item.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            other => other.to_string(),
        }
    }
}

/// One column of a table field (NSG rules, routes, firewall rules, data disks).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Column {
    pub key: &'static str,
    /// The label in English.
    pub label: &'static str,
    /// The label in Japanese.
    pub label_ja: &'static str,
    pub cell: Cell,
}

impl Column {
    /// The label in `lang`.
    pub fn label_in(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.label,
            Lang::Ja => self.label_ja,
        }
    }
}

/// How a table cell is edited.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    Text,
    Number,
    Choice(&'static [&'static str]),
    /// The id of an element of these kinds, or none.
    Reference(&'static [ElementKind]),
}

const PROTOCOLS: &[&str] = &["tcp", "udp", "icmp", "*"];

const fn col(key: &'static str, label: &'static str, label_ja: &'static str, cell: Cell) -> Column {
    Column { key, label, label_ja, cell }
}

const NSG_RULE_COLUMNS: &[Column] = &[
    col("priority", "Priority", "優先度", Cell::Number),
    col("name", "Name", "名前", Cell::Text),
    col("direction", "Direction", "方向", Cell::Choice(&["inbound", "outbound"])),
    col("access", "Access", "アクセス", Cell::Choice(&["allow", "deny"])),
    col("protocol", "Protocol", "プロトコル", Cell::Choice(PROTOCOLS)),
    col("source", "Source", "ソース", Cell::Text),
    col("sourcePorts", "Source ports", "ソース ポート", Cell::Text),
    col("destination", "Destination", "宛先", Cell::Text),
    col("destinationPorts", "Destination ports", "宛先ポート", Cell::Text),
];
const FIREWALL_RULE_COLUMNS: &[Column] = &[
    col("name", "Name", "名前", Cell::Text),
    col("action", "Action", "アクション", Cell::Choice(&["allow", "deny"])),
    col("protocol", "Protocol", "プロトコル", Cell::Choice(PROTOCOLS)),
    col("source", "Source", "ソース", Cell::Text),
    col("destination", "Destination", "宛先", Cell::Text),
    col("destinationPorts", "Ports", "宛先ポート", Cell::Text),
];
const ROUTE_COLUMNS: &[Column] = &[
    col("name", "Name", "名前", Cell::Text),
    col("prefix", "Prefix", "アドレス プレフィックス", Cell::Text),
    col(
        "nextHop",
        "Next hop",
        "次ホップの種類",
        Cell::Choice(&["virtualAppliance", "virtualNetworkGateway", "vnetLocal", "internet", "none"]),
    ),
    col(
        "nextHopElement",
        "Appliance",
        "次ホップ (アプライアンス)",
        Cell::Reference(&[ElementKind::Firewall, ElementKind::Nva]),
    ),
];
const DATA_DISK_COLUMNS: &[Column] =
    &[col("sku", "SKU", "SKU", Cell::Text), col("count", "Disks", "ディスク数", Cell::Number)];

impl Control {
    /// The columns of a table field; empty for other fields.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Control::NsgRules => NSG_RULE_COLUMNS,
            Control::FirewallRules => FIREWALL_RULE_COLUMNS,
            Control::Routes => ROUTE_COLUMNS,
            Control::DataDisks => DATA_DISK_COLUMNS,
            _ => &[],
        }
    }

    /// A row to add to a table field that already has `rows`: named and numbered so the
    /// table stays valid (NSG priorities unique, below the deny-all rules at 4096).
    pub fn new_row(self, rows: &[Value]) -> Value {
        let n = rows.len() + 1;
        match self {
            Control::NsgRules => {
                let highest = rows
                    .iter()
                    .filter_map(|r| r["priority"].as_u64())
                    .filter(|p| *p < 4000)
                    .max()
                    .map_or(100, |p| p + 10);
                serde_json::json!({
                    "name": format!("rule-{n}"), "priority": highest, "direction": "inbound", "access": "allow",
                    "protocol": "tcp", "source": "VirtualNetwork", "sourcePorts": "*", "destination": "*",
                    "destinationPorts": "443"
                })
            }
            Control::FirewallRules => serde_json::json!({
                "name": format!("rule-{n}"), "action": "allow", "protocol": "tcp", "source": "*",
                "destination": "*", "destinationPorts": "443"
            }),
            Control::Routes => {
                serde_json::json!({ "name": format!("route-{n}"), "prefix": "0.0.0.0/0", "nextHop": "none" })
            }
            Control::DataDisks => serde_json::json!({ "sku": "P30", "count": 1 }),
            _ => Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field the inspector can show, of every kind, link kind and the design.
    fn every_field() -> Vec<FieldSpec> {
        let mut all = design_fields();
        for kind in ElementKind::ALL {
            all.extend(element_fields(*kind));
        }
        for kind in LinkKind::ALL {
            all.extend(link_fields(*kind));
        }
        all
    }

    #[test]
    fn every_field_and_column_is_labelled_in_english_and_japanese() {
        let mut columns = Vec::new();
        for spec in every_field() {
            assert!(!spec.label_in(Lang::En).trim().is_empty(), "{}: no English label", spec.path);
            assert!(!spec.label_in(Lang::Ja).trim().is_empty(), "{}: no Japanese label", spec.path);
            columns.extend(spec.control.columns().iter().copied());
        }
        assert!(!columns.is_empty(), "the table fields have columns");
        for column in columns {
            assert!(!column.label_in(Lang::En).trim().is_empty(), "{}: no English label", column.key);
            assert!(!column.label_in(Lang::Ja).trim().is_empty(), "{}: no Japanese label", column.key);
        }
    }

    #[test]
    fn japanese_labels_use_half_width_spaces_and_parentheses() {
        // As Microsoft's Japanese documentation writes them: "ルート テーブル", "(KEK)".
        for spec in every_field() {
            for ch in ['\u{3000}', '（', '）'] {
                assert!(!spec.label_ja.contains(ch), "{}: {:?} in {:?}", spec.path, ch, spec.label_ja);
            }
        }
    }
}
